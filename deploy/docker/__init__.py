"""Docker (web): Docker from Debian's packages, and the app's bridge network."""

from __future__ import annotations

from pyinfra.api import deploy
from pyinfra.operations import apt

from deploy.common import hostdata
from deploy.common.operations import systemd_service
from deploy.docker.config import BRIDGE, NETWORK
from deploy.docker.operations import docker_network

GROUPS = ("web",)
PACKAGES = ("docker.io", "docker-cli", "docker-compose")


@deploy("Install Docker")
def install_docker():
    apt.packages(name="Install Docker and Compose v2", packages=list(PACKAGES), no_recommends=True)
    systemd_service(name="Enable and start Docker", service="docker.service", running=True, enabled=True)
    topo = hostdata.topology()
    docker_network(
        name=f"Create the app network {NETWORK} ({topo.subnet}, gateway {topo.gateway})",
        network=NETWORK,
        subnet=topo.subnet,
        gateway=topo.gateway,
        bridge=BRIDGE,
    )
