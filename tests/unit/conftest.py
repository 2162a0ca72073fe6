"""flaskr-style fixtures (`app`, `client`, `runner`) plus clients for a given Host and studio."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import master_db, studio_db
from app.models.master import Organization
from app.tenancy.provisioning import NewStudio, provision_studio
from tests.conftest import DOMAIN, reset_databases

PASSWORD = "correct horse battery"


@pytest.fixture
def app_config() -> dict:
    """Settings (as the environment gives them) and Flask config on top of base_config; override to change."""
    return {}


@pytest.fixture
def app(base_config, app_config, redis_client):
    app = create_app({**base_config, "TESTING": True, **app_config})
    yield app
    reset_databases()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class HostClient:
    """A test client that sends every request with one Host header, as a browser on that host would."""

    def __init__(self, app, host: str) -> None:
        self.host = host
        self.http = app.test_client()

    def open(self, path: str, **kwargs):
        kwargs["headers"] = {**kwargs.get("headers", {}), "Host": self.host}
        return self.http.open(path, **kwargs)

    def get(self, path: str, **kwargs):
        return self.open(path, method="GET", **kwargs)

    def post(self, path: str, **kwargs):
        return self.open(path, method="POST", **kwargs)

    def csrf_token(self, path: str = "/login") -> str:
        page = self.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf-token" content="([^"]+)"', page)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post_form(self, path: str, data: dict, token_from: str | None = None):
        token = self.csrf_token(token_from or path)
        return self.post(path, data={**data, "csrf_token": token})


@pytest.fixture
def host_client(app):
    return lambda host: HostClient(app, host)


@pytest.fixture
def client(host_client):
    """A browser on the apex."""
    return host_client(DOMAIN)


@pytest.fixture
def make_studio(app):
    """Provision a real studio (database, migrations, owner) and return its organization."""

    def make(subdomain: str, owner_email: str | None = None, name: str | None = None) -> Organization:
        with app.app_context():
            return provision_studio(NewStudio.parse({
                "studio_name": name or subdomain.title(),
                "subdomain": subdomain,
                "owner_name": "Owner of " + subdomain,
                "email": owner_email or f"owner@{subdomain}.example",
                "password": PASSWORD,
            }, master_db.session))

    return make


@pytest.fixture
def studio_client(host_client):
    """A browser on a studio's subdomain."""
    return lambda subdomain: host_client(f"{subdomain}.{DOMAIN}")


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
def open_db(app):
    """`with open_db(organization) as db:` a Session on a studio's own database, to arrange and check rows.

    Committed on exit, unless the test left it failed (a refused flush it asserted on).
    """

    @contextmanager
    def open_db(organization):
        with app.app_context():
            db = Session(studio_db.engine(organization.database_name), expire_on_commit=False)
            try:
                yield db
                if db.is_active:
                    db.commit()
            finally:
                db.close()

    return open_db


@pytest.fixture
def db(open_db, make_studio):
    """A Session on the database of a freshly provisioned studio, abbey."""
    with open_db(make_studio("abbey")) as db:
        yield db
