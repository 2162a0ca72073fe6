"""The base system (every host): packages every role needs, the deploy's directories and helper."""

from __future__ import annotations

from pathlib import Path

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.facts.deb import DebPackages
from pyinfra.operations import apt

from deploy import roles
from deploy.common import hostdata
from deploy.common.controller import RENDER_SCRIPT
from deploy.common.operations import directory, put
from deploy.common.paths import ETC, RENDER, SECRETS_DIR

GROUPS = hostdata.GROUPS  # every host
PACKAGES = ("ca-certificates", "openssl", "procps")


@deploy("Prepare the base system")
def prepare_base_system():
    wanted = roles.packages_for(host.groups, hostdata.of())
    installed = host.get_fact(DebPackages) or {}
    if any(package not in installed for package in wanted):
        apt.update(name="Refresh the package index (packages are to be installed)", cache_time=3600)
    apt.packages(name="Install base packages", packages=list(PACKAGES), no_recommends=True)
    directory(name=f"Create {ETC}", path=ETC, user="root", group="root", mode="755")
    directory(
        name="Create the root-only secrets directory", path=SECRETS_DIR, user="root", group="root", mode="700"
    )
    put(
        name=f"Install {Path(RENDER).name}",
        src=str(RENDER_SCRIPT),
        dest=RENDER,
        user="root",
        group="root",
        mode="755",
    )


@deploy("Wait for every host's earlier steps")
def checkpoint():
    """pyinfra keeps each host's operations in order, but orders different hosts' only through the
    operations they share: one host's 500th operation may run beside another's 50th. This no-op,
    called at a place in deploy.py on every host, makes everything before it finish on all hosts
    before anything after it starts (the database hosts' services before the web hosts' release;
    the release's migrations before the db host's first dump)."""
    directory(
        name=f"Checkpoint: every host has done the steps above (no change: {ETC} exists)",
        path=ETC,
        user="root",
        group="root",
        mode="755",
    )
