"""`flask tenants move`: a studio's rows copied to another real server, checked, switched, the old
copy dropped; read-only meanwhile, and whole again after an interruption at any step."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import select, text

from app.extensions import master_db, studio_db
from app.models.master import Organization
from app.models.studio import BookingStatus
from app.plans.access import MOVING
from app.tenancy.moving import StudioMove
from tests.unit.app.tenancy.servers.conftest import HOME_URL, databases_on

CLIENTS, BOOKINGS = 10_000, 500


class Interrupted(RuntimeError):
    """Injected between two steps of a move, as a crash or a ^C would stop it."""


def interrupt():
    raise Interrupted("injected interruption")


def fill(app, organization: Organization) -> None:
    with app.app_context(), studio_db.studio_engine(organization).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO clients (name, email) SELECT 'Client ' || i, 'c' || i || '@example.com' FROM generate_series(1, :n) i"
            ),
            {"n": CLIENTS},
        )
        conn.execute(
            text("INSERT INTO rooms (name, hourly_rate_cents, is_active) VALUES ('Room A', 4500, true)")
        )
        conn.execute(
            text(
                "INSERT INTO bookings (room_id, client_id, starts_at, ends_at, status)"
                " SELECT (SELECT id FROM rooms), i, timestamptz '2027-01-04 09:00Z' + i * interval '2 hours',"
                " timestamptz '2027-01-04 10:00Z' + i * interval '2 hours', :status FROM generate_series(1, :n) i"
            ),
            {"n": BOOKINGS, "status": str(BookingStatus.BOOKED)},
        )


def rows(app, organization: Organization) -> dict[str, int]:
    """Every table's row count, read through the studio's engine on the server the master row names."""
    with app.app_context():
        current = master_db.session.get(Organization, organization.id)
        with studio_db.studio_engine(current).connect() as conn:
            tables = conn.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            )
            return {table: conn.scalar(text(f'SELECT count(*) FROM "{table}"')) for table in list(tables)}


def plus_one_client(before: dict[str, int]) -> dict[str, int]:
    """The counts after one client was added through a form (which writes its audit entry too)."""
    return {**before, "clients": before["clients"] + 1, "audit_entries": before["audit_entries"] + 1}


def record(app, organization: Organization) -> tuple:
    with app.app_context():
        row = master_db.session.get(Organization, organization.id)
        return row.database_server, row.moving_to, row.moved_from


def where_is(second_server_url, organization: Organization) -> set[str]:
    found = set()
    if organization.database_name in databases_on(HOME_URL):
        found.add("db-1")
    if organization.database_name in databases_on(second_server_url):
        found.add("db-2")
    return found


@pytest.fixture
def abbey(make_on, app):
    organization = make_on("abbey", "db-1")
    fill(app, organization)
    return organization


@pytest.fixture
def owner(abbey, studio_client, sign_in):
    browser = studio_client("abbey")
    assert sign_in(browser).status_code == 302
    return browser


def move(app, *, hooks=None, target="db-2") -> int:
    with app.app_context():
        return StudioMove("abbey", target, echo=lambda _line: None, hooks=hooks).run()


def test_a_move_keeps_every_row_and_answers_throughout_with_writes_paused(
    app, abbey, owner, second_server_url, studio_client, sign_in
):
    before = rows(app, abbey)
    assert before["clients"] == CLIENTS and before["bookings"] == BOOKINGS
    seen = {}

    def during_the_copy():
        seen["page"] = owner.get("/clients").get_data(as_text=True)
        # Signing in writes too (the second factor's bookkeeping): refused like any write.
        seen["sign_in"] = sign_in(studio_client("abbey")).status_code
        seen["write"] = owner.post_form(
            "/clients/new", {"name": "Written while moving"}, token_from="/clients/new"
        )
        with (
            app.app_context(),
            psycopg.connect(
                studio_db.direct_url("db-1", abbey.database_name)
                .set(drivername="postgresql")
                .render_as_string(hide_password=False)
            ) as straggler,
            pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
        ):
            straggler.execute("INSERT INTO clients (name) VALUES ('A straggler')")

    started = time.monotonic()
    copied = move(app, hooks={"studio_move_copied": during_the_copy})
    print(
        f"\nmoved a studio of {copied} rows from db-1 to db-2 in {time.monotonic() - started:.2f}s (two waits of 1.2s)"
    )
    assert copied == sum(before.values()) - before["alembic_version"]
    assert "Client 1" in seen["page"] and "being moved to another server" in seen["page"]
    assert seen["write"].status_code == 403 and seen["sign_in"] == 403
    assert MOVING.split(":")[0] in seen["write"].get_data(as_text=True)
    assert record(app, abbey) == ("db-2", None, None)
    assert where_is(second_server_url, abbey) == {"db-2"}
    assert rows(app, abbey) == before
    # Writable again, on db-2, its sequences following on from the copied rows.
    assert (
        owner.post_form("/clients/new", {"name": "After the move"}, token_from="/clients/new").status_code
        == 302
    )
    with app.app_context(), studio_db.engine("db-2", abbey.database_name).connect() as conn:
        assert conn.scalar(text("SELECT id FROM clients WHERE name = 'After the move'")) == CLIENTS + 1
        assert (
            conn.scalar(
                text("SELECT count(*) FROM clients WHERE name IN ('Written while moving', 'A straggler')")
            )
            == 0
        )


def test_interrupted_after_the_copy_the_studio_stays_on_its_source_and_a_second_run_finishes(
    app, abbey, owner, runner, second_server_url
):
    before = rows(app, abbey)
    with pytest.raises(Interrupted):
        move(app, hooks={"studio_move_copied": interrupt})
    assert record(app, abbey) == ("db-1", "db-2", None)
    assert where_is(second_server_url, abbey) == {"db-1", "db-2"}
    assert owner.get("/clients").status_code == 200 and rows(app, abbey) == before
    result = runner.invoke(args=["tenants", "move", "abbey", "db-2"])
    assert result.exit_code == 0, result.output
    assert "resuming its move from db-1 to db-2" in result.output
    assert "  clients: 10000 rows copied and checked" in result.output
    assert record(app, abbey) == ("db-2", None, None)
    assert where_is(second_server_url, abbey) == {"db-2"}
    assert rows(app, abbey) == before


def test_interrupted_after_the_switch_a_second_run_drops_the_old_copy(
    app, abbey, owner, runner, second_server_url
):
    before = rows(app, abbey)
    with pytest.raises(Interrupted):
        move(app, hooks={"studio_move_switched": interrupt})
    assert record(app, abbey) == ("db-2", None, "db-1")
    assert where_is(second_server_url, abbey) == {"db-1", "db-2"}
    time.sleep(0.3)  # the resolver's cached row (TENANT_CACHE_SECONDS) has the switch
    assert owner.post_form("/clients/new", {"name": "On db-2"}, token_from="/clients/new").status_code == 302
    refused = runner.invoke(args=["tenants", "move", "abbey", "db-2", "--abort"])
    assert refused.exit_code == 1 and "already served from db-2" in refused.output
    result = runner.invoke(args=["tenants", "move", "abbey", "db-2"])
    assert result.exit_code == 0, result.output
    assert "abbey: old copy on db-1 dropped" in result.output and "abbey is on db-2" in result.output
    assert record(app, abbey) == ("db-2", None, None)
    assert where_is(second_server_url, abbey) == {"db-2"}
    assert rows(app, abbey) == plus_one_client(before)


def test_abort_before_the_switch_drops_the_copy_and_lifts_read_only(
    app, abbey, owner, runner, second_server_url
):
    before = rows(app, abbey)
    with pytest.raises(Interrupted):
        move(app, hooks={"studio_move_copied": interrupt})
    refused = owner.post_form("/clients/new", {"name": "Paused"}, token_from="/clients/new")
    assert refused.status_code == 403
    other = runner.invoke(args=["tenants", "move", "abbey", "db-1"])
    assert other.exit_code == 1 and "is being moved to db-2: finish that move" in other.output
    result = runner.invoke(args=["tenants", "move", "abbey", "db-2", "--abort"])
    assert result.exit_code == 0, result.output
    assert record(app, abbey) == ("db-1", None, None)
    assert where_is(second_server_url, abbey) == {"db-1"}
    assert owner.post_form("/clients/new", {"name": "Writable"}, token_from="/clients/new").status_code == 302
    assert rows(app, abbey) == plus_one_client(before)
    again = runner.invoke(args=["tenants", "move", "abbey", "db-2", "--abort"])
    assert again.exit_code == 1 and "abbey is not being moved" in again.output


def test_a_move_to_an_unknown_server_or_of_an_unknown_studio_is_refused(app, make_on, runner):
    make_on("abbey", "db-1")
    unknown = runner.invoke(args=["tenants", "move", "abbey", "db-9"])
    assert unknown.exit_code == 1
    assert "database server 'db-9' is not in TENANT_DATABASE_SERVERS (db-1, db-2)" in unknown.output
    nobody = runner.invoke(args=["tenants", "move", "nobody", "db-2"])
    assert nobody.exit_code == 1 and "no studio with subdomain 'nobody'" in nobody.output
    with app.app_context():
        assert master_db.session.scalars(select(Organization.moving_to)).all() == [None]
