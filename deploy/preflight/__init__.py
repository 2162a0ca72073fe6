"""Preflight (every host, first): refuse to start unless the inventory data and the operator's
secrets are all there, naming every missing item; nothing is changed before."""

from __future__ import annotations

import os

from pyinfra import host, logger
from pyinfra.api import deploy
from pyinfra.api.exceptions import PyinfraError

from app.settings import SETTINGS
from deploy.common import hostdata
from deploy.common.controller import local_path
from deploy.preflight import checks

GROUPS = hostdata.GROUPS  # every host, and hosts in no group too (it names them)
PACKAGES: tuple[str, ...] = ()


class PreflightError(PyinfraError):
    pass


@deploy("Check inventory data and secrets")
def check_inventory_and_secrets():
    missing = checks.missing_items(
        host.name,
        hostdata.data_of(),
        hostdata.groups(),
        hostdata.operator_values(),
        SETTINGS,
        lambda path: os.access(local_path(path), os.R_OK),
        hostdata.of().secrets_file,
    )
    if missing:
        raise PreflightError(checks.preflight_message(host.name, missing))
    for warning in checks.warnings(host.name, hostdata.groups(), hostdata.operator_values()):
        logger.warning(f"{host.name}: {warning}")
