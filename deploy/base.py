"""Step 1: the base system every role needs: packages, the deploy's directories and helpers."""

from __future__ import annotations

from pathlib import Path

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.facts.deb import DebPackages
from pyinfra.operations import apt, files

from deploy import ops, plan

FILES = Path(__file__).resolve().parent / "files"


@deploy("Prepare the base system")
def prepare_base_system():
    wanted = plan.packages_for("web" in host.groups, "db" in host.groups, host.data.get("dns_plugin", ""))
    installed = host.get_fact(DebPackages) or {}
    if any(package not in installed for package in wanted):
        apt.update(name="Refresh the package index (packages are to be installed)", cache_time=3600)
    apt.packages(name="Install base packages", packages=list(plan.BASE_PACKAGES), no_recommends=True)
    files.directory(name="Create /etc/rsm", path=plan.ETC, user="root", group="root", mode="755")
    files.directory(name="Create the root-only secrets directory", path=plan.SECRETS_DIR,
                    user="root", group="root", mode="700")
    for script in (ops.RENDER, ops.NGINX_APPLY):
        files.put(
            name=f"Install {Path(script).name}",
            src=str(FILES / Path(script).name),
            dest=script,
            user="root",
            group="root",
            mode="755",
        )
