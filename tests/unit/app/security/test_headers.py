"""Security headers on every kind of response the app gives, with a policy the pages satisfy."""

import re

import pytest

from app.security.headers import content_security_policy


def test_the_policy_allows_only_the_sites_own_files_and_no_framing():
    assert content_security_policy("studio.test") == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self' studio.test:* *.studio.test:*; "
        "frame-ancestors 'none'"
    )


@pytest.mark.parametrize(
    "host, path, status",
    [
        ("studio.test", "/signup", 200),
        ("studio.test", "/no-such-page", 404),
        ("studio.test", "/static/style.css", 200),
        ("abbey.studio.test", "/login", 200),
        ("abbey.studio.test", "/api/ai/chat", 405),
        ("abbey.studio.test", "/healthz", 200),
    ],
)
def test_every_response_carries_the_headers(abbey, host_client, host, path, status):
    response = host_client(host).get(path)
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == content_security_policy("studio.test")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_page_carries_inline_script_style_or_handlers(staff_client):
    browser = staff_client("abbey")
    for path in (
        "/dashboard",
        "/clients",
        "/clients/new",
        "/bookings",
        "/bookings/new",
        "/invoices/new",
        "/accounts",
    ):
        page = browser.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert "<style" not in page and " style=" not in page, path
        assert not re.search(r"\son[a-z]+=", page), path
