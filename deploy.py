"""Converge servers into the running platform: `pyinfra -y inventories/prod.py deploy.py`.

The table of contents: every step in order. Each concern is a package under deploy/ holding its
`@deploy` step(s) and the groups whose hosts run them: `web` runs Docker, the app and nginx, and
holds the certificate; `db` runs PostgreSQL and Redis and their backups; `backup` keeps the
backups off the database's disk. One server may be in web and db. Preflight and the base system
run on every host; the monitoring step runs each web and db host's exporters, and Prometheus and
Alertmanager on the `monitoring` host (the web and db host, or one of its own).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from deploy import (  # noqa: E402
    app,
    backup,
    backup_host,
    base,
    certbot,
    docker,
    firewall,
    monitoring,
    nginx,
    patching,
    pgbouncer,
    postgres,
    preflight,
    redis,
)
from deploy.roles import runs  # noqa: E402

preflight.check_inventory_and_secrets()
base.prepare_base_system()
patching.keep_patched()
if runs(docker):
    docker.install_docker()
firewall.configure_firewall()
if runs(postgres):
    postgres.configure_postgres()
if runs(pgbouncer):
    pgbouncer.configure_pgbouncer()
if runs(redis):
    redis.configure_redis()
if runs(backup_host):
    backup_host.prepare_repository()
if runs(backup):
    backup.configure_backups()
base.checkpoint()  # on every host: the database hosts are done before a web host releases
if runs(app):
    app.deploy_app()
base.checkpoint()  # on every host: the app's release has migrated the master before its first dump
if runs(backup):
    backup.take_first_dump()
if runs(nginx):
    nginx.serve_site()
if runs(certbot):
    certbot.obtain_certificate()
if runs(nginx):
    nginx.enable_https()
if runs(monitoring):
    monitoring.monitor_platform()
patching.report_pending_reboot()
