"""Moving a studio's database to another server (`flask tenants move SUBDOMAIN SERVER`).

The organization row says where the studio is served from, and it changes in one master
transaction (the switch), so at every moment there is exactly one place:

1. `moving_to` is set: every process refuses every write to the studio (app/plans/access.py) once
   its cached row has it, so the move waits TENANT_CACHE_SECONDS and a margin.
2. The source database is made read-only on its server (default_transaction_read_only, and its
   sessions ended so that new ones pick it up): a straggler's write fails loudly, none is lost.
3. The target copy is made afresh on the target server from its migrated template (the same
   migration head as the source, or the move stops), each table's rows copied with binary COPY in
   foreign-key order, the sequences set, then checked: per table, its row count and a checksum of
   its rows, which must be equal on both sides.
4. The switch: database_server = target, moving_to = NULL, moved_from = source.
5. After TENANT_CACHE_SECONDS and a margin (no process still routes to the source), the source
   database is dropped and moved_from cleared.

Interrupted anywhere, the same command resumes: before the switch it copies again (the source has
not changed: it is read-only), after it it drops the old copy. `--abort` before the switch drops
the partial copy and lifts the read-only state.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy import MetaData, select, update
from sqlalchemy.engine import URL

from app import logs
from app.extensions import master_db, studio_db
from app.models.master import Organization
from app.settings import app_settings
from app.tenancy import migrations
from app.tenancy.provisioning import create_database, drop_database

# Beyond the resolver cache's TTL: a request that read the row just before it changed finishes.
SETTLE_MARGIN_SECONDS = 1.0


class MoveError(RuntimeError):
    """The move cannot go on; what to do is in the message."""


@dataclass(frozen=True)
class TableCheck:
    name: str
    rows: int
    checksum: str


def _conninfo(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


# The checksum hashes rows as text: both sides must print values alike whatever each server's
# defaults (a timestamptz prints in the session's TimeZone).
SAME_TEXT = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=3"


def _connect(server: str, database: str) -> psycopg.Connection:
    return psycopg.connect(_conninfo(studio_db.direct_url(server, database)), options=SAME_TEXT)


def copy_order(server: str, database: str) -> list[str]:
    """The database's tables (but alembic_version), each after the tables its foreign keys name."""
    metadata = MetaData()
    engine = studio_db.direct_engine(server, database)
    try:
        with engine.connect() as conn:
            metadata.reflect(conn)
    finally:
        engine.dispose()
    return [table.name for table in metadata.sorted_tables if table.name != "alembic_version"]


def _columns(conn: psycopg.Connection, table: str) -> list[str]:
    # Generated columns are computed by the target itself: COPY cannot write them.
    return [
        name
        for (name,) in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
            " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
            (sql.Identifier(table).as_string(conn),),
        )
    ]


def table_check(conn: psycopg.Connection, table: str) -> TableCheck:
    """Row count and an order-independent checksum of a table's rows."""
    rows, checksum = conn.execute(
        sql.SQL(
            "SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), ''))"
            " FROM (SELECT md5(t::text) AS h FROM {} t) rows"
        ).format(sql.Identifier(table))
    ).fetchone()
    return TableCheck(table, rows, checksum)


def _sequences(conn: psycopg.Connection) -> dict[str, tuple[int, bool]]:
    found = {}
    for (name,) in conn.execute("SELECT relname FROM pg_class WHERE relkind = 'S' ORDER BY relname"):
        found[name] = conn.execute(
            sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(name))
        ).fetchone()
    return found


def copy_rows(
    tables: list[str], source: psycopg.Connection, target: psycopg.Connection, echo
) -> list[TableCheck]:
    """Every table's rows (`tables` in foreign-key order) and every sequence from source to target
    (a copy of the same schema), in one target transaction; then each table checked on both sides."""
    with target.transaction():
        # The template's migrations may have seeded rows: the target holds exactly the source's.
        target.execute(sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(sql.Identifier(t) for t in tables)))
        for table in tables:
            columns = sql.SQL(", ").join(sql.Identifier(c) for c in _columns(source, table))
            out = sql.SQL("COPY {} ({}) TO STDOUT (FORMAT BINARY)").format(sql.Identifier(table), columns)
            into = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(sql.Identifier(table), columns)
            with source.cursor().copy(out) as reading, target.cursor().copy(into) as writing:
                for block in reading:
                    writing.write(block)
        for name, (last_value, is_called) in _sequences(source).items():
            target.execute(
                "SELECT setval(%s::regclass, %s, %s)",
                (sql.Identifier(name).as_string(target), last_value, is_called),
            )
    checks = []
    for table in tables:
        copied, original = table_check(target, table), table_check(source, table)
        if copied != original:
            raise MoveError(
                f"the copy of {table} differs ({copied.rows} rows on the target, {original.rows} on the "
                "source): nothing was switched; run the move again, or --abort"
            )
        echo(f"  {table}: {copied.rows} rows copied and checked")
        checks.append(copied)
    if _sequences(target) != _sequences(source):
        raise MoveError("the copy's sequences differ: nothing was switched; run the move again, or --abort")
    target.rollback()
    source.rollback()
    return checks


def _organization(subdomain: str) -> Organization:
    organization = master_db.session.scalar(select(Organization).where(Organization.subdomain == subdomain))
    if organization is None:
        raise MoveError(f"no studio with subdomain {subdomain!r}")
    return organization


def _update(organization: Organization, **values) -> None:
    """Change the row in one master transaction, guarded by what this move last saw."""
    changed = master_db.session.execute(
        update(Organization)
        .where(
            Organization.id == organization.id,
            Organization.database_server.is_not_distinct_from(organization.database_server),
            Organization.moving_to.is_not_distinct_from(organization.moving_to),
            Organization.moved_from.is_not_distinct_from(organization.moved_from),
        )
        .values(**values)
    ).rowcount
    if changed != 1:
        master_db.session.rollback()
        raise MoveError("the studio's record changed while moving it (another move?): run the command again")
    master_db.session.commit()


def _source_read_only(server: str, database: str, read_only: bool) -> None:
    with studio_db.server_engine(server).connect() as conn:
        setting = (
            "SET default_transaction_read_only = on" if read_only else "RESET default_transaction_read_only"
        )
        conn.exec_driver_sql(f'ALTER DATABASE "{database}" {setting}')
        if read_only:
            # Sessions read the setting when they start: end the ones that may still write.
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %(name)s AND pid <> pg_backend_pid()",
                {"name": database},
            )
    studio_db.forget(server, database)


def _revision(server: str, database: str) -> str | None:
    engine = studio_db.direct_engine(server, database)
    try:
        with engine.connect() as conn:
            return migrations.revision_of(conn)
    finally:
        engine.dispose()


class StudioMove:
    """One run of `flask tenants move`: `run()` moves, resumes or finishes; `abort()` undoes.

    `hooks` run by event name ("studio_move_copied", ...) right after that step's event: tests
    interrupt a move there, as a crash would."""

    def __init__(
        self,
        subdomain: str,
        target: str,
        echo: Callable[[str], None] = print,
        settle_seconds: float | None = None,
        hooks: dict[str, Callable[[], None]] | None = None,
    ) -> None:
        self.subdomain = subdomain
        self.target = studio_db.server(target).name
        self.echo = echo
        self.settle_seconds = (
            app_settings().TENANT_CACHE_SECONDS + SETTLE_MARGIN_SECONDS
            if settle_seconds is None
            else settle_seconds
        )
        self.hooks = hooks or {}
        self.started = time.monotonic()

    def _event(self, name: str, **fields) -> None:
        logs.event(
            name,
            logging.INFO,
            studio=self.subdomain,
            target_server=self.target,
            elapsed_ms=round((time.monotonic() - self.started) * 1000, 1),
            **fields,
        )
        self.hooks.get(name, lambda: None)()

    def _settle(self, why: str) -> None:
        self.echo(f"waiting {self.settle_seconds:.1f}s: {why}")
        time.sleep(self.settle_seconds)

    def run(self) -> int:
        """Move (or resume, or finish) the studio to the target; the rows copied (0 when none)."""
        organization = _organization(self.subdomain)
        if organization.moved_from is not None:
            self._drop_old_copy(organization)
            organization = _organization(self.subdomain)
        source = studio_db.server_of(organization)
        if organization.moving_to is None:
            if source == self.target:
                self.echo(f"{self.subdomain} is on {self.target}")
                return 0
            _update(organization, moving_to=self.target)
            organization = _organization(self.subdomain)
            self._event("studio_move_started", source_server=source)
            self.echo(f"{self.subdomain}: read-only, moving from {source} to {self.target}")
        elif organization.moving_to != self.target:
            raise MoveError(
                f"{self.subdomain} is being moved to {organization.moving_to}: finish that move "
                f"(tenants move {self.subdomain} {organization.moving_to}) or undo it with --abort"
            )
        else:
            self.echo(f"{self.subdomain}: resuming its move from {source} to {self.target}")
        # Also when resuming: the run that set moving_to may have stopped before this wait.
        self._settle("every process sees the studio read-only")
        rows = self._copy(source, organization.database_name)
        _update(organization, database_server=self.target, moving_to=None, moved_from=source)
        self._event("studio_move_switched", source_server=source)
        self.echo(f"{self.subdomain}: now served from {self.target}")
        self._drop_old_copy(_organization(self.subdomain))
        self.echo(
            f"{self.subdomain}: moved to {self.target}, {rows} rows in {time.monotonic() - self.started:.1f}s"
        )
        return rows

    def _copy(self, source: str, database: str) -> int:
        _source_read_only(source, database, read_only=True)
        source_revision = _revision(source, database)
        # Whatever an interrupted run left on the target is made again: the source has not changed.
        drop_database(self.target, database)
        create_database(self.target, database)
        if _revision(self.target, database) != source_revision:
            drop_database(self.target, database)
            raise MoveError(
                f"{self.target}'s studio template is not at {source_revision}, the source's migration: "
                "run `flask migrate` (every studio to the same head) first"
            )
        tables = copy_order(source, database)
        with (
            _connect(source, database) as reading,
            _connect(self.target, database) as writing,
        ):
            checks = copy_rows(tables, reading, writing, self.echo)
        rows = sum(check.rows for check in checks)
        self._event("studio_move_copied", source_server=source, tables=len(checks), rows=rows)
        return rows

    def _drop_old_copy(self, organization: Organization) -> None:
        old = organization.moved_from
        self._settle(f"no process still reads the copy on {old}")
        drop_database(old, organization.database_name)
        _update(organization, moved_from=None)
        self._event("studio_move_finished", source_server=old)
        self.echo(f"{self.subdomain}: old copy on {old} dropped")

    def abort(self) -> None:
        """Undo a move not yet switched: drop the partial copy, make the studio writable again."""
        organization = _organization(self.subdomain)
        if organization.moved_from is not None:
            raise MoveError(
                f"{self.subdomain} is already served from {studio_db.server_of(organization)}: "
                f"finish with tenants move {self.subdomain} {studio_db.server_of(organization)}"
            )
        if organization.moving_to is None:
            raise MoveError(f"{self.subdomain} is not being moved")
        if organization.moving_to != self.target:
            raise MoveError(f"{self.subdomain} is being moved to {organization.moving_to}, not {self.target}")
        drop_database(self.target, organization.database_name)
        _source_read_only(studio_db.server_of(organization), organization.database_name, read_only=False)
        _update(organization, moving_to=None)
        self._event("studio_move_aborted")
        self.echo(
            f"{self.subdomain}: move to {self.target} undone; writable again on {studio_db.server_of(organization)}"
        )
