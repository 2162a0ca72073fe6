"""Whether the host waits for a reboot, and for which packages."""

from __future__ import annotations

from pyinfra.api import FactBase

from deploy.patching.config import REBOOT_REQUIRED, REBOOT_REQUIRED_PACKAGES


class RebootRequired(FactBase):
    """None when no reboot is pending; else the packages that asked for one (maybe none named)."""

    def command(self) -> str:
        return (
            f"test -e {REBOOT_REQUIRED} && echo pending && cat {REBOOT_REQUIRED_PACKAGES} 2>/dev/null || true"
        )

    def process(self, output):
        lines = [line.strip() for line in output if line.strip()]
        if not lines or lines[0] != "pending":
            return None
        return sorted(set(lines[1:]))
