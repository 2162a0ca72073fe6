"""certbot's command, credentials, drop-in and renewal hook, by exact output."""

import pytest

from deploy.certbot import config
from deploy.common.render import render

pytestmark = pytest.mark.unit

MANAGED = "# Managed by the deploy (pyinfra); local changes are overwritten.\n"


def test_certbot_command():
    assert config.certbot_command("studio.test", "a@studio.test", "https://ca/dir", "rfc2136", 2) == [
        "certbot",
        "certonly",
        "--non-interactive",
        "--agree-tos",
        "-m",
        "a@studio.test",
        "--server",
        "https://ca/dir",
        "--cert-name",
        "studio.test",
        "--authenticator",
        "dns-rfc2136",
        "--dns-rfc2136-credentials",
        "/etc/letsencrypt/rsm-dns-rfc2136.ini",
        "--dns-rfc2136-propagation-seconds",
        "2",
        "-d",
        "studio.test",
        "-d",
        "*.studio.test",
    ]
    assert config.certbot_command("d.test", "e", "u", "cloudflare", 60, force=True)[-1] == "--force-renewal"


def test_dns_credentials_ini_upper_cases_the_algorithm():
    context = config.credentials_context(
        {
            "dns_rfc2136_server": "172.17.0.1",
            "dns_rfc2136_port": 5353,
            "dns_rfc2136_name": "acme",
            "dns_rfc2136_secret": "c2VjcmV0",
            "dns_rfc2136_algorithm": "hmac-sha512",
        }
    )
    assert render("certbot/dns-credentials.ini.j2", context) == (
        "# certbot DNS plugin credentials, written by the deploy (root-only).\n"
        "dns_rfc2136_server = 172.17.0.1\n"
        "dns_rfc2136_port = 5353\n"
        "dns_rfc2136_name = acme\n"
        "dns_rfc2136_secret = c2VjcmV0\n"
        "dns_rfc2136_algorithm = HMAC-SHA512\n"
    )


def test_certificate_is_current():
    lineage = {"server": "https://ca/dir", "domains": ["*.d.test", "d.test"]}
    assert config.certificate_is_current(lineage, "d.test", "https://ca/dir")
    assert not config.certificate_is_current(lineage, "d.test", "https://other/dir")
    assert not config.certificate_is_current({**lineage, "domains": ["d.test"]}, "d.test", "https://ca/dir")
    assert not config.certificate_is_current(None, "d.test", "https://ca/dir")


def test_certificate_paths():
    assert config.certificate_paths("studio.test") == (
        "/etc/letsencrypt/live/studio.test/fullchain.pem",
        "/etc/letsencrypt/live/studio.test/privkey.pem",
    )


def test_service_dropin_gives_renewals_the_ca_bundle_only_when_there_is_one():
    dropin = "certbot/certbot-service.conf.j2"
    assert render(dropin, config.service_dropin_context("/etc/rsm/acme-ca.pem")) == MANAGED + (
        "[Service]\nEnvironment=REQUESTS_CA_BUNDLE=/etc/rsm/acme-ca.pem\n"
    )
    assert render(dropin, config.service_dropin_context(None)) == MANAGED + "[Service]\n"


def test_renewal_hook_reloads_nginx_only_with_a_valid_configuration():
    assert render("certbot/reload-nginx.j2", {}) == "#!/bin/sh\n" + MANAGED + (
        "# Reload nginx with a renewed certificate, only if its configuration is valid.\n"
        "set -e\n"
        "nginx -t -q\n"
        "systemctl reload nginx\n"
    )
