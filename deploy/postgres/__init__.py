"""PostgreSQL (db): from Debian, sized for the app, reachable only by the app."""

from __future__ import annotations

from io import StringIO

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.operations import apt, systemd
from pyinfra.operations.util import any_changed

from deploy.app import web_sizing
from deploy.app.config import APP_DATABASE, APP_ROLE
from deploy.common import hostdata, tls
from deploy.common.facts import host_size
from deploy.common.operations import ensure_secret, put, rendered_file, systemd_service
from deploy.common.render import render
from deploy.docker.config import AFTER_DOCKER_DROPIN
from deploy.pgbouncer.sizing import pooler_sizing
from deploy.postgres import config
from deploy.postgres.operations import postgres_app_role
from deploy.postgres.sizing import postgres_sizing

GROUPS = ("db",)
PACKAGES = ("postgresql",)


@deploy("Configure PostgreSQL")
def configure_postgres():
    version = hostdata.of().postgres_version
    cluster, unit = config.cluster_dir(version), config.unit(version)
    topo = hostdata.topology()
    size = host_size(host)
    processes, app = web_sizing(hostdata.operator_values())
    pooler = pooler_sizing(processes, app.pooler_connections_per_process, size["cores"])
    pg = postgres_sizing(
        size["memory_mb"],
        size["cores"],
        processes,
        app.direct_connections_per_process,
        pooler.server_connections,
        topo.colocated,
    )

    apt.packages(name="Install PostgreSQL", packages=list(PACKAGES), no_recommends=True)
    ensure_secret("postgres_password")
    # Other hosts connect over TLS: the certificate (and the key PgBouncer shares) come first.
    certificate = tls.install_server_certificate("postgres", "postgres") if topo.remote_clients else []
    tls_files = tls.paths("postgres") if certificate else None
    dropin = put(
        name="Start PostgreSQL after Docker (it listens on the app network's gateway)",
        src=StringIO(render(AFTER_DOCKER_DROPIN, {})),
        dest=config.DROPIN,
        create_remote_dir=True,
    )
    systemd.daemon_reload(name="Reload systemd units", _if=dropin.did_change)
    conf = put(
        name=f"Size PostgreSQL for {processes} app processes and {pooler.server_connections} pooled backends "
        f"(max_connections {pg.max_connections})",
        src=StringIO(
            render("postgres/rsm.conf.j2", config.conf_context(pg, topo.listen_addresses, tls_files))
        ),
        dest=f"{cluster}/conf.d/rsm.conf",
        user="postgres",
        group="postgres",
        mode="644",
    )
    hba = put(
        name="Allow password logins from the app network only (over TLS from other hosts)",
        src=StringIO(
            render("postgres/pg_hba.conf.j2", config.hba_context(topo.local_networks, topo.remote_clients))
        ),
        dest=f"{cluster}/pg_hba.conf",
        user="postgres",
        group="postgres",
        mode="640",
    )
    systemd_service(
        name="Restart PostgreSQL with the new settings",
        service=unit,
        restarted=True,
        _if=any_changed(conf, hba, *certificate),
    )
    systemd_service(name="Enable and start PostgreSQL", service=unit, running=True, enabled=True)

    put(
        name="Install the pgpass template",
        src=StringIO(render("postgres/pgpass.j2", config.pgpass_context())),
        dest=config.PGPASS_TEMPLATE,
        mode="600",
    )
    rendered_file(
        name="Write the deploy's root-only pgpass", template=config.PGPASS_TEMPLATE, dest=config.PGPASS
    )
    put(
        name="Install the app role's SQL",
        src=StringIO(render("postgres/app-role.sql.j2", config.role_sql_context())),
        dest=config.ROLE_SQL,
        mode="600",
    )
    postgres_app_role(
        name=f"Create the app role {APP_ROLE} (LOGIN CREATEDB) and its database {APP_DATABASE}",
        role=APP_ROLE,
        database=APP_DATABASE,
        password_file=config.PASSWORD_FILE,
        pgpass=config.PGPASS,
        sql_file=config.ROLE_SQL,
    )
