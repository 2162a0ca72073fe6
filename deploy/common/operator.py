"""The operator's values (pure): the app's operator-sourced settings and the shared passwords.

Where each comes from, first match wins: the operator's environment, else the secrets file
(`secrets/<inventory>.env`, outside git), else host data `app_settings` (non-secret tuning only).
Empty values count as unset. PLATFORM_DOMAIN is not read here (it is host data `domain`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from deploy.common.secrets import OPERATOR_SECRET_OVERRIDES


def parse_env_file(text: str) -> dict[str, str]:
    """`NAME=value` lines (optionally `export NAME=...`, quoted values); `#` comments, blanks."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"line {number}: expected NAME=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def _given(value) -> bool:
    return value is not None and str(value).strip() != ""


def operator_values(
    settings: Iterable,
    environ: Mapping[str, str],
    secrets_file: Mapping[str, str],
    host_settings: Mapping[str, object],
) -> dict[str, str]:
    """Values of the operator-sourced settings and of the shared-password overrides, by precedence."""
    values: dict[str, str] = {}
    for setting in settings:
        if setting.source != "operator" or setting.name == "PLATFORM_DOMAIN":
            continue
        for source in (environ, secrets_file, host_settings):
            if _given(source.get(setting.name)):
                values[setting.name] = str(source[setting.name])
                break
    for name in OPERATOR_SECRET_OVERRIDES.values():
        for source in (environ, secrets_file):
            if _given(source.get(name)):
                values[name] = str(source[name])
                break
    return values
