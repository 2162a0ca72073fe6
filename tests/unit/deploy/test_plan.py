"""Host data → decisions: topology, preflight, image tag, contexts, certbot, by exact output."""

import pytest

from app.settings import SETTINGS
from deploy import plan

pytestmark = pytest.mark.unit

DATA = {
    "domain": "studio.test",
    "admin_email": "admin@studio.test",
    "acme_directory": "https://ca.test/dir",
    "dns_plugin": "rfc2136",
    "dns_credentials": {"dns_rfc2136_server": "10.0.0.1"},
}


def test_topology_one_server():
    topo = plan.topology("s1", {"s1": {}}, {"s1": {}})
    assert topo == plan.Topology(
        gateway="172.28.213.1", subnet="172.28.213.0/24", db_host="s1", colocated=True,
        db_address="172.28.213.1", listen_addresses=("127.0.0.1", "172.28.213.1"),
        client_networks=("172.28.213.0/24",),
    )


def test_topology_separate_hosts():
    web = {"w1": {"private_address": "10.0.0.11"}, "w2": {"private_address": "10.0.0.12"}}
    db = {"d1": {"private_address": "10.0.0.5"}}
    assert plan.topology("w1", web, db, "10.213.0.0/24") == plan.Topology(
        gateway="10.213.0.1", subnet="10.213.0.0/24", db_host="d1", colocated=False,
        db_address="10.0.0.5", listen_addresses=("127.0.0.1", "10.0.0.5"),
        client_networks=("10.0.0.11/32", "10.0.0.12/32"),
    )


def check(data, groups=None, operator=None, exists=lambda p: True):
    groups = groups or {"web": {"s1": data}, "db": {"s1": data}}
    return plan.missing_items("s1", data, groups, operator or {}, SETTINGS, exists, "secrets/prod.env")


def test_preflight_passes_with_complete_data():
    assert check(DATA) == []


def test_preflight_names_every_missing_item_at_once():
    data = {"domain": "Not A Domain", "dns_plugin": "rfc2136", "acme_ca_bundle": "/nope.pem"}
    assert check(data, operator={"ANTHROPIC_API_KEY": "it's"}, exists=lambda p: False) == [
        "host data admin_email (the ACME account's contact address)",
        "host data acme_directory (the ACME directory URL (Let's Encrypt production/staging or a test CA))",
        "host data domain as a lower-case DNS name (got 'Not A Domain')",
        "host data dns_credentials (mapping) or dns_credentials_file (local path)",
        "file /nope.pem (host data acme_ca_bundle)",
        "setting ANTHROPIC_API_KEY contains a quote or a line break",
    ]


def test_preflight_separate_hosts_need_addresses_and_shared_passwords():
    groups = {"web": {"w1": {}}, "db": {"d1": {"private_address": "10.0.0.5"}}}
    assert plan.missing_items("w1", DATA, groups, {}, SETTINGS, lambda p: True, None) == [
        "host data private_address of w1 (web and db are separate hosts)",
        "secret RSM_POSTGRES_PASSWORD (web and db are separate hosts: both need the same one)",
        "secret RSM_REDIS_PASSWORD (web and db are separate hosts: both need the same one)",
    ]


def test_preflight_groups():
    assert check(DATA, groups={"web": {}, "db": {}}) == [
        "host s1 in group web or db",
        "exactly one host in group db (found 0)",
    ]


def test_preflight_message():
    assert plan.preflight_message("s1", ["a", "b"]) == (
        "Refusing to deploy s1: 2 missing or invalid item(s); nothing was changed.\n  - a\n  - b"
    )


def test_image_tag_is_a_content_hash_independent_of_order():
    files = [("app/a.py", b"print(1)\n"), ("Dockerfile", b"FROM x\n")]
    tag = plan.image_tag(files)
    assert tag == plan.image_tag(list(reversed(files)))
    assert tag == "rsm-app:" + plan.content_hash(files)[:12]
    assert plan.image_tag([("app/a.py", b"print(2)\n"), ("Dockerfile", b"FROM x\n")]) != tag
    assert plan.image_tag([("app/b.py", b"print(1)\n"), ("Dockerfile", b"FROM x\n")]) != tag


def test_app_source_filter():
    assert plan.is_app_source("app/x/y.py")
    assert not plan.is_app_source("app/__pycache__/y.cpython-313.pyc")
    assert not plan.is_app_source("app/y.pyc")


def test_revision_changes_with_image_env_or_compose():
    base = plan.revision("rsm-app:1", "A='1'\n", "compose")
    assert len(base) == 16
    assert plan.revision("rsm-app:2", "A='1'\n", "compose") != base
    assert plan.revision("rsm-app:1", "A='2'\n", "compose") != base
    assert plan.revision("rsm-app:1", "A='1'\n", "compose2") != base
    assert plan.revision("rsm-app:1", "A='1'\n", "compose") == base


def test_certbot_command():
    assert plan.certbot_command("studio.test", "a@studio.test", "https://ca/dir", "rfc2136", 2) == [
        "certbot", "certonly", "--non-interactive", "--agree-tos", "-m", "a@studio.test",
        "--server", "https://ca/dir", "--cert-name", "studio.test",
        "--authenticator", "dns-rfc2136",
        "--dns-rfc2136-credentials", "/etc/letsencrypt/rsm-dns-rfc2136.ini",
        "--dns-rfc2136-propagation-seconds", "2",
        "-d", "studio.test", "-d", "*.studio.test",
    ]
    assert plan.certbot_command("d.test", "e", "u", "cloudflare", 60, force=True)[-1] == "--force-renewal"
    assert plan.plugin_package("cloudflare") == "python3-certbot-dns-cloudflare"


def test_dns_credentials_ini_upper_cases_the_algorithm():
    assert plan.dns_credentials_ini("rfc2136", {
        "dns_rfc2136_server": "172.17.0.1", "dns_rfc2136_port": 5353,
        "dns_rfc2136_name": "acme", "dns_rfc2136_secret": "c2VjcmV0", "dns_rfc2136_algorithm": "hmac-sha512",
    }) == (
        "# certbot DNS plugin credentials, written by the deploy (root-only).\n"
        "dns_rfc2136_server = 172.17.0.1\n"
        "dns_rfc2136_port = 5353\n"
        "dns_rfc2136_name = acme\n"
        "dns_rfc2136_secret = c2VjcmV0\n"
        "dns_rfc2136_algorithm = HMAC-SHA512\n"
    )


def test_certificate_is_current():
    lineage = {"server": "https://ca/dir", "domains": ["*.d.test", "d.test"]}
    assert plan.certificate_is_current(lineage, "d.test", "https://ca/dir")
    assert not plan.certificate_is_current(lineage, "d.test", "https://other/dir")
    assert not plan.certificate_is_current({**lineage, "domains": ["d.test"]}, "d.test", "https://ca/dir")
    assert not plan.certificate_is_current(None, "d.test", "https://ca/dir")


def test_contexts():
    assert plan.compose_context("rsm-app:abc", 5, 4, 60, "172.28.213.1", "r1") == {
        "project": "rsm", "service": "app", "image": "rsm-app:abc", "env_file": "/etc/rsm/app.env",
        "port": 8000, "workers": 5, "threads": 4, "timeout": 60, "network": "rsm",
        "db_hostname": "rsm-db", "db_address": "172.28.213.1", "revision": "r1",
        "log_max_size": "10m", "log_max_file": 5,
    }
    ctx = plan.nginx_context("studio.test", False, 65)
    assert ctx["certificate"] == "/etc/letsencrypt/live/studio.test/fullchain.pem"
    assert ctx["certificate_key"] == "/etc/letsencrypt/live/studio.test/privkey.pem"
    assert ctx["upstream"] == "127.0.0.1:8000"


def test_packages_for_roles():
    assert plan.packages_for(True, True, "cloudflare") == [
        "ca-certificates", "openssl", "procps",
        "docker.io", "docker-cli", "docker-compose", "nginx", "certbot", "python3-certbot-dns-cloudflare",
        "postgresql", "redis-server",
    ]
    assert plan.packages_for(False, True, "") == ["ca-certificates", "openssl", "procps", "postgresql", "redis-server"]
