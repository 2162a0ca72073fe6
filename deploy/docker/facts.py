"""What Docker says about the app's network."""

from __future__ import annotations

from pyinfra.api import FactBase

from deploy.common.shell import q


class DockerNetworkSubnets(FactBase):
    """Subnets of a docker network, or None when it does not exist."""

    def requires_command(self, *args, **kwargs):
        return "docker"

    def command(self, network):
        return (
            f"docker network inspect --format '{{{{range .IPAM.Config}}}}{{{{.Subnet}}}} {{{{end}}}}' {q(network)} "
            "2>/dev/null || echo absent"
        )

    def process(self, output):
        text = " ".join(output).strip()
        return None if text == "absent" else text.split()
