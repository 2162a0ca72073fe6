"""`/`: signup on the apex, the signed-in person's home (or the staff login) on a studio."""

import pytest


@pytest.mark.parametrize(
    "host", ["studio.test", "www.studio.test", "STUDIO.TEST", "studio.test:8443", "studio.test."]
)
def test_apex_root_redirects_to_signup(host_client, host):
    response = host_client(host).get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/signup")


@pytest.mark.parametrize("host", ["abbey.studio.test", "ABBEY.Studio.Test", "abbey.studio.test:8443"])
def test_studio_root_redirects_to_login(abbey, host_client, host):
    response = host_client(host).get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")
