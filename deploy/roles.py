"""Which concerns each inventory group runs. deploy.py runs their steps in order on the hosts of
these groups; the base step refreshes the package index when a package they declare is missing."""

from __future__ import annotations

from typing import Iterable

from pyinfra import host

from deploy import app, certbot, docker, nginx, postgres, redis
from deploy.common.hostdata import HostData, package_names

ROLES = {
    "web": (docker, app, nginx, certbot),
    "db": (postgres, redis),
}


def concerns_for(groups: Iterable[str]) -> list:
    """The concerns a host in these groups runs, each once, in ROLES order."""
    found = []
    for role, concerns in ROLES.items():
        if role in groups:
            found += [concern for concern in concerns if concern not in found]
    return found


def packages_for(groups: Iterable[str], data: HostData) -> list[str]:
    """The Debian packages the concerns of these groups declare, host data filled in."""
    names: list[str] = []
    for concern in concerns_for(groups):
        names += [name for name in package_names(concern.PACKAGES, data) if name not in names]
    return names


def runs(concern) -> bool:
    """Whether this host runs the concern's steps."""
    return concern in concerns_for(host.groups)
