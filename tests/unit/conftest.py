"""Fixtures of the unit tests (the app, and the scripts that drive it): flaskr's `app`, `client`
and `runner`, browsers on a given host or studio, provisioned studios, and the fake Anthropic API
every app under test talks to."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import master_db, studio_db
from app.models.master import Organization
from app.models.studio import Client
from app.security.passwords import hash_password
from app.tenancy.provisioning import NewStudio, provision_studio
from e2e.fakes import anthropic_server, smtp_sink
from tests.conftest import DOMAIN, reset_databases
from tests.host_client import HostClient

PASSWORD = "correct horse battery"
API_KEY = "sk-ant-test-key-" + "k" * 24
CONVERSATION_ID = "chat-0001"


@pytest.fixture(scope="session")
def fake_server():
    fake = anthropic_server.start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_anthropic(fake_server):
    """The fake Anthropic API, emptied before and after the test: script it, read what it received."""
    fake_server.reset()
    yield fake_server
    fake_server.reset()


@pytest.fixture
def outbox(smtp_server, app, runner):
    """The relay's received mail: `outbox.deliver()` runs the mail worker until the queue is empty
    and returns what the relay received."""
    smtp_server.sink.reset()

    class Outbox:
        sink = smtp_server.sink

        def deliver(self):
            result = runner.invoke(args=["mail", "worker", "--burst"])
            assert result.exit_code == 0, result.output
            return self.sink.received()

    yield Outbox()
    smtp_server.sink.reset()


@pytest.fixture
def invite(outbox, studio_client):
    """`invite(owner_browser, client_id, password)`: staff send the client's portal invitation and
    the client sets `password` from the mailed link, as they would."""

    def invite(owner, client_id: int, password: str) -> None:
        edit = f"/clients/{client_id}/edit"
        sent = owner.post_form(f"/clients/{client_id}/portal", {"action": "invite"}, token_from=edit)
        assert sent.status_code == 302, sent.get_data(as_text=True)
        link = re.search(
            r"https?://\S+(/client/reset-password/\S+)", smtp_sink.text_part(outbox.deliver()[-1])
        )
        client = studio_client(owner.organization.subdomain)
        chosen = client.post_form(link.group(1), {"password": password})
        assert chosen.status_code == 302, chosen.get_data(as_text=True)

    return invite


@pytest.fixture
def anthropic_api_key() -> str:
    return API_KEY


@pytest.fixture
def ai_settings() -> dict:
    """Parametrize to change an assistant setting, e.g. {"ANTHROPIC_TIMEOUT_SECONDS": "1"}."""
    return {}


@pytest.fixture
def app_config(fake_server, smtp_server, ai_settings) -> dict:
    """Settings (as the environment gives them) and Flask config on top of base_config.

    The assistant always points at the fake API: no test can reach the real one.
    """
    return {
        "ASSISTANT_ENABLED": "true",
        "ANTHROPIC_API_KEY": API_KEY,
        "ANTHROPIC_BASE_URL": fake_server.url,
        # Every mail goes to the in-process sink (plain SMTP on the loopback).
        "MAIL_SMTP_URL": smtp_server.url,
        "MAIL_STARTTLS": "false",
        **ai_settings,
    }


@pytest.fixture
def app(base_config, app_config, redis_client):
    app = create_app({**base_config, "TESTING": True, **app_config})
    yield app
    reset_databases()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def host_client(app):
    return lambda host: HostClient(app, host)


@pytest.fixture
def client(host_client):
    """A browser on the apex."""
    return host_client(DOMAIN)


@pytest.fixture
def owner_password() -> str:
    """The password of every studio owner the fixtures provision."""
    return PASSWORD


@pytest.fixture
def make_studio(app):
    """Provision a real studio (database, migrations, owner) and return its organization."""

    def make(subdomain: str, owner_email: str | None = None, name: str | None = None) -> Organization:
        with app.app_context():
            return provision_studio(
                NewStudio.parse(
                    {
                        "studio_name": name or subdomain.title(),
                        "subdomain": subdomain,
                        "owner_name": "Owner of " + subdomain,
                        "email": owner_email or f"owner@{subdomain}.example",
                        "password": PASSWORD,
                    },
                    master_db.session,
                )
            )

    return make


@pytest.fixture
def abbey(make_studio):
    """The studio abbey, provisioned (its owner is owner@abbey.example)."""
    return make_studio("abbey")


@pytest.fixture
def cleo(app, abbey):
    """A client of abbey with portal access."""
    with app.app_context(), studio_db.studio_engine(abbey).begin() as conn:
        conn.execute(
            Client.__table__.insert().values(
                name="Cleo", email="cleo@example.com", password_hash=hash_password("cleo's password")
            )
        )


@pytest.fixture
def studio_client(host_client):
    """A browser on a studio's subdomain."""
    return lambda subdomain: host_client(f"{subdomain}.{DOMAIN}")


@pytest.fixture
def sign_in():
    """`sign_in(browser)` posts abbey's owner's credentials (or those given) to /login (or `path`)."""

    def sign_in(browser, email="owner@abbey.example", password=PASSWORD, path="/login"):
        return browser.post_form(path, {"email": email, "password": password})

    return sign_in


@pytest.fixture
def staff_client(make_studio, studio_client):
    """A studio's owner, signed in: `staff_client("abbey")` provisions abbey and logs its owner in."""

    def make(subdomain: str):
        organization = make_studio(subdomain)
        browser = studio_client(subdomain)
        response = browser.post_form("/login", {"email": f"owner@{subdomain}.example", "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        browser.organization = organization
        return browser

    return make


@pytest.fixture
def walk_wizard(outbox):
    """`walk_wizard(client)` signs up "Abbey Road" at abbey through the three steps, then confirms
    from the mailed link: the confirmation's response (or the last step's, when it was refused)."""

    def walk_wizard(client, subdomain="abbey", password=PASSWORD):
        first = client.post_form("/signup", {"studio_name": "Abbey Road", "subdomain": subdomain})
        assert first.status_code == 302, first.get_data(as_text=True)
        second = client.post_form("/signup/account", {"owner_name": "Ann", "email": "Ann@Example.com"})
        assert second.status_code == 302, second.get_data(as_text=True)
        sent = client.post_form("/signup/security", {"password": password, "password_confirm": password})
        if sent.status_code != 200:
            return sent
        return client.post_form(verification_path(outbox.deliver()[-1]), {})

    return walk_wizard


def verification_path(message) -> str:
    """The path of the signup's confirmation link in its mail."""
    return re.search(r"https?://[^/\s]+(/signup/verify/\S+)", smtp_sink.text_part(message)).group(1)


@pytest.fixture
def conversation_id() -> str:
    return CONVERSATION_ID


@pytest.fixture
def ask():
    """`ask(browser, message)` posts one chat message as the panel does: JSON plus the CSRF header."""

    def ask(browser, message, conversation_id: str = CONVERSATION_ID, **extra):
        token = browser.csrf_token("/dashboard")
        return browser.post(
            "/api/ai/chat",
            json={"message": message, "conversation_id": conversation_id, **extra},
            headers={"X-CSRFToken": token},
        )

    return ask


@pytest.fixture
def open_db(app):
    """`with open_db(organization) as db:` a Session on a studio's own database, to arrange and check rows,
    in an app context whose studio is `organization` (as a request's would be).

    Committed on exit, unless the test left it failed (a refused flush it asserted on).
    """

    @contextmanager
    def open_db(organization):
        with app.app_context():
            g.studio = organization
            db = Session(studio_db.studio_engine(organization), expire_on_commit=False)
            try:
                yield db
                if db.is_active:
                    db.commit()
            finally:
                db.close()

    return open_db


@pytest.fixture
def db(open_db, abbey):
    """A Session on the database of a freshly provisioned studio, abbey."""
    with open_db(abbey) as db:
        yield db
