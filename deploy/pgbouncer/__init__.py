"""PgBouncer (db): from Debian, in front of PostgreSQL for the app's studio connections, sized from
the app's processes, reachable only by the app."""

from __future__ import annotations

from io import StringIO

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.facts.files import FindInFile
from pyinfra.operations import apt, systemd
from pyinfra.operations.util import any_changed

from deploy.app import env, web_sizing
from deploy.app.config import APP_DATABASE, APP_ROLE
from deploy.common import hostdata, tls
from deploy.common.facts import host_size
from deploy.common.operations import put, systemd_service
from deploy.common.render import render
from deploy.pgbouncer import config
from deploy.pgbouncer.operations import pgbouncer_auth_file
from deploy.pgbouncer.sizing import pooler_sizing
from deploy.postgres import config as postgres_config
from deploy.postgres.facts import PostgresAppRoleOk

GROUPS = ("db",)
PACKAGES = ("pgbouncer",)


@deploy("Configure PgBouncer")
def configure_pgbouncer():
    topo, operator = hostdata.topology(), hostdata.operator_values()
    processes, app = web_sizing(operator)
    sizing = pooler_sizing(processes, app.pooler_connections_per_process, host_size(host)["cores"])
    wait = float(env.setting_value("TENANT_CONNECTION_WAIT_SECONDS", operator))
    listen = config.listen_line(topo.listen_addresses)
    # PgBouncer reads its listen address only at start: a reload cannot move it.
    listening_as_wanted = bool(
        host.get_fact(FindInFile, path=config.INI, pattern="^" + listen.replace(".", "\\.") + "$")
    )
    # The postgres step (re)sets the app role's password when it cannot log in: the auth file must
    # then take the new verifier, which the facts read before the run cannot show.
    role_reset = not host.get_fact(
        PostgresAppRoleOk, role=APP_ROLE, database=APP_DATABASE, pgpass=postgres_config.PGPASS
    )
    owned = {"user": config.OWNER, "group": config.GROUP, "mode": config.MODE}

    apt.packages(name="Install PgBouncer", packages=list(PACKAGES), no_recommends=True)
    # Its own copy of the host's certificate and key (it runs as postgres): a new one reloads it.
    certificate = tls.install_server_certificate("pgbouncer", "postgres") if topo.remote_clients else []
    tls_files = tls.paths("pgbouncer") if certificate else None
    dropin = put(
        name=f"Start PgBouncer after Docker, with {sizing.open_files} open files",
        src=StringIO(render("pgbouncer/service.conf.j2", config.service_context(sizing))),
        dest=config.DROPIN,
        create_remote_dir=True,
    )
    systemd.daemon_reload(name="Reload systemd units", _if=dropin.did_change)
    hba = put(
        name="Allow the app role from the app network only, by SCRAM",
        src=StringIO(
            render("pgbouncer/pg_hba.conf.j2", config.hba_context(topo.local_networks, topo.remote_clients))
        ),
        dest=config.HBA,
        **owned,
    )
    auth = pgbouncer_auth_file(
        name=f"Copy {APP_ROLE}'s SCRAM verifier into PgBouncer's auth file (root:postgres 0640)",
        role=APP_ROLE,
        path=config.AUTH_FILE,
        owner=f"{config.OWNER}:{config.GROUP}",
        mode=config.MODE,
        refresh=role_reset,
    )
    ini = put(
        name=f"Pool studio connections in transactions ({sizing.server_connections} backends, "
        f"{sizing.default_pool_size} per studio, {sizing.max_client_conn} clients)",
        src=StringIO(
            render(
                "pgbouncer/pgbouncer.ini.j2",
                config.ini_context(sizing, topo.listen_addresses, wait, tls_files),
            )
        ),
        dest=config.INI,
        **owned,
    )

    def restart() -> bool:
        return not listening_as_wanted or dropin.did_change()

    systemd_service(
        name=f"Restart PgBouncer to listen on {', '.join(topo.listen_addresses)}:{config.PORT}",
        service=config.UNIT,
        restarted=True,
        _if=restart,
    )
    systemd_service(
        name="Reload PgBouncer's settings and auth file",
        service=config.UNIT,
        reloaded=True,
        _if=lambda: not restart() and any_changed(hba, auth, ini, *certificate)(),
    )
    systemd_service(name="Enable and start PgBouncer", service=config.UNIT, running=True, enabled=True)
