"""What PostgreSQL says about the app role."""

from __future__ import annotations

from pyinfra.api import FactBase

from deploy.common.shell import q


class PostgresAppRoleOk(FactBase):
    """True when the app role logs in over TCP with its password and has CREATEDB, no superuser."""

    def requires_command(self, *args, **kwargs):
        return "psql"

    def command(self, role, database, pgpass):
        sql = "select rolcreatedb and not rolsuper from pg_roles where rolname = current_user"
        return (
            f"PGPASSFILE={q(pgpass)} PGCONNECT_TIMEOUT=5 psql -X -w -h 127.0.0.1 -U {q(role)} "
            f"-d {q(database)} -tAc {q(sql)} 2>/dev/null || echo no"
        )

    def process(self, output):
        return bool(output) and output[0].strip() == "t"
