"""Behaviour over HTTPS from the test machine, through nginx, trusting only the test CA."""

from __future__ import annotations

import hashlib
import http.client
import re
import secrets
import socket
import ssl

import pytest

from e2e import smtp_relay
from e2e.fakes.smtp_sink import text_part

PASSWORD = "e2e-" + secrets.token_urlsafe(12)


@pytest.mark.parametrize("sub", ["", "www.", "some-studio."])
def test_http_redirects_to_https(browser, domain, sub):
    resp = browser.get(f"http://{sub}{domain}/client/login?x=1")
    assert resp.status in (301, 302, 307, 308), resp.status
    assert resp.location == f"https://{sub}{domain}/client/login?x=1"


def test_https_sends_hsts(browser, domain):
    resp = browser.get(f"https://{domain}/signup")
    assert "max-age=" in resp.headers.get("strict-transport-security", "")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("version", ["TLSv1", "TLSv1_1"])
def test_old_tls_versions_are_refused(e2e_state, domain, version):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(e2e_state["pebble_issuer_root"])
    try:
        ctx.minimum_version = ctx.maximum_version = getattr(ssl.TLSVersion, version)
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):
        pytest.skip(f"this OpenSSL cannot even offer {version}")
    with (
        socket.create_connection((e2e_state["server_ip"], 443), timeout=10) as sock,
        pytest.raises((ssl.SSLError, ConnectionError)),
    ):
        ctx.wrap_socket(sock, server_hostname=domain).close()


@pytest.mark.parametrize("version", ["TLSv1_2", "TLSv1_3"])
def test_current_tls_versions_are_accepted(e2e_state, domain, version):
    ctx = ssl.create_default_context(cafile=e2e_state["pebble_issuer_root"])
    ctx.minimum_version = ctx.maximum_version = getattr(ssl.TLSVersion, version)
    with (
        socket.create_connection((e2e_state["server_ip"], 443), timeout=10) as sock,
        ctx.wrap_socket(sock, server_hostname=domain) as tls,
    ):
        assert tls.version() == version.replace("_", ".")


def test_apex_root_leads_to_signup(browser, domain):
    resp = browser.get(f"https://{domain}/")
    assert resp.status in (301, 302, 303, 307, 308), resp.status
    assert resp.location in ("/signup", f"https://{domain}/signup")


def test_signup_page_answers(browser, domain):
    resp = browser.get(f"https://{domain}/signup")
    assert resp.status == 200 and 'name="subdomain"' in resp.body


@pytest.fixture(scope="session")
def new_studio(e2e_state):
    """Sign a new studio up through the three-step wizard and its mailed link, as a browser would."""
    from e2e.browser import Browser

    domain = e2e_state["domain"]
    browser = Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])
    sub = "e2e-" + secrets.token_hex(3)
    apex = f"https://{domain}"
    hops = {}
    page = browser.get(f"{apex}/signup")
    hops["step1"] = browser.post(
        f"{apex}/signup",
        data={"csrf_token": page.csrf_token(), "studio_name": f"E2E Studio {sub}", "subdomain": sub},
    )
    page = browser.follow(hops["step1"])
    hops["step2"] = browser.post(
        page.url,
        data={"csrf_token": page.csrf_token(), "owner_name": "E2E Owner", "email": f"owner@{sub}.example"},
    )
    page = browser.follow(hops["step2"])
    before = len(smtp_relay.messages())
    hops["step3"] = browser.post(
        page.url, data={"csrf_token": page.csrf_token(), "password": PASSWORD, "password_confirm": PASSWORD}
    )
    # Nothing exists until the owner follows the mailed link (the harness's SMTP sink is the relay).
    hops["before_link"] = browser.get(f"https://{sub}.{domain}/login")
    message = smtp_relay.wait_for_mail(
        f"owner@{sub}.example", f"Confirm your studio E2E Studio {sub}", after=before
    )
    link = re.search(r"https://\S+/signup/verify/\S+", text_part(message)).group(0)
    confirm = browser.get(link)
    hops["confirmed"] = browser.post(link, data={"csrf_token": confirm.csrf_token()})
    hops["link_again"] = browser.get(link)
    return {
        "subdomain": sub,
        "name": f"E2E Studio {sub}",
        "email": f"owner@{sub}.example",
        "password": PASSWORD,
        "hops": hops,
        "host": f"{sub}.{domain}",
    }


def test_signup_wizard_steps_advance(new_studio):
    hops = new_studio["hops"]
    assert hops["step1"].status == 302 and hops["step1"].location.endswith("/signup/account"), hops[
        "step1"
    ].status
    assert hops["step2"].status == 302 and hops["step2"].location.endswith("/signup/security"), hops[
        "step2"
    ].status


def test_signup_mails_a_link_and_creates_the_studio_only_when_it_is_followed(new_studio):
    hops = new_studio["hops"]
    assert hops["step3"].status == 200 and "Check your email" in hops["step3"].body, hops["step3"].body[:500]
    assert hops["before_link"].status == 404  # no such studio yet
    final = hops["confirmed"]
    assert final.status == 302, (final.status, final.body[:500])
    assert final.location == f"https://{new_studio['host']}/login?welcome=1"
    assert hops["link_again"].status == 410


def test_new_studio_subdomain_serves_its_login(browser, new_studio):
    resp = browser.get(f"https://{new_studio['host']}/login?welcome=1")
    assert resp.status == 200 and new_studio["name"] in resp.body


def test_staff_login_on_the_new_subdomain(browser, new_studio):
    url = f"https://{new_studio['host']}/login"
    page = browser.get(url)
    resp = browser.post(
        url,
        data={
            "csrf_token": page.csrf_token(),
            "email": new_studio["email"],
            "password": new_studio["password"],
        },
    )
    assert resp.status == 302, (resp.status, resp.body[:300])
    dashboard = browser.follow(resp)
    assert dashboard.status == 200 and dashboard.url.startswith(f"https://{new_studio['host']}/")
    assert new_studio["name"] in dashboard.body


def test_staff_login_with_a_wrong_password_is_refused(browser, new_studio):
    url = f"https://{new_studio['host']}/login"
    page = browser.get(url)
    resp = browser.post(
        url,
        data={"csrf_token": page.csrf_token(), "email": new_studio["email"], "password": "not-the-password"},
    )
    assert resp.status == 401


def test_apex_client_login_leads_to_the_studio_finder(browser, domain):
    resp = browser.get(f"https://{domain}/client/login")
    assert resp.status in (302, 303), resp.status
    page = browser.follow(resp)
    assert page.status == 200, page.status
    assert "/find-studio" in page.url


def test_studio_finder_sends_to_the_studio_client_login(browser, domain, new_studio):
    page = browser.follow(browser.get(f"https://{domain}/client/login"))
    resp = browser.post(
        page.url,
        data={"csrf_token": page.csrf_token(), "subdomain": new_studio["subdomain"], "next": "/client/login"},
    )
    assert resp.status in (302, 303), resp.status
    assert resp.location == f"https://{new_studio['host']}/client/login"


def test_studio_finder_never_500s_on_an_unknown_name(browser, domain):
    page = browser.follow(browser.get(f"https://{domain}/client/login"))
    resp = browser.post(page.url, data={"csrf_token": page.csrf_token(), "subdomain": "no-such-studio-e2e"})
    assert resp.status < 500 and resp.status == 404


def test_unknown_subdomain_is_404(browser, domain):
    resp = browser.get(f"https://no-such-studio-e2e.{domain}/login")
    assert resp.status == 404


def _refused(callable_) -> tuple[bool, str]:
    try:
        resp = callable_()
    except (
        TimeoutError,
        ssl.SSLError,
        ConnectionError,
        http.client.RemoteDisconnected,
        http.client.BadStatusLine,
    ) as exc:
        return True, f"{type(exc).__name__}: {exc}"
    return resp.status in (400, 403, 421, 444), f"HTTP {resp.status}: {resp.body[:200]}"


def test_foreign_host_refused_over_https_with_foreign_sni(browser):
    ok, what = _refused(lambda: browser.get("https://evil.example/"))
    assert ok, what


def test_foreign_host_header_refused_over_https(browser, domain):
    ok, what = _refused(lambda: browser.get(f"https://{domain}/", host_header="evil.example"))
    assert ok, what


def test_foreign_host_refused_over_http(browser):
    ok, what = _refused(lambda: browser.get("http://evil.example/"))
    assert ok, what


def test_bare_ip_is_refused(browser, e2e_state):
    ok, what = _refused(lambda: browser.get(f"http://{e2e_state['server_ip']}/"))
    assert ok, what


def test_assistant_answers_through_the_fake_anthropic_api(browser, new_studio):
    from e2e import fake_api as fakes

    before = len(fakes.received())
    url = f"https://{new_studio['host']}/login"
    page = browser.get(url)
    browser.post(
        url,
        data={
            "csrf_token": page.csrf_token(),
            "email": new_studio["email"],
            "password": new_studio["password"],
        },
    )
    page = browser.follow(browser.get(f"https://{new_studio['host']}/"))
    token = page.csrf_token()
    marker = "e2e-" + secrets.token_hex(4)
    resp = browser.post(
        f"https://{new_studio['host']}/api/ai/chat",
        json={"message": f"Hello assistant {marker}", "conversation_id": "e2e-" + secrets.token_hex(8)},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert resp.status == 200, (resp.status, resp.body[:500])
    assert marker in resp.body, resp.body[:500]  # the fake echoes the message back
    received = fakes.received()
    assert len(received) > before, "the fake Anthropic API received no request"
    # The very key the operator gave pyinfra reached the container (compared by its SHA-256).
    assert received[-1]["key_sha256"] == hashlib.sha256(fakes.api_key().encode()).hexdigest()


# Every response a browser renders, through nginx: a page, a static file, an error page.
SECURITY_HEADERS = {
    "content-security-policy": "script-src 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "strict-transport-security": "max-age=63072000",
}


@pytest.mark.parametrize("path", ["/signup", "/static/style.css", "/no-such-page"])
@pytest.mark.parametrize("header", sorted(SECURITY_HEADERS))
def test_https_responses_carry_the_security_header(browser, domain, header, path):
    resp = browser.get(f"https://{domain}{path}")
    assert SECURITY_HEADERS[header] in resp.headers.get(header, ""), (resp.status, resp.headers)


def test_the_subdomain_check_is_rate_limited_per_address(browser, domain):
    # Through nginx: the limit counts the client's address (X-Forwarded-For), and says when to retry.
    from app.security.rate_limits import SUBDOMAIN_CHECK

    allowed = int(SUBDOMAIN_CHECK.split()[0])
    statuses = [browser.get(f"https://{domain}/signup/check?subdomain=free").status for _ in range(allowed)]
    assert statuses == [200] * allowed
    refused = browser.get(f"https://{domain}/signup/check?subdomain=free")
    assert refused.status == 429 and int(refused.headers.get("retry-after", "0")) > 0
