"""`flask migrate` upgrades the studios' databases in parallel, on real PostgreSQL: every studio
attempted, one failure not stopping the others, and a run again skips those already at head."""

import re

import pytest
from alembic import command
from sqlalchemy import text

from app.extensions import studio_db
from app.tenancy import migrations, studio_migrations


def migrate(runner, *args):
    return runner.invoke(args=["migrate", "--tenants-only", *args])


def outcomes(output: str) -> list[str]:
    """The per-studio lines without their numbers and times, sorted (they come as each finishes)."""
    lines = [line for line in output.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in lines] == [f"[{n}/{len(lines)}" for n in range(1, len(lines) + 1)]
    return sorted(re.sub(r" \(\d+\.\d\ds\)$", "", line.split("] ", 1)[1]) for line in lines)


def run_sql(app, organization, sql: str) -> None:
    with app.app_context(), studio_db.studio_engine(organization).begin() as conn:
        conn.execute(text(sql))


def revision(app, organization) -> str:
    with app.app_context(), studio_db.studio_engine(organization).connect() as conn:
        return migrations.revision_of(conn)


@pytest.fixture
def at_0001(app, make_studio):
    """Three studios whose databases are one migration behind."""
    studios = [make_studio(name) for name in ("abbey", "bonham", "capitol")]
    for organization in studios:
        with app.app_context(), studio_db.studio_engine(organization).begin() as conn:
            command.downgrade(migrations.alembic_config("studio", conn), "0001")
    return studios


def test_one_failure_stops_no_other_studio_and_a_run_again_finishes(app, runner, at_0001):
    abbey, bonham, capitol = at_0001
    # capitol cannot take 0002: a table already has the name 0002 gives to sessions
    run_sql(app, capitol, "CREATE TABLE bookings (id integer)")

    result = migrate(runner, "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert outcomes(result.output) == [
        "abbey: upgraded from 0001 to 0010",
        "bonham: upgraded from 0001 to 0010",
        'capitol: FAILED: ProgrammingError: (psycopg.errors.DuplicateTable) relation "bookings" already exists',
    ]
    assert result.output.splitlines()[-1] == "1 studio database(s) failed to migrate: capitol"
    assert [revision(app, o) for o in at_0001] == [
        "0010",
        "0010",
        "0001",
    ]  # capitol's transaction rolled back

    run_sql(app, capitol, "DROP TABLE bookings")
    result = migrate(runner, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert outcomes(result.output) == [
        "abbey: at head",
        "bonham: at head",
        "capitol: upgraded from 0001 to 0010",
    ]
    assert [revision(app, o) for o in at_0001] == ["0010", "0010", "0010"]


def test_studios_at_head_are_skipped_without_running_alembic(app, runner, make_studio, monkeypatch):
    for name in ("abbey", "bonham", "capitol"):
        make_studio(name)

    def refuse(*_args, **_kwargs):
        raise AssertionError("Alembic ran for a studio already at head")

    monkeypatch.setattr(migrations, "upgrade", refuse)  # the forked workers inherit it
    result = migrate(runner, "--jobs", "3")
    assert result.exit_code == 0, result.output
    assert outcomes(result.output) == ["abbey: at head", "bonham: at head", "capitol: at head"]


def test_the_master_database_first_then_the_studios(app, runner, make_studio):
    make_studio("abbey")
    result = runner.invoke(args=["migrate", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"master: at head \(\d+\.\d\ds\)\n\[1/1\] abbey: at head \(\d+\.\d\ds\)\n", result.output
    )


def test_no_studio_no_worker(app, runner):
    assert list(studio_migrations.migrate_studios({}, 4)) == []
    result = migrate(runner)
    assert result.exit_code == 0 and result.output == ""


def test_head_and_revision_of_an_empty_database(app, make_studio):
    assert migrations.head("studio") == "0010"
    abbey = make_studio("abbey")
    run_sql(app, abbey, "DROP TABLE alembic_version")
    assert revision(app, abbey) is None
