"""Step 3 (db): PostgreSQL from Debian, sized for the app, reachable only by the app."""

from __future__ import annotations

from io import StringIO

from pyinfra import host, inventory
from pyinfra.api import deploy
from pyinfra.operations import apt, files, systemd
from pyinfra.operations.util import any_changed

from deploy import appenv, configs, hostdata, ops, plan, sizing


def app_processes(operator: dict[str, str]) -> tuple[int, int]:
    """(gunicorn processes over every web host, connections one process may hold)."""
    processes, per_process = 0, 0
    for web in inventory.get_group("web", default=[]):
        app = hostdata.app_sizing(web, operator)
        processes += app.workers
        per_process = app.connections_per_process
    return processes, per_process


@deploy("Configure PostgreSQL")
def configure_postgres():
    version = str(host.data.get("postgres_version") or "17")
    cluster = f"/etc/postgresql/{version}/main"
    unit = f"postgresql@{version}-main.service"
    topo = hostdata.topology()
    size = host.get_fact(ops.HostSize)
    processes, per_process = app_processes(hostdata.operator_values())
    pg = sizing.postgres_sizing(size["memory_mb"], size["cores"], processes, per_process, topo.colocated)

    apt.packages(name="Install PostgreSQL", packages=["postgresql"], no_recommends=True)
    hostdata.ensure_secret("postgres_password")
    dropin = files.put(
        name="Start PostgreSQL after Docker (it listens on the app network's gateway)",
        src=StringIO(configs.after_docker_dropin()),
        dest="/etc/systemd/system/postgresql@.service.d/rsm.conf",
        create_remote_dir=True,
    )
    systemd.daemon_reload(name="Reload systemd units", _if=dropin.did_change)
    conf = files.put(
        name=f"Size PostgreSQL for {processes} app processes (max_connections {pg.max_connections})",
        src=StringIO(configs.postgres_conf(pg, topo.listen_addresses)),
        dest=f"{cluster}/conf.d/rsm.conf",
        user="postgres", group="postgres", mode="644",
    )
    hba = files.put(
        name="Allow password logins from the app network only",
        src=StringIO(configs.pg_hba(topo.client_networks)),
        dest=f"{cluster}/pg_hba.conf",
        user="postgres", group="postgres", mode="640",
    )
    systemd.service(name="Restart PostgreSQL with the new settings", service=unit, restarted=True,
                    _if=any_changed(conf, hba))
    systemd.service(name="Enable and start PostgreSQL", service=unit, running=True, enabled=True)

    files.put(name="Install the pgpass template", src=StringIO(configs.pgpass_template()),
              dest=f"{plan.ETC}/pgpass.tmpl", mode="600")
    ops.rendered_file(name="Write the deploy's root-only pgpass", template=f"{plan.ETC}/pgpass.tmpl",
                      dest=f"{plan.SECRETS_DIR}/pgpass")
    files.put(name="Install the app role's SQL", src=StringIO(configs.postgres_role_sql()),
              dest=f"{plan.ETC}/postgres-app-role.sql", mode="600")
    ops.postgres_app_role(
        name=f"Create the app role {appenv.APP_ROLE} (LOGIN CREATEDB) and its database {appenv.APP_DATABASE}",
        role=appenv.APP_ROLE,
        database=appenv.APP_DATABASE,
        password_file=f"{plan.SECRETS_DIR}/postgres_password",
        pgpass=f"{plan.SECRETS_DIR}/pgpass",
        sql_file=f"{plan.ETC}/postgres-app-role.sql",
    )
