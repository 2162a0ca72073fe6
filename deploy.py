"""Converge servers into the running platform: `pyinfra -y inventories/prod.py deploy.py`.

Groups: `web` runs Docker, the app and nginx, and holds the certificate; `db` runs PostgreSQL and
Redis. One server may be in both. Each step is a `@deploy` in its own module under deploy/.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pyinfra import host  # noqa: E402

from deploy import app, base, certificates, docker, nginx, postgres, preflight, redis  # noqa: E402

web = "web" in host.groups
db = "db" in host.groups

preflight.check_inventory_and_secrets()
base.prepare_base_system()
if web:
    docker.install_docker()
if db:
    postgres.configure_postgres()
    redis.configure_redis()
if web:
    app.deploy_app()
    nginx.serve_site()
    certificates.obtain_certificate()
    nginx.enable_https()
