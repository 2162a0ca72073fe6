"""Parsing in the certbot step's fact."""

import pytest

from deploy.certbot.facts import CertificateLineage

pytestmark = pytest.mark.unit


def test_certificate_lineage():
    out = ["https://ca/dir", "    DNS:studio.test, DNS:*.studio.test"]
    assert CertificateLineage().process(out) == {
        "server": "https://ca/dir",
        "domains": ["studio.test", "*.studio.test"],
    }
    assert CertificateLineage().process([]) is None
