"""New studios are copies of the migrated template: made at the history's head, made again when the
head moves or when it was left half made, and never in the way of a failed signup's cleanup."""

import pytest
from sqlalchemy import func, select, text

from app.extensions import master_db, studio_db
from app.models.master import Organization
from app.tenancy import migrations, provisioning
from app.tenancy.studio_template import template_name
from tests.conftest import PREFIX, databases_with_prefix, drop_databases, server_engine

TEMPLATES = PREFIX + "t_template_"


@pytest.fixture
def no_template():
    drop_databases(databases_with_prefix(TEMPLATES))


def accepts_connections(name: str) -> bool | None:
    with server_engine().connect() as conn:
        return conn.scalar(text("SELECT datallowconn FROM pg_database WHERE datname = :n"), {"n": name})


def revision_and_owners(app, organization) -> tuple[str, list[str]]:
    with app.app_context(), studio_db.studio_engine(organization).connect() as conn:
        owners = list(conn.scalars(text("SELECT email FROM staff_accounts")))
        return migrations.revision_of(conn), owners


def test_a_studio_is_a_copy_of_the_template_made_at_the_head(app, no_template, make_studio):
    abbey, olympic = make_studio("abbey"), make_studio("olympic")
    head = migrations.head("studio")
    with app.app_context():
        template = template_name()
    assert databases_with_prefix(TEMPLATES) == {template} and template.endswith("_" + head)
    assert accepts_connections(template) is False
    assert revision_and_owners(app, abbey) == (head, ["owner@abbey.example"])
    assert revision_and_owners(app, olympic) == (head, ["owner@olympic.example"])


def test_the_template_of_an_earlier_head_is_replaced(app, no_template, make_studio):
    stale = TEMPLATES + "0000"
    with server_engine().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{stale}" WITH ALLOW_CONNECTIONS false'))
    abbey = make_studio("abbey")
    with app.app_context():
        assert databases_with_prefix(TEMPLATES) == {template_name()}
    assert revision_and_owners(app, abbey)[0] == migrations.head("studio")


def test_a_half_made_template_is_made_again(app, no_template, make_studio, walk_wizard, client, monkeypatch):
    """A migration of the template fails: the signup leaves nothing, and the next one remakes it."""

    def explode(_server, _name):
        raise RuntimeError("injected failure while migrating the template")

    monkeypatch.setattr(provisioning, "migrate_studio_database", explode)
    with pytest.raises(RuntimeError, match="injected failure"):
        walk_wizard(client)
    with app.app_context():
        template = template_name()
        assert master_db.session.scalar(select(func.count(Organization.id))) == 0
    assert databases_with_prefix(PREFIX + "t_") == {template}
    assert accepts_connections(template) is True
    monkeypatch.undo()
    abbey = make_studio("abbey")
    assert accepts_connections(template) is False
    assert revision_and_owners(app, abbey) == (migrations.head("studio"), ["owner@abbey.example"])
