"""Operator commands: `flask tenants create` refuses exactly what the signup wizard refuses."""

import pytest
from sqlalchemy import func, select

from app.extensions import master_db
from app.models.master import Organization

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
    options = {
        "--name": "Abbey Road",
        "--subdomain": "abbey",
        "--owner-name": "Ann",
        "--owner-email": "Ann@Example.com",
        "--owner-password": "correct horse battery",
        **changes,
    }
    return runner.invoke(args=["tenants", "create", *[part for pair in options.items() for part in pair]])


def test_tenants_create_provisions_a_studio_as_signup_does(app, runner, studio_client):
    result = tenants_create(runner)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created abbey (")
    login = studio_client("abbey").post_form(
        "/login", {"email": "ann@example.com", "password": "correct horse battery"}
    )
    assert login.status_code == 302


@pytest.mark.parametrize(("changes", "message"), CLI_REFUSALS)
def test_tenants_create_refuses_what_signup_refuses(app, runner, client, changes, message):
    result = tenants_create(runner, **changes)
    assert result.exit_code != 0 and message in result.output
    # The wizard refuses the same value, with the same message next to the field.
    option, value = next(iter(changes.items()))
    step = {
        "--name": "/signup",
        "--subdomain": "/signup",
        "--owner-name": "/signup/account",
        "--owner-email": "/signup/account",
        "--owner-password": "/signup/security",
    }[option]
    field = {
        "--name": "studio_name",
        "--subdomain": "subdomain",
        "--owner-name": "owner_name",
        "--owner-email": "email",
        "--owner-password": "password",
    }[option]
    if step != "/signup":
        client.post_form("/signup", {"studio_name": "Abbey", "subdomain": "abbey"})
    if step == "/signup/security":
        client.post_form("/signup/account", {"owner_name": "Ann", "email": "ann@example.com"})
    page = client.post_form(step, {field: value, "password_confirm": value})
    assert page.status_code == 422 and message.split(": ", 1)[1] in page.get_data(as_text=True).replace(
        "&#39;", "'"
    )
    with app.app_context():
        assert master_db.session.scalar(select(func.count(Organization.id))) == 0


def test_tenants_create_refuses_a_taken_subdomain(make_studio, runner):
    make_studio("abbey")
    result = tenants_create(runner)
    assert (
        result.exit_code != 0 and "--subdomain: abbey is already taken. Choose another name." in result.output
    )
