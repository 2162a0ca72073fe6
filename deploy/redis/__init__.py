"""Redis (the first db host): from Debian, password-protected, bound where the app reaches it."""

from __future__ import annotations

from io import StringIO

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.operations import apt, files, systemd
from pyinfra.operations.util import any_changed

from deploy.common import hostdata, tls
from deploy.common.facts import host_size
from deploy.common.operations import ensure_secret, put, rendered_file, systemd_service
from deploy.common.render import render
from deploy.docker.config import AFTER_DOCKER_DROPIN
from deploy.redis import config

GROUPS = ("db",)
PACKAGES = ("redis-server",)


def runs_here() -> bool:
    """Redis runs on the home db host (the first) only: one store every web host shares."""
    return hostdata.topology().home


@deploy("Configure Redis")
def configure_redis():
    topo = hostdata.topology()
    size = host_size(host)
    maxmemory = config.maxmemory_mb(size["memory_mb"], topo.colocated)

    apt.packages(name="Install Redis", packages=list(PACKAGES), no_recommends=True)
    ensure_secret("redis_password")
    certificate = tls.install_server_certificate("redis", "redis") if topo.remote_clients else []
    tls_files = tls.paths("redis") if certificate else None
    dropin = put(
        name="Start Redis after Docker (it listens on the app network's gateway)",
        src=StringIO(render(AFTER_DOCKER_DROPIN, {})),
        dest=config.DROPIN,
        create_remote_dir=True,
    )
    systemd.daemon_reload(name="Reload systemd units", _if=dropin.did_change)
    template = put(
        name=f"Install the Redis settings template (bind {' '.join(topo.listen_addresses)}, maxmemory {maxmemory}mb)",
        src=StringIO(
            render("redis/rsm.conf.j2", config.conf_context(topo.listen_addresses, maxmemory, tls_files))
        ),
        dest=config.INCLUDE_TEMPLATE,
        mode="600",
    )
    conf = rendered_file(
        name="Write Redis settings with its password (root and redis only)",
        template=config.INCLUDE_TEMPLATE,
        dest=config.INCLUDE,
        mode="640",
        owner="root:redis",
    )
    include = files.line(
        name="Include the deploy's settings last in redis.conf",
        path=config.MAIN_CONF,
        line=f"include {config.INCLUDE}",
    )
    systemd_service(
        name="Restart Redis with the new settings",
        service="redis-server.service",
        restarted=True,
        _if=any_changed(template, conf, include, *certificate),
    )
    systemd_service(name="Enable and start Redis", service="redis-server.service", running=True, enabled=True)
