"""Which studio a request is for, and that studio's database."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The studios' databases, the Host resolver (before every request) and the operator commands."""
    from app.extensions import studio_db
    from app.tenancy import cli
    from app.tenancy.resolver import TenantResolver

    studio_db.init_app(app)
    TenantResolver(app)
    cli.init_app(app)
