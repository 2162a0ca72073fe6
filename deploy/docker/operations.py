"""The app's Docker network, created once with a fixed subnet."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import OperationError, StringCommand, operation

from deploy.common.shell import q
from deploy.docker.facts import DockerNetworkSubnets


@operation()
def docker_network(network: str, subnet: str, gateway: str, bridge: str):
    """A bridge network with a fixed subnet, so PostgreSQL and Redis can listen on its gateway."""
    subnets = host.get_fact(DockerNetworkSubnets, network=network)
    if subnets is None:
        yield StringCommand(
            f"docker network create --driver bridge --subnet {q(subnet)} --gateway {q(gateway)} "
            f"--opt com.docker.network.bridge.name={q(bridge)} {q(network)}"
        )
    elif subnet not in subnets:
        raise OperationError(
            f"docker network {network} has subnet {' '.join(subnets)}, not {subnet}: remove it "
            f"(docker compose -p rsm down; docker network rm {network}) or set host data app_network_subnet"
        )
