"""The backups' controller-side secrets: made once, kept, owner-only, a matching key pair."""

import stat

import pytest
from cryptography.hazmat.primitives import serialization

from deploy.backup import keys

pytestmark = pytest.mark.unit


def test_made_once_then_kept(tmp_path):
    directory = tmp_path / "secrets" / "backup"
    first = keys.ensure_backup_secrets(directory)
    again = keys.ensure_backup_secrets(directory)
    assert (again.cipher_pass, again.private_key, again.public_key) == (
        first.cipher_pass,
        first.private_key,
        first.public_key,
    )
    assert len(first.cipher_pass) >= 64
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert sorted((p.name, stat.S_IMODE(p.stat().st_mode)) for p in directory.iterdir()) == [
        ("repo-cipher-pass", 0o600),
        ("sftp_ed25519", 0o600),
        ("sftp_ed25519.pub", 0o600),
    ]


def test_the_key_pair_matches_and_is_never_shown(tmp_path):
    made = keys.ensure_backup_secrets(tmp_path)
    private = serialization.load_ssh_private_key(made.private_key.encode(), password=None)
    public = private.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    assert made.public_key == public.decode() + " rsm-backup"
    assert made.public_key.startswith("ssh-ed25519 ")
    assert made.cipher_pass not in repr(made) and made.private_key not in repr(made)
