"""An invoice as the client receives it: a standalone page with the studio's details, made to print
(print CSS: one A4 page, no navigation), shown to staff and to the invoice's own client, and the
same page as a PDF (WeasyPrint, with Debian's pango in the image)."""

from __future__ import annotations

from pathlib import Path

from flask import g, render_template

from app.extensions import studio_db
from app.models.studio import Invoice
from app.services.studio_profile import studio_profile

PRINT_CSS = Path(__file__).parent / "static" / "print.css"


def _page(invoice: Invoice, *, pdf: bool) -> str:
    profile = studio_profile(studio_db.session)
    return render_template(
        "invoices/print.html",
        invoice=invoice,
        profile=profile,
        studio_name=profile.legal_name or g.studio.name,
        pdf=pdf,
    )


def render_printable(invoice: Invoice):
    """The print view."""
    return _page(invoice, pdf=False)


def _no_fetching(url: str, *args, **kwargs):
    # The page names no resource (its stylesheet is given from disk), so any URL is refused:
    # rendering never reaches the network or a local file on someone's behalf.
    raise ValueError(f"invoice PDFs fetch nothing: {url}")


def pdf_bytes(invoice: Invoice) -> bytes:
    """The print view as a PDF."""
    from weasyprint import CSS, HTML  # imported on first use: it loads pango, which the app rarely needs

    document = HTML(string=_page(invoice, pdf=True), url_fetcher=_no_fetching)
    return document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])


def pdf_filename(invoice: Invoice) -> str:
    return f"{invoice.reference}.pdf"


def render_pdf(invoice: Invoice):
    """The print view as a PDF download named after the invoice."""
    return (
        pdf_bytes(invoice),
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="{pdf_filename(invoice)}"',
        },
    )
