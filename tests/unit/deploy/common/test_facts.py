"""Parsing in the shared facts (no host needed), and that none reads a secret out."""

import pytest

from deploy.common.facts import HostSize, PrivateDigest, RenderState, host_size

pytestmark = pytest.mark.unit


def test_host_size_takes_the_cgroup_limit_when_lower():
    assert HostSize().process(["2", "24000", "max"]) == {"cores": 2, "memory_mb": 24000}
    assert HostSize().process(["4", "24000", str(2 * 1024**3)]) == {"cores": 4, "memory_mb": 2048}


def test_private_digest():
    assert PrivateDigest().process(["abc", "600 root:root"]) == ("abc", "600 root:root")
    assert PrivateDigest().process([]) is None


def test_no_fact_command_reads_a_secret_out():
    """Facts over secret files print digests or states, never `cat` to stdout alone."""
    assert "| sha256sum" in PrivateDigest().command("/etc/rsm/secrets/x")
    assert (
        RenderState().command("/t", "/o", "600", "root:root")
        == "/usr/local/sbin/rsm-render --check /t /o 600 root:root"
    )


def test_private_digest_on_the_server_matches_the_one_the_deploy_computes(tmp_path):
    import getpass
    import grp
    import os
    import subprocess

    from deploy.common.hashing import salted_digest

    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    secret.chmod(0o600)
    output = subprocess.run(
        ["sh", "-c", PrivateDigest().command(str(secret))], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    owner = f"{getpass.getuser()}:{grp.getgrgid(os.getgid()).gr_name}"
    assert PrivateDigest().process(output) == (salted_digest("s3cret\n"), f"600 {owner}")
    assert "s3cret" not in "".join(output)


def test_a_hosts_size_is_asked_once_per_run():
    class Host:
        def __init__(self, name):
            self.name, self.asked = name, 0

        def get_fact(self, fact):
            assert fact is HostSize
            self.asked += 1
            return {"cores": 2, "memory_mb": 4096}

    web, db = Host("size-test-web"), Host("size-test-db")
    assert [host_size(web), host_size(web), host_size(db)] == [{"cores": 2, "memory_mb": 4096}] * 3
    assert (web.asked, db.asked) == (1, 1)
