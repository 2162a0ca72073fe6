"""The current request's studio and its plan; nothing here falls back to anything."""

from __future__ import annotations

from flask import g

from app.extensions import master_db
from app.models.master import Organization, Plan


class NoStudioError(RuntimeError):
    """Studio data was asked for on a request that has no studio."""


def current_studio() -> Organization:
    studio = g.get("studio")
    if studio is None:
        raise NoStudioError("this request has no studio; refusing to touch any studio database")
    return studio


def current_plan() -> Plan:
    if "plan" not in g:
        g.plan = master_db.session.get(Plan, current_studio().plan_id)
    return g.plan
