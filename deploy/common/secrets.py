"""Server-side secrets (pure): generated on the server, referred to as `@@name@@` placeholders in
the templates the deploy uploads, filled in on the server by rsm-render from
/etc/rsm/secrets/<name>; so generated passwords never pass through the controller."""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Operator variables that replace a generated secret: needed when web and db are separate hosts
#: (the passwords), or when several web hosts sign the same sessions (the app's secret key).
OPERATOR_SECRET_OVERRIDES = {
    "postgres_password": "RSM_POSTGRES_PASSWORD",
    "redis_password": "RSM_REDIS_PASSWORD",
    "secret_key": "RSM_SECRET_KEY",
}
SHARED_PASSWORDS = (
    OPERATOR_SECRET_OVERRIDES["postgres_password"],
    OPERATOR_SECRET_OVERRIDES["redis_password"],
)
SHARED_SECRET_KEY = OPERATOR_SECRET_OVERRIDES["secret_key"]


#: How rsm-render writes a secret where it sits: as it is, or encoded for that place (see the script).
ENCODINGS = ("", "url", "pgpass", "redis")


def placeholder(name: str, encoding: str = "") -> str:
    """`@@name@@`, or `@@name:encoding@@` for a secret inside a URL, a .pgpass field or redis.conf."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown secret encoding {encoding!r}")
    return f"@@{name}:{encoding}@@" if encoding else f"@@{name}@@"


def secret_names_in(text: str) -> list[str]:
    """The server-side secrets a template refers to, in first-use order."""
    seen: list[str] = []
    for name in re.findall(r"@@([a-z_]+)(?::[a-z]+)?@@", text):
        if name not in seen:
            seen.append(name)
    return seen


def operator_secrets_in(text: str, operator: Mapping[str, str]) -> dict[str, str]:
    """The operator's values (RSM_..., when given) of the server-side secrets `text` refers to."""
    variables = (OPERATOR_SECRET_OVERRIDES.get(name) for name in secret_names_in(text))
    return {v: str(operator[v]) for v in variables if v and operator.get(v)}
