"""New studio databases are copies of a migrated, empty one: `CREATE DATABASE ... TEMPLATE` copies
its files in tens of milliseconds, where running every studio migration on an empty database took
about 200 ms, half of a provisioning.

The template is `<TENANT_DATABASE_PREFIX>template_<head>` (a studio's database is the prefix and 32
hex digits, so never this name), made at the studio history's head. It is complete once it accepts
no connections (ALLOW_CONNECTIONS false, set last): PostgreSQL refuses to copy a database anyone is
connected to, and a template left half made by a crash still accepts them, so it is made again.
A release with a new migration changes the head: the next provisioning makes the new template and
drops the old ones. Making and copying happen under one advisory lock on a direct server
connection, so two signups never make it at once, nor copy it while it is being made.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.settings import app_settings
from app.tenancy import migrations

# pg_advisory_lock's key for making and copying the template (any constant the app uses once).
LOCK_KEY = 0x52534D54  # "RSMT"
MARK = "template_"


@cache
def studio_head() -> str:
    """The studio history's head; the scripts change only with a release, which restarts processes."""
    return migrations.head("studio")


def template_name() -> str:
    return app_settings().TENANT_DATABASE_PREFIX + MARK + studio_head()


def create_from_template(server: Connection, database_name: str, migrate) -> None:
    """CREATE DATABASE `database_name` as a copy of the template, made first when missing, stale or
    incomplete with `migrate(name)`. `server` is an autocommit connection to the server itself."""
    template = template_name()
    server.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
    try:
        complete = server.scalar(
            text("SELECT NOT datallowconn FROM pg_database WHERE datname = :name"), {"name": template}
        )
        if not complete:
            _make(server, template, migrate)
        server.execute(text(f'CREATE DATABASE "{database_name}" TEMPLATE "{template}"'))
    finally:
        server.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})


def _make(server: Connection, template: str, migrate) -> None:
    prefix = app_settings().TENANT_DATABASE_PREFIX + MARK
    # This head's unfinished template, and those of earlier heads.
    for name in server.scalars(
        text("SELECT datname FROM pg_database WHERE starts_with(datname, :prefix)"), {"prefix": prefix}
    ):
        server.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.execute(text(f'CREATE DATABASE "{template}"'))
    migrate(template)
    server.execute(text(f'ALTER DATABASE "{template}" WITH ALLOW_CONNECTIONS false'))
