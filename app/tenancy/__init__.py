"""Which studio a request is for, and that studio's database."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The studios' databases, the Host resolver (before every request) and the operator commands."""
    from app.extensions import studio_db
    from app.settings import app_settings
    from app.tenancy import cli

    studio_db.init_app(app)
    # TenantResolver unless the TENANT_RESOLVER setting names a subclass that overrides some hooks.
    app_settings(app).TENANT_RESOLVER(app)
    cli.init_app(app)
