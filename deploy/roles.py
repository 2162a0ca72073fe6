"""Which hosts run which concern. Every package under deploy/ but common is a concern; it declares
the inventory groups whose hosts run its steps (`GROUPS`) and the Debian packages they need
(`PACKAGES`, or group → packages when its hosts need different ones by role). deploy.py asks `runs(concern)`; the base step refreshes the package index when a
package of the concerns this host runs is missing."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping

from pyinfra import host

import deploy
from deploy.common.hostdata import HostData, package_names


def concerns() -> list:
    """Every concern package, by name."""
    return [
        importlib.import_module(f"deploy.{module.name}")
        for module in pkgutil.iter_modules(deploy.__path__)
        if module.ispkg and module.name != "common"
    ]


def concerns_for(groups: Iterable[str]) -> list:
    """The concerns a host in these groups runs."""
    groups = set(groups)
    return [concern for concern in concerns() if groups & set(concern.GROUPS)]


def declared_packages(concern, groups: Iterable[str]) -> tuple[str, ...]:
    """The packages a concern declares for a host in these groups."""
    if not isinstance(concern.PACKAGES, Mapping):
        return tuple(concern.PACKAGES)
    groups = set(groups)
    by_group = [concern.PACKAGES[group] for group in concern.GROUPS if group in groups]
    return tuple(dict.fromkeys(name for packages in by_group for name in packages))


def packages_for(groups: Iterable[str], data: HostData) -> list[str]:
    """The Debian packages the concerns of these groups declare, host data filled in."""
    groups = list(groups)
    names: list[str] = []
    for concern in concerns_for(groups):
        declared = declared_packages(concern, groups)
        names += [name for name in package_names(declared, data) if name not in names]
    return names


def runs(concern) -> bool:
    """Whether this host runs the concern's steps: it is in one of its groups, and the concern's
    `runs_here()` (when it declares one, e.g. Redis on the first db host only) agrees."""
    here = getattr(concern, "runs_here", None)
    return bool(set(host.groups) & set(concern.GROUPS)) and (here is None or here())
