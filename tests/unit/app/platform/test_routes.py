"""The apex: the signup wizard, the live subdomain check, the studio finder; never on a studio's host."""

import pytest
from sqlalchemy import func, select

from app.extensions import master_db, studio_db
from app.models.master import AiCreditEntry, Organization, Subscription
from app.models.studio import StaffAccount
from app.settings import app_settings
from tests.conftest import studio_databases
from tests.unit.conftest import verification_path


def test_wizard_provisions_the_studio_and_sends_the_owner_to_its_login(
    app, client, studio_client, walk_wizard
):
    response = walk_wizard(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "http://abbey.studio.test/login?welcome=1"
    with app.app_context():
        organization = master_db.session.scalar(select(Organization).where(Organization.subdomain == "abbey"))
        assert organization.status == "TRIAL"
        assert organization.name == "Abbey Road"
        assert organization.database_name == app_settings(app).TENANT_DATABASE_PREFIX + organization.id.hex
        assert (
            master_db.session.scalar(
                select(func.sum(AiCreditEntry.delta)).where(AiCreditEntry.organization_id == organization.id)
            )
            == app_settings(app).AI_TRIAL_CREDITS
        )
        assert master_db.session.scalar(select(Subscription.status)) == "trialing"
        with studio_db.studio_engine(organization).connect() as conn:
            owner = conn.execute(select(StaffAccount.email, StaffAccount.role)).one()
        assert tuple(owner) == ("ann@example.com", "owner")
    login = studio_client("abbey").post_form(
        "/login", {"email": "ann@example.com", "password": "correct horse battery"}
    )
    assert login.status_code == 302
    assert login.headers["Location"].endswith("/dashboard")


def test_wizard_keeps_data_between_steps(client):
    client.post_form("/signup", {"studio_name": "Abbey Road", "subdomain": "abbey"})
    client.post_form("/signup/account", {"owner_name": "Ann", "email": "ann@example.com"})
    back_to_first = client.get("/signup").get_data(as_text=True)
    assert 'value="Abbey Road"' in back_to_first and 'value="abbey"' in back_to_first
    assert 'value="ann@example.com"' in client.get("/signup/account").get_data(as_text=True)


def test_later_steps_without_earlier_ones_go_back_to_the_start(client):
    assert client.get("/signup/security").headers["Location"].endswith("/signup")
    assert client.get("/signup/account").headers["Location"].endswith("/signup")


@pytest.mark.parametrize(
    ("subdomain", "message"),
    [
        ("ab", "between 3 and 30"),
        ("a" * 31, "between 3 and 30"),
        ("-abbey", "start and end with a letter or digit"),
        ("abbey-", "start and end with a letter or digit"),
        ("ab_bey", "lower-case letters"),
        ("ab.bey", "lower-case letters"),
        ("ab--bey", "two hyphens"),
        ("www", "reserved"),
        ("api", "reserved"),
        ("admin", "reserved"),
        ("mail", "reserved"),
        ("static", "reserved"),
    ],
)
def test_subdomain_check_refuses_with_its_own_message(client, subdomain, message):
    answer = client.get(f"/signup/check?subdomain={subdomain}").get_json()
    assert answer["available"] is False
    assert message in answer["message"]
    form = client.post_form("/signup", {"studio_name": "X", "subdomain": subdomain})
    assert form.status_code == 422
    assert message in form.get_data(as_text=True)


def test_subdomain_check_refuses_a_taken_name(make_studio, client):
    make_studio("abbey")
    answer = client.get("/signup/check?subdomain=abbey").get_json()
    assert answer == {
        "subdomain": "abbey",
        "available": False,
        "message": "abbey is already taken. Choose another name.",
    }


def test_subdomain_check_accepts_a_free_name(client):
    answer = client.get("/signup/check?subdomain=sun-studio-9").get_json()
    assert answer["available"] is True
    assert "sun-studio-9.studio.test is available" in answer["message"]


@pytest.mark.parametrize(
    ("step", "data", "field_message"),
    [
        ("/signup", {"studio_name": "", "subdomain": "abbey"}, "Enter your studio"),
        ("/signup/account", {"owner_name": "", "email": "ann@example.com"}, "Enter your name"),
        ("/signup/account", {"owner_name": "Ann", "email": "not-an-email"}, "Enter an email address"),
        ("/signup/security", {"password": "short", "password_confirm": "short"}, "at least 10 characters"),
        ("/signup/security", {"password": "long enough 1", "password_confirm": "long enough 2"}, "differ"),
    ],
)
def test_each_step_refuses_bad_input_next_to_the_field(app, client, step, data, field_message):
    if step != "/signup":
        client.post_form("/signup", {"studio_name": "Abbey", "subdomain": "abbey"})
    if step == "/signup/security":
        client.post_form("/signup/account", {"owner_name": "Ann", "email": "ann@example.com"})
    response = client.post_form(step, data)
    assert response.status_code == 422
    assert field_message in response.get_data(as_text=True)
    with app.app_context():
        assert master_db.session.scalar(select(func.count(Organization.id))) == 0


def test_a_name_taken_between_check_and_submit_returns_to_the_first_step(app, client, make_studio):
    client.post_form("/signup", {"studio_name": "Abbey", "subdomain": "abbey"})
    client.post_form("/signup/account", {"owner_name": "Ann", "email": "ann@example.com"})
    make_studio("abbey")
    response = client.post_form(
        "/signup/security", {"password": "correct horse battery", "password_confirm": "correct horse battery"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/signup")
    assert "abbey is already taken. Choose another name." in client.get("/signup").get_data(as_text=True)


def test_studio_finder_sends_the_user_to_their_studio(abbey, client):
    response = client.post_form(
        "/find-studio", {"subdomain": "Abbey", "next": "/client/login"}, "/find-studio"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "http://abbey.studio.test/client/login"


def test_studio_finder_refuses_a_foreign_next_path(abbey, client):
    response = client.post_form(
        "/find-studio", {"subdomain": "abbey", "next": "//evil.example/x"}, "/find-studio"
    )
    assert response.headers["Location"] == "http://abbey.studio.test/login"


def test_studio_finder_explains_an_unknown_studio(client):
    response = client.post_form("/find-studio", {"subdomain": "nosuch"}, "/find-studio")
    assert response.status_code == 404
    assert "no studio called nosuch" in response.get_data(as_text=True)


def test_platform_pages_are_not_served_on_a_studio(abbey, studio_client):
    assert studio_client("abbey").get("/signup").status_code == 404


def _finish_wizard(client, subdomain="abbey"):
    client.post_form("/signup", {"studio_name": "Abbey Road", "subdomain": subdomain})
    client.post_form("/signup/account", {"owner_name": "Ann", "email": "ann@example.com"})
    return client.post_form(
        "/signup/security", {"password": "correct horse battery", "password_confirm": "correct horse battery"}
    )


def _organizations(app) -> int:
    with app.app_context():
        return master_db.session.scalar(select(func.count()).select_from(Organization))


def test_nothing_is_created_before_the_owner_follows_the_mailed_link(app, client, outbox, redis_client):
    sent = _finish_wizard(client)
    assert sent.status_code == 200
    page = sent.get_data(as_text=True)
    assert "Check your email" in page and "ann@example.com" in page and "abbey.studio.test" in page
    assert _organizations(app) == 0 and studio_databases() == set()
    [message] = outbox.deliver()
    assert message["To"] == "ann@example.com" and message["Subject"] == "Confirm your studio Abbey Road"
    assert "correct horse battery" not in str(redis_client.keys("*")) + str(
        [redis_client.get(k) for k in redis_client.keys("signup:pending:*")]
    )
    [key] = redis_client.keys("signup:pending:*")
    assert 23 * 3600 < redis_client.ttl(key) <= 24 * 3600  # unconfirmed, it expires by itself
    path = verification_path(message)
    confirm = client.get(path)  # a mail scanner fetching the link creates nothing
    assert confirm.status_code == 200 and "Create my studio" in confirm.get_data(as_text=True)
    assert _organizations(app) == 0
    created = client.post_form(path, {})
    assert (
        created.status_code == 302
        and created.headers["Location"] == "http://abbey.studio.test/login?welcome=1"
    )
    assert _organizations(app) == 1
    assert client.post_form(path, {}, token_from="/signup").status_code == 410  # once
    assert "This link has expired or was already used" in client.get(path).get_data(as_text=True)


def test_a_name_confirmed_first_by_someone_else_is_refused_clearly(app, client, host_client, outbox):
    _finish_wizard(client)
    rival = host_client("studio.test")
    _finish_wizard(rival)
    first, second = (verification_path(m) for m in outbox.deliver())
    assert rival.post_form(second, {}).status_code == 302
    refused = client.post_form(first, {})
    assert refused.status_code == 409
    assert "abbey is already taken. Choose another name." in refused.get_data(as_text=True)
    assert _organizations(app) == 1


def test_a_made_up_link_is_refused(client):
    assert client.get("/signup/verify/made-up").status_code == 410
