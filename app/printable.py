"""An invoice as the client receives it: a standalone page with the studio's details, made to print
(print CSS: one A4 page, no navigation), shown to staff and to the invoice's own client."""

from __future__ import annotations

from flask import g, render_template

from app.extensions import studio_db
from app.models.studio import Invoice
from app.services.studio_profile import studio_profile


def render_printable(invoice: Invoice, *, download: bool = False):
    """The print view; with `download`, the same page as a file named after the invoice."""
    profile = studio_profile(studio_db.session)
    page = render_template(
        "invoices/print.html",
        invoice=invoice,
        profile=profile,
        studio_name=profile.legal_name or g.studio.name,
    )
    if not download:
        return page
    return (
        page,
        200,
        {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{invoice.reference}.html"',
        },
    )
