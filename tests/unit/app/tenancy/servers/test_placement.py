"""Placement of new studios on the servers, each studio reached on its own server only, the
operator's commands across servers, and the setting's validation."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import text, update

from app.extensions import master_db, studio_db
from app.models.master import Organization
from app.settings import SettingsError, _postgres_url, load_settings
from app.tenancy import migrations
from app.tenancy.servers import DatabaseServer, choose_server, parse_servers
from tests.unit.app.tenancy.servers.conftest import HOME_URL, databases_on

A, B, C = (DatabaseServer(name, "postgresql+psycopg://x/postgres") for name in ("db-1", "db-2", "db-3"))


@pytest.mark.parametrize(
    ("servers", "studios", "chosen"),
    [
        ((A, B), {}, "db-1"),  # a tie goes to the earlier server
        ((A, B), {"db-1": 1}, "db-2"),
        ((A, B, C), {"db-1": 3, "db-2": 2, "db-3": 2}, "db-2"),
        ((A, B), {"db-1": 5, "db-2": 5, "gone": 0}, "db-1"),
        # db-2 weighs 3: it takes three studios for each one of db-1
        ((A, DatabaseServer("db-2", "u", None, 3.0)), {"db-1": 1, "db-2": 2}, "db-2"),
        ((A, DatabaseServer("db-2", "u", None, 3.0)), {"db-1": 1, "db-2": 3}, "db-1"),
    ],
)
def test_choose_server_takes_the_fewest_studios_per_weight(servers, studios, chosen):
    assert choose_server(servers, studios) == chosen


def test_parse_servers_keeps_the_order_and_the_urls_query():
    raw = json.dumps(
        {
            "db-2": {
                "url": "postgresql://rsm:pw@10.0.0.4:5432/postgres?sslmode=verify-full&sslrootcert=/etc/rsm/ca.crt"
            },
            "db-1": {
                "url": "postgres://rsm:pw@10.0.0.3/postgres",
                "pool_url": "postgresql://h:6432/p",
                "weight": 2.5,
            },
        }
    )
    assert parse_servers(raw, _postgres_url) == (
        DatabaseServer(
            "db-2",
            "postgresql+psycopg://rsm:pw@10.0.0.4:5432/postgres?sslmode=verify-full&sslrootcert=/etc/rsm/ca.crt",
        ),
        DatabaseServer(
            "db-1", "postgresql+psycopg://rsm:pw@10.0.0.3/postgres", "postgresql+psycopg://h:6432/p", 2.5
        ),
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("{db-1", "is not JSON"),
        ("[]", "must be a JSON object"),
        ('{"DB_1": {"url": "postgresql://h/p"}}', "entry 'DB_1' 'DB_1' is not a server name"),
        ('{"db-1": {"url": "postgresql://h/p", "port": 5432}}', "entry 'db-1' has unknown key(s) port"),
        ('{"db-1": {"pool_url": "postgresql://h/p"}}', "entry 'db-1' has no url"),
        ('{"db-1": {"url": "mysql://h/p"}}', "entry 'db-1' url must be a postgresql:// URL"),
        ('{"db-1": {"url": "postgresql://h/p", "pool_url": 6432}}', "entry 'db-1' pool_url must be"),
        (
            '{"db-1": {"url": "postgresql://h/p", "weight": 0}}',
            "entry 'db-1' has a weight that is not a positive",
        ),
        (
            '{"db-1": {"url": "postgresql://h/p", "weight": "2"}}',
            "entry 'db-1' has a weight that is not a positive",
        ),
    ],
)
def test_a_bad_servers_setting_is_refused_naming_the_entry(raw, problem):
    with pytest.raises(ValueError) as refused:
        parse_servers(raw, _postgres_url)
    assert str(refused.value).startswith(problem)


def test_the_single_server_urls_must_be_the_home_servers(base_config):
    servers = json.dumps({"db-1": {"url": HOME_URL}, "db-2": {"url": "postgresql://other/postgres"}})
    load_settings({**base_config, "TENANT_DATABASE_SERVERS": servers})
    with pytest.raises(SettingsError, match="TENANT_DATABASE_SERVER_URL is not the url of db-1"):
        load_settings(
            {
                **base_config,
                "TENANT_DATABASE_SERVER_URL": "postgresql://other/postgres",
                "TENANT_DATABASE_SERVERS": servers,
            }
        )
    with pytest.raises(SettingsError, match="TENANT_DATABASE_POOL_URL is not the pool_url of db-1"):
        load_settings(
            {**base_config, "TENANT_DATABASE_POOL_URL": HOME_URL, "TENANT_DATABASE_SERVERS": servers}
        )


def placed(app) -> dict[str, str]:
    with app.app_context():
        return {o.subdomain: o.database_server for o in master_db.session.query(Organization)}


@pytest.mark.parametrize("weights", [{"db-1": 1, "db-2": 2}])
def test_new_studios_go_to_the_server_with_the_most_room(app, make_on, second_server_url, weights):
    for subdomain in ("abbey", "olympic", "trident", "sarm", "hansa"):
        make_on(subdomain, None)
    # (0,0) tie: db-1; (1,0): db-2; (1,1/2): db-2; (1,2/2) tie: db-1; (2/1,2/2): db-2
    assert placed(app) == {
        "abbey": "db-1",
        "olympic": "db-2",
        "trident": "db-2",
        "sarm": "db-1",
        "hansa": "db-2",
    }
    with app.app_context():
        on_second = {
            o.database_name for o in master_db.session.query(Organization) if o.database_server == "db-2"
        }
    assert databases_on(second_server_url) == on_second


def test_a_signup_is_placed_too(app, make_on, client, walk_wizard):
    make_on("olympic", "db-1")
    assert walk_wizard(client).status_code == 302
    assert placed(app) == {"olympic": "db-1", "abbey": "db-2"}


def test_an_operator_pins_the_server_and_an_unknown_one_is_refused(app, runner):
    args = ["tenants", "create", "--name", "Abbey", "--subdomain", "abbey", "--owner-name", "Ann"]
    args += ["--owner-email", "ann@abbey.example", "--owner-password", "correct horse battery"]
    refused = runner.invoke(args=[*args, "--server", "db-9"])
    assert refused.exit_code == 1
    assert "--server: database server 'db-9' is not in TENANT_DATABASE_SERVERS (db-1, db-2)" in refused.output
    assert placed(app) == {}
    created = runner.invoke(args=[*args, "--server", "db-2"])
    assert created.exit_code == 0, created.output
    assert placed(app) == {"abbey": "db-2"} and "on db-2)" in created.output
    listed = runner.invoke(args=["tenants", "list"]).output.split("\t")
    assert listed[:3] == ["abbey", "TRIAL", "db-2"]


def add_client(app, organization: Organization, name: str) -> None:
    with app.app_context(), studio_db.studio_engine(organization).begin() as conn:
        conn.execute(text("INSERT INTO clients (name) VALUES (:name)"), {"name": name})


def test_each_studio_sees_only_its_own_rows_on_its_own_server(app, make_on, studio_client, sign_in):
    abbey, olympic = make_on("abbey", "db-1"), make_on("olympic", "db-2")
    add_client(app, abbey, "Only at Abbey")
    add_client(app, olympic, "Only at Olympic")
    for studio, own, other in (
        (abbey, "Only at Abbey", "Only at Olympic"),
        (olympic, "Only at Olympic", "Only at Abbey"),
    ):
        browser = studio_client(studio.subdomain)
        assert sign_in(browser, email=f"owner@{studio.subdomain}.example").status_code == 302
        page = browser.get("/clients").get_data(as_text=True)
        assert own in page and other not in page


def test_a_studio_on_a_server_not_configured_fails_closed(app, make_on, studio_client, caplog):
    abbey = make_on("abbey", "db-2")
    with app.app_context():
        master_db.session.execute(update(Organization).values(database_server="db-9"))
        master_db.session.commit()
    response = studio_client("abbey").post_form(
        "/login", {"email": "owner@abbey.example", "password": "x" * 12}
    )
    assert response.status_code == 503
    assert "database server 'db-9' is not in TENANT_DATABASE_SERVERS" in caplog.text
    assert abbey.database_server == "db-2"


def test_migrate_reaches_the_studios_of_every_server(app, make_on, runner):
    make_on("abbey", "db-1")
    olympic = make_on("olympic", "db-2")
    with app.app_context():
        engine = studio_db.studio_engine(olympic)
        with engine.begin() as conn:
            command.downgrade(migrations.alembic_config("studio", conn), "-1")
            earlier = migrations.revision_of(conn)
        studio_db.forget("db-2", olympic.database_name)
    result = runner.invoke(args=["migrate", "--tenants-only"])
    assert result.exit_code == 0, result.output
    head = migrations.head("studio")
    assert "abbey: at head" in result.output
    assert f"olympic: upgraded from {earlier} to {head}" in result.output
    with app.app_context(), studio_db.studio_engine(olympic).connect() as conn:
        assert migrations.revision_of(conn) == head


def test_the_app_refuses_to_start_with_a_bad_servers_setting(base_config):
    with pytest.raises(
        SettingsError, match="malformed settings: TENANT_DATABASE_SERVERS entry 'db-1' has no url"
    ):
        load_settings({**base_config, "TENANT_DATABASE_SERVERS": '{"db-1": {}}'})
