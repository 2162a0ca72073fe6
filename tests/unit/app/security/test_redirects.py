"""The redirect-target check, by exact output: a same-site path passes, anything a browser could
read as another site (or a header injection) falls back to the default."""

import pytest

from app.security.redirects import same_site_path


@pytest.mark.parametrize(
    "target",
    ["/dashboard", "/clients?q=a%2F%2Fb&page=2", "/bookings?date=2026-12-01", "/caf%C3%A9", "/@evil.example"],
)
def test_a_path_of_this_site_is_followed(target):
    assert same_site_path(target, "/default") == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "\t//evil.example",
        " //evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/x\r\nSet-Cookie: a=b",
        "/\x00/evil.example",
    ],
)
def test_anything_a_browser_could_read_as_another_site_falls_back(target):
    assert same_site_path(target, "/default") == "/default"
