"""Step 0: refuse to start unless the inventory data and the operator's secrets are all there."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.api.exceptions import PyinfraError

from app.settings import SETTINGS
from deploy import hostdata, plan


class PreflightError(PyinfraError):
    pass


@deploy("Check inventory data and secrets")
def check_inventory_and_secrets():
    missing = plan.missing_items(
        host.name,
        hostdata.data_of(),
        hostdata.groups(),
        hostdata.operator_values(),
        SETTINGS,
        lambda path: hostdata.local_path(path).exists(),
        hostdata.secrets_file(),
    )
    if missing:
        raise PreflightError(plan.preflight_message(host.name, missing))
