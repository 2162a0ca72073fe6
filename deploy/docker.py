"""Step 2 (web): Docker from Debian's packages, and the app's bridge network."""

from __future__ import annotations

from pyinfra.api import deploy
from pyinfra.operations import apt, systemd

from deploy import hostdata, ops, plan


@deploy("Install Docker")
def install_docker():
    apt.packages(name="Install Docker and Compose v2", packages=["docker.io", "docker-cli", "docker-compose"],
                 no_recommends=True)
    systemd.service(name="Enable and start Docker", service="docker.service", running=True, enabled=True)
    topo = hostdata.topology()
    ops.docker_network(
        name=f"Create the app network {plan.DOCKER_NETWORK} ({topo.subnet}, gateway {topo.gateway})",
        network=plan.DOCKER_NETWORK,
        subnet=topo.subnet,
        gateway=topo.gateway,
        bridge=plan.DOCKER_BRIDGE,
    )
