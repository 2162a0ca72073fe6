"""Step 4 (db): Redis from Debian, password-protected, bound where the app reaches it."""

from __future__ import annotations

from io import StringIO

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.operations import apt, files, systemd
from pyinfra.operations.util import any_changed

from deploy import configs, hostdata, ops, plan, sizing

INCLUDE = "/etc/redis/rsm.conf"


@deploy("Configure Redis")
def configure_redis():
    topo = hostdata.topology()
    size = host.get_fact(ops.HostSize)
    maxmemory = sizing.redis_maxmemory_mb(size["memory_mb"], topo.colocated)

    apt.packages(name="Install Redis", packages=["redis-server"], no_recommends=True)
    hostdata.ensure_secret("redis_password")
    dropin = files.put(
        name="Start Redis after Docker (it listens on the app network's gateway)",
        src=StringIO(configs.after_docker_dropin()),
        dest="/etc/systemd/system/redis-server.service.d/rsm.conf",
        create_remote_dir=True,
    )
    systemd.daemon_reload(name="Reload systemd units", _if=dropin.did_change)
    template = files.put(
        name=f"Install the Redis settings template (bind {' '.join(topo.listen_addresses)}, maxmemory {maxmemory}mb)",
        src=StringIO(configs.redis_conf_template(topo.listen_addresses, maxmemory)),
        dest=f"{plan.ETC}/redis.conf.tmpl",
        mode="600",
    )
    conf = ops.rendered_file(name="Write Redis settings with its password (root and redis only)",
                             template=f"{plan.ETC}/redis.conf.tmpl", dest=INCLUDE, mode="640",
                             owner="root:redis")
    include = files.line(name="Include the deploy's settings last in redis.conf",
                         path="/etc/redis/redis.conf", line=f"include {INCLUDE}")
    systemd.service(name="Restart Redis with the new settings", service="redis-server.service",
                    restarted=True, _if=any_changed(template, conf, include))
    systemd.service(name="Enable and start Redis", service="redis-server.service", running=True, enabled=True)
