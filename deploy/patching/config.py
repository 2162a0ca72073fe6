"""Unattended security updates (pure): where apt reads the settings, and the context of each file."""

from __future__ import annotations

# apt reads /etc/apt/apt.conf.d in name order: ours comes after Debian's 50unattended-upgrades,
# clears its list of origins and names the security archive only.
PERIODIC_CONF = "/etc/apt/apt.conf.d/20auto-upgrades"
UNATTENDED_CONF = "/etc/apt/apt.conf.d/52rsm-unattended-upgrades"
# The apt timers that refresh the index and then run unattended-upgrade, each once a day.
TIMERS = ("apt-daily.timer", "apt-daily-upgrade.timer")
# Written by packages whose update needs a reboot (a new kernel, libc): the deploy reports it.
REBOOT_REQUIRED = "/var/run/reboot-required"
REBOOT_REQUIRED_PACKAGES = "/var/run/reboot-required.pkgs"
# Debian's security archive, as unattended-upgrades matches it (${distro_codename} is its own
# variable: trixie here).
SECURITY_ORIGIN = "origin=Debian,codename=${distro_codename}-security,label=Debian-Security"


def unattended_context() -> dict:
    """For templates/patching/unattended-upgrades.conf.j2."""
    return {"origins": [SECURITY_ORIGIN], "automatic_reboot": False}


def reboot_warning(host_name: str, packages: list[str]) -> str:
    """The deploy's closing line when the host waits for a reboot."""
    because = f" (for {', '.join(packages)})" if packages else ""
    return (
        f"{host_name} needs a reboot to finish its updates{because}; the deploy does not reboot: "
        "reboot it when convenient."
    )
