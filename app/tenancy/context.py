"""The current request's studio and its database session; nothing here falls back to anything."""

from __future__ import annotations

from flask import g
from sqlalchemy.orm import Session

from app.extensions import master_db, tenant_engines
from app.models.master import Organization, Plan


class NoTenantError(RuntimeError):
    """Studio data was asked for on a request that has no studio."""


def current_tenant() -> Organization:
    tenant = g.get("tenant")
    if tenant is None:
        raise NoTenantError("this request has no studio; refusing to touch any studio database")
    return tenant


def current_plan() -> Plan:
    if "plan" not in g:
        g.plan = master_db.session.get(Plan, current_tenant().plan_id)
    return g.plan


def tenant_session() -> Session:
    if "tenant_session" not in g:
        g.tenant_session = Session(tenant_engines.engine(current_tenant().database_name), expire_on_commit=False)
    return g.tenant_session


def close_tenant_session(_exc=None) -> None:
    session = g.pop("tenant_session", None)
    if session is not None:
        session.close()
