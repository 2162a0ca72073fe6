"""Signup on the apex: the wizard, the live check, and all-or-nothing provisioning."""

import pytest
from sqlalchemy import func, select, text

from app.extensions import master_db, studio_db
from app.inputs import FormError
from app.models.master import AiCreditEntry, Organization, Subscription
from app.models.studio import StaffAccount
from app.settings import app_settings
from app.tenancy import provisioning
from tests.conftest import PREFIX, databases_with_prefix


def walk_wizard(client, subdomain="abbey", password="correct horse battery"):
    first = client.post_form("/signup", {"studio_name": "Abbey Road", "subdomain": subdomain})
    assert first.status_code == 302, first.get_data(as_text=True)
    second = client.post_form("/signup/account", {"owner_name": "Ann", "email": "Ann@Example.com"})
    assert second.status_code == 302, second.get_data(as_text=True)
    return client.post_form("/signup/security", {"password": password, "password_confirm": password})


def test_wizard_provisions_the_studio_and_sends_the_owner_to_its_login(app, client, studio_client):
    response = walk_wizard(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "http://abbey.studio.test/login?welcome=1"
    with app.app_context():
        organization = master_db.session.scalar(select(Organization).where(Organization.subdomain == "abbey"))
        assert organization.status == "TRIAL"
        assert organization.name == "Abbey Road"
        assert organization.database_name == app_settings(app).TENANT_DATABASE_PREFIX + organization.id.hex
        assert master_db.session.scalar(
            select(func.sum(AiCreditEntry.delta)).where(AiCreditEntry.organization_id == organization.id)
        ) == app_settings(app).AI_TRIAL_CREDITS
        assert master_db.session.scalar(select(Subscription.status)) == "trialing"
        with studio_db.engine(organization.database_name).connect() as conn:
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
    assert answer == {"subdomain": "abbey", "available": False, "message": "abbey is already taken. Choose another name."}


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


@pytest.mark.parametrize("failing_step", ["migrate_studio_database", "create_owner"])
def test_failed_provisioning_leaves_no_row_and_no_database(app, client, monkeypatch, failing_step):
    before = databases_with_prefix(PREFIX + "t_")

    def explode(*_args, **_kwargs):
        raise RuntimeError(f"injected failure in {failing_step}")

    monkeypatch.setattr(provisioning, failing_step, explode)
    with pytest.raises(RuntimeError, match="injected failure"):
        walk_wizard(client)
    assert databases_with_prefix(PREFIX + "t_") == before
    with app.app_context():
        assert master_db.session.scalar(select(func.count(Organization.id))) == 0
        assert master_db.session.scalar(select(func.count(AiCreditEntry.id))) == 0
        assert master_db.session.scalar(select(func.count(Subscription.id))) == 0


def test_studio_database_is_named_from_the_id_not_from_user_text(app, make_studio):
    organization = make_studio("robert-drop-table")
    assert "robert" not in organization.database_name
    with app.app_context(), studio_db.engine(organization.database_name).connect() as conn:
        assert conn.scalar(text("SELECT current_database()")) == organization.database_name


CLI_REFUSALS = [
    ({"--subdomain": "ab"}, "--subdomain: Use between 3 and 30 characters."),
    ({"--subdomain": "www"}, "--subdomain: www is reserved."),
    ({"--subdomain": "ab--bey"}, "--subdomain: Don't use two hyphens in a row."),
    ({"--name": "x" * 121}, "--name: Use at most 120 characters."),
    ({"--owner-name": " "}, "--owner-name: Enter your name."),
    ({"--owner-email": "not-an-email"}, "--owner-email: Enter an email address"),
    ({"--owner-password": "short"}, "--owner-password: Use at least 10 characters."),
]


def tenants_create(runner, **changes):
    options = {"--name": "Abbey Road", "--subdomain": "abbey", "--owner-name": "Ann",
               "--owner-email": "Ann@Example.com", "--owner-password": "correct horse battery", **changes}
    return runner.invoke(args=["tenants", "create", *[part for pair in options.items() for part in pair]])


def test_tenants_create_provisions_a_studio_as_signup_does(app, runner, studio_client):
    result = tenants_create(runner)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created abbey (")
    login = studio_client("abbey").post_form("/login", {"email": "ann@example.com", "password": "correct horse battery"})
    assert login.status_code == 302


@pytest.mark.parametrize(("changes", "message"), CLI_REFUSALS)
def test_tenants_create_refuses_what_signup_refuses(app, runner, client, changes, message):
    result = tenants_create(runner, **changes)
    assert result.exit_code != 0 and message in result.output
    # The wizard refuses the same value, with the same message next to the field.
    option, value = next(iter(changes.items()))
    step = {"--name": "/signup", "--subdomain": "/signup", "--owner-name": "/signup/account",
            "--owner-email": "/signup/account", "--owner-password": "/signup/security"}[option]
    field = {"--name": "studio_name", "--subdomain": "subdomain", "--owner-name": "owner_name",
             "--owner-email": "email", "--owner-password": "password"}[option]
    if step != "/signup":
        client.post_form("/signup", {"studio_name": "Abbey", "subdomain": "abbey"})
    if step == "/signup/security":
        client.post_form("/signup/account", {"owner_name": "Ann", "email": "ann@example.com"})
    page = client.post_form(step, {field: value, "password_confirm": value})
    assert page.status_code == 422 and message.split(": ", 1)[1] in page.get_data(as_text=True).replace("&#39;", "'")
    with app.app_context():
        assert master_db.session.scalar(select(func.count(Organization.id))) == 0


def test_tenants_create_refuses_a_taken_subdomain(make_studio, runner):
    make_studio("abbey")
    result = tenants_create(runner)
    assert result.exit_code != 0 and "--subdomain: abbey is already taken. Choose another name." in result.output


def test_a_subdomain_taken_during_provisioning_is_a_refusal_that_leaves_nothing(app, make_studio):
    """Two signups for one name both passed the check: the unique index lets one win, the other is refused."""
    make_studio("abbey")
    before = databases_with_prefix(PREFIX + "t_")
    late = provisioning.NewStudio(studio_name="Abbey", subdomain="abbey", owner_name="Ann",
                                  email="ann@example.com", password="correct horse battery")
    with app.app_context(), pytest.raises(FormError) as refused:
        provisioning.provision_studio(late)
    assert refused.value.errors == {"subdomain": "abbey was taken a moment ago. Choose another name."}
    assert databases_with_prefix(PREFIX + "t_") == before
