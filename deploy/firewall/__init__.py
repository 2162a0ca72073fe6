"""The firewall (every host): Debian's nftables with the deploy's own table, input dropped but for
what the host's roles need (deploy/firewall/config.py); loaded at boot by nftables.service."""

from __future__ import annotations

from io import StringIO

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.operations import apt, systemd

from deploy.common import hostdata
from deploy.common.operations import put, systemd_service
from deploy.common.render import render
from deploy.firewall import config

GROUPS = hostdata.GROUPS  # every host
PACKAGES = ("nftables",)


@deploy("Configure the firewall")
def configure_firewall():
    data = hostdata.data_of()
    context = config.ruleset_context(
        host.name, hostdata.addresses(), int(data.get("ssh_port") or 22), hostdata.of().app_network_subnet
    )
    apt.packages(name="Install nftables", packages=list(PACKAGES), no_recommends=True)
    dropin = put(
        name=f"Stop nftables by removing only the table inet {config.TABLE} (Docker's stay)",
        src=StringIO(render("firewall/service.conf.j2", config.dropin_context())),
        dest=config.DROPIN,
        create_remote_dir=True,
    )
    systemd.daemon_reload(name="Reload systemd units", _if=dropin.did_change)
    ruleset = put(
        name=f"Write the firewall's rules ({len(context['rules'])} allowed services, input dropped else)",
        src=StringIO(render("firewall/nftables.conf.j2", context)),
        dest=config.CONF,
        mode="755",
    )
    systemd_service(
        name=f"Replace the table inet {config.TABLE} with the new rules",
        service=config.UNIT,
        reloaded=True,
        _if=ruleset.did_change,
    )
    systemd_service(name="Enable and start nftables", service=config.UNIT, running=True, enabled=True)
