"""The backups' own secrets, kept on the controller, never on the database's disk alone: the
repository's cipher passphrase (without it no backup can be read, so it must outlive the db host)
and the SFTP key pair with which the db host's postgres user writes to the backup host.

Made once in the operator's backup secrets directory (host data backup_secrets_dir, outside git),
then read on every converge; never printed.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

PASSPHRASE = "repo-cipher-pass"
PRIVATE_KEY = "sftp_ed25519"
PUBLIC_KEY = "sftp_ed25519.pub"


@dataclass(frozen=True)
class BackupSecrets:
    cipher_pass: str
    private_key: str  # OpenSSH format
    public_key: str  # "ssh-ed25519 AAAA... rsm-backup"

    def __repr__(self) -> str:  # never the values, even in a traceback
        return "BackupSecrets(...)"


def _write_once(path: Path, content: bytes) -> None:
    """Create path with content unless it exists (another run made it first: theirs is kept)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)


def ensure_backup_secrets(directory: Path) -> BackupSecrets:
    """The secrets in directory, made there first when absent (mode 0700 directory, 0600 files)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _write_once(directory / PASSPHRASE, (secrets.token_urlsafe(48) + "\n").encode())
    if not (directory / PRIVATE_KEY).exists():
        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        _write_once(directory / PUBLIC_KEY, public + b" rsm-backup\n")
        _write_once(
            directory / PRIVATE_KEY,
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
            ),
        )
    return BackupSecrets(
        cipher_pass=(directory / PASSPHRASE).read_text().strip(),
        private_key=(directory / PRIVATE_KEY).read_text(),
        public_key=(directory / PUBLIC_KEY).read_text().strip(),
    )
