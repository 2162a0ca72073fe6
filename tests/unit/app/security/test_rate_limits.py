"""Request rates of the anonymous endpoints that cost, counted by Flask-Limiter in the real Redis:
the limit holds, the 429 says why (a page, or JSON for the subdomain check) with Retry-After, and
the sign-in forms count per studio."""

from sqlalchemy import func, select

from app.extensions import master_db
from app.models.master import Organization
from app.security import rate_limits


def _count(limit: str) -> int:
    """The first number of a limit such as "30 per minute"."""
    return int(limit.split(";")[0].split()[0])


def test_signups_beyond_the_limit_are_refused_before_a_database_is_created(app, client, walk_wizard):
    allowed = _count(rate_limits.SIGNUP)
    for number in range(allowed):
        assert walk_wizard(client, subdomain=f"studio{number}").status_code == 302
    refused = walk_wizard(client, subdomain="onetoomany")
    assert refused.status_code == 429
    assert rate_limits.TOO_MANY_SIGNUPS in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    with app.app_context():
        assert master_db.session.scalar(select(func.count()).select_from(Organization)) == allowed


def test_a_mistyped_confirmation_does_not_count_as_a_signup(client, walk_wizard):
    for _ in range(_count(rate_limits.SIGNUP) + 1):
        client.post_form("/signup", {"studio_name": "Abbey Road", "subdomain": "abbey"})
        client.post_form("/signup/account", {"owner_name": "Ann", "email": "ann@example.com"})
        mistyped = client.post_form(
            "/signup/security", {"password": "long enough one", "password_confirm": "another one"}
        )
        assert mistyped.status_code == 422
    assert walk_wizard(client).status_code == 302


def test_the_subdomain_check_answers_429_in_json_past_its_limit(client):
    for _ in range(_count(rate_limits.SUBDOMAIN_CHECK)):
        assert client.get("/signup/check?subdomain=abbey").status_code == 200
    refused = client.get("/signup/check?subdomain=abbey", headers={"Accept": "application/json"})
    assert refused.status_code == 429
    assert refused.get_json() == {"error": "Too Many Requests", "message": rate_limits.TOO_MANY}
    assert "Retry-After" in refused.headers


def test_the_studio_finder_is_limited(client):
    for _ in range(_count(rate_limits.FIND_STUDIO)):
        assert client.post_form("/find-studio", {"subdomain": "guess"}).status_code == 404
    assert client.post_form("/find-studio", {"subdomain": "guess"}).status_code == 429


def test_sign_in_attempts_are_limited_per_studio_and_address(make_studio, studio_client, sign_in):
    make_studio("abbey")
    make_studio("bravo")
    abbey = studio_client("abbey")
    for number in range(_count(rate_limits.SIGN_IN) // 2):
        # Both forms share the budget; the GET that gives the CSRF token is not counted.
        assert sign_in(abbey).status_code == 302
        assert sign_in(abbey, f"nobody{number}@example.com", path="/client/login").status_code == 401
    refused = sign_in(abbey)
    assert refused.status_code == 429 and rate_limits.TOO_MANY in refused.get_data(as_text=True)
    assert sign_in(studio_client("bravo"), email="owner@bravo.example").status_code == 302
