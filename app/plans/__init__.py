"""What a studio's plan means: a trial that ends (the studio becomes read-only, keeping its data),
monthly AI credits, and the operator's `flask plans` commands. No payment provider yet: see
`payments.PaymentProvider` for where one plugs in."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """After the tenant resolver: a studio whose trial ended refuses every write, and every page says so."""
    from app.plans import access, cli

    app.before_request(access.refuse_writes)
    app.context_processor(access.notice_context)
    cli.init_app(app)
