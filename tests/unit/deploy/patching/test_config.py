"""Unattended security updates: the apt settings by exact output, and the pending-reboot line."""

import pytest

from deploy.common.render import render
from deploy.patching import config

pytestmark = pytest.mark.unit

MANAGED = "// Managed by the deploy (pyinfra); local changes are overwritten.\n"


def test_apt_runs_unattended_upgrade_daily():
    assert render("patching/auto-upgrades.conf.j2", {}) == MANAGED + (
        "// Refresh the package index and run unattended-upgrade once a day (the apt-daily timers).\n"
        'APT::Periodic::Update-Package-Lists "1";\n'
        'APT::Periodic::Unattended-Upgrade "1";\n'
    )


def test_only_the_security_archive_and_never_a_reboot():
    assert render("patching/unattended-upgrades.conf.j2", config.unattended_context()) == MANAGED + (
        "// Security updates only (Debian's list of origins is cleared first), and never a reboot: the\n"
        "// deploy reports a pending one.\n"
        "#clear Unattended-Upgrade::Origins-Pattern;\n"
        "Unattended-Upgrade::Origins-Pattern {\n"
        '    "origin=Debian,codename=${distro_codename}-security,label=Debian-Security";\n'
        "};\n"
        'Unattended-Upgrade::Automatic-Reboot "false";\n'
    )


def test_the_pending_reboot_line_names_the_packages_when_known():
    assert config.reboot_warning("web1", ["libc6", "linux-image-amd64"]) == (
        "web1 needs a reboot to finish its updates (for libc6, linux-image-amd64); the deploy does not "
        "reboot: reboot it when convenient."
    )
    assert config.reboot_warning("web1", []) == (
        "web1 needs a reboot to finish its updates; the deploy does not reboot: reboot it when convenient."
    )
