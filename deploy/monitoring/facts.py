"""What PostgreSQL says about the exporter's role."""

from __future__ import annotations

from pyinfra.api import FactBase

from deploy.common.shell import q


class MonitorRoleOk(FactBase):
    """True when the role logs in and is a member of pg_monitor (read-only statistics), no superuser."""

    def requires_command(self, *args, **kwargs):
        return "psql"

    def command(self, role):
        sql = (
            "select r.rolcanlogin and not r.rolsuper and pg_has_role(r.oid, 'pg_monitor', 'member') "
            f"from pg_roles r where r.rolname = '{role}'"
        )
        return f"runuser -u postgres -- psql -X -q -d postgres -tAc {q(sql)} 2>/dev/null || echo no"

    def process(self, output):
        return bool(output) and output[0].strip() == "t"
