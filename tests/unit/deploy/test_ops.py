"""Parsing in the deploy's facts (no host needed): what the operations decide from."""

import pytest

from deploy import ops

pytestmark = pytest.mark.unit


def test_publishes():
    assert ops.publishes("0.0.0.0:80->80/tcp, :::80->80/tcp", 80)
    assert ops.publishes("0.0.0.0:443->8443/tcp", 443)
    assert not ops.publishes("127.0.0.1:8000->8000/tcp", 80)
    assert not ops.publishes("0.0.0.0:8080->80/tcp", 80)
    assert not ops.publishes("80/tcp", 80)


def test_docker_published_ports():
    assert ops.DockerPublishedPorts().process(["abc\tweb\t0.0.0.0:80->80/tcp", "def\trsm-app-1\t"]) == {
        "abc": ("web", "0.0.0.0:80->80/tcp"),
        "def": ("rsm-app-1", ""),
    }


def test_certificate_lineage():
    out = ["https://ca/dir", "    DNS:studio.test, DNS:*.studio.test"]
    assert ops.CertificateLineage().process(out) == {"server": "https://ca/dir", "domains": ["studio.test", "*.studio.test"]}
    assert ops.CertificateLineage().process([]) is None


def test_host_size_takes_the_cgroup_limit_when_lower():
    assert ops.HostSize().process(["2", "24000", "max"]) == {"cores": 2, "memory_mb": 24000}
    assert ops.HostSize().process(["4", "24000", str(2 * 1024**3)]) == {"cores": 4, "memory_mb": 2048}


def test_compose_service_containers_and_image_tags():
    assert ops.ComposeServiceContainers().process(["r1 running", ""]) == [("r1", "running")]
    assert ops.AppImageTags().process(["image rsm-app:a", "image rsm-app:b", "used rsm-app:a", "used debian"]) == {
        "images": ["rsm-app:a", "rsm-app:b"], "used": ["debian", "rsm-app:a"],
    }


def test_private_digest_and_stray_masters():
    assert ops.PrivateDigest().process(["abc", "600 root:root"]) == ("abc", "600 root:root")
    assert ops.PrivateDigest().process([]) is None
    assert ops.StrayNginxMasters().process(["12 -", "x", "34 old-web.service"]) == [(12, ""), (34, "old-web.service")]


def test_no_fact_command_reads_a_secret_out():
    """Facts over secret files print digests or states, never `cat` to stdout alone."""
    digest = ops.PrivateDigest().command("/etc/rsm/secrets/x")
    assert "| sha256sum" in digest
    assert ops.RenderState().command("/t", "/o", "600", "root:root") == "/usr/local/sbin/rsm-render --check /t /o 600 root:root"
