"""Security updates (every host): unattended-upgrades from Debian's security archive, no reboots;
a pending reboot is reported at the end of the deploy, for the operator to choose the moment."""

from __future__ import annotations

from io import StringIO

from pyinfra import host, logger
from pyinfra.api import deploy
from pyinfra.operations import apt, python

from deploy.common import hostdata
from deploy.common.operations import put, systemd_service
from deploy.common.render import render
from deploy.patching import config
from deploy.patching.facts import RebootRequired

GROUPS = hostdata.GROUPS  # every host
PACKAGES = ("unattended-upgrades",)


@deploy("Keep the system patched")
def keep_patched():
    apt.packages(name="Install unattended-upgrades", packages=list(PACKAGES), no_recommends=True)
    put(
        name="Run unattended-upgrade daily",
        src=StringIO(render("patching/auto-upgrades.conf.j2", {})),
        dest=config.PERIODIC_CONF,
        mode="644",
    )
    put(
        name="Take security updates only, never reboot",
        src=StringIO(render("patching/unattended-upgrades.conf.j2", config.unattended_context())),
        dest=config.UNATTENDED_CONF,
        mode="644",
    )
    for timer in config.TIMERS:
        systemd_service(name=f"Enable and start {timer}", service=timer, running=True, enabled=True)


def _warn_reboot_required() -> None:
    logger.warning(config.reboot_warning(host.name, host.get_fact(RebootRequired) or []))


@deploy("Report a pending reboot")
def report_pending_reboot():
    # Checked when the deploy runs this, after everything else (not when operations are planned),
    # and skipped (no change) when nothing is pending, so a second converge stays at zero changes.
    python.call(
        name="Warn that a reboot is pending",
        function=_warn_reboot_required,
        _if=lambda: host.get_fact(RebootRequired) is not None,
    )
