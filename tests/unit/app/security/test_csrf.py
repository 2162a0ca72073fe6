"""CSRF: every state-changing request carries the session's token, as a form field or a header."""


def test_post_without_csrf_token_is_refused(abbey, studio_client, owner_password):
    browser = studio_client("abbey")
    browser.get("/login")
    response = browser.post("/login", data={"email": "owner@abbey.example", "password": owner_password})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_post_with_a_wrong_csrf_token_is_refused(abbey, studio_client):
    browser = studio_client("abbey")
    browser.get("/login")
    response = browser.post("/login", data={"email": "x", "password": "y", "csrf_token": "forged"})
    assert response.status_code == 400


def test_csrf_header_is_accepted_for_json(abbey, studio_client, owner_password):
    browser = studio_client("abbey")
    token = browser.csrf_token()
    response = browser.post(
        "/login",
        data={"email": "owner@abbey.example", "password": owner_password},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 302
