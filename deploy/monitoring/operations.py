"""The PostgreSQL exporter's role, created or repaired only when it is not as wanted."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import StringCommand, operation

from deploy.common.shell import q
from deploy.monitoring.facts import MonitorRoleOk


@operation()
def monitor_role(role: str):
    """A login role in pg_monitor, without a password (peer authentication over the socket)."""
    if host.get_fact(MonitorRoleOk, role=role):
        return
    sql = (
        f"do $$ begin if not exists (select from pg_roles where rolname = '{role}') then "
        f'create role "{role}" login; end if; end $$; '
        f'alter role "{role}" login nosuperuser; grant pg_monitor to "{role}";'
    )
    yield StringCommand(f"runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres -c {q(sql)}")
