"""The clients' portal of a studio: a signed-in client sees their own bookings and invoices, nobody else's."""

from flask import abort, render_template

from app.auth.guards import client_required, current_client
from app.extensions import studio_db
from app.models.studio import Invoice, InvoiceStatus
from app.portal import bp
from app.printable import render_pdf, render_printable
from app.services.bookings import upcoming_bookings
from app.services.invoices import WITH_LINES, client_invoices
from app.views import get_or_404


@bp.get("/")
@client_required
def home():
    client = current_client()
    db = studio_db.session
    return render_template(
        "portal/home.html",
        client=client,
        bookings=upcoming_bookings(db, client_id=client.id),
        invoices=client_invoices(db, client.id),
    )


def _own_invoice(invoice_id: int) -> Invoice:
    found = get_or_404(studio_db.session, Invoice, invoice_id, options=WITH_LINES)
    # Another client's invoice, or a draft, is answered exactly like one that does not exist.
    if found.client_id != current_client().id or found.status == InvoiceStatus.DRAFT:
        abort(404, description="There is no such invoice.")
    return found


@bp.get("/invoices/<int:invoice_id>")
@client_required
def invoice(invoice_id: int):
    return render_template("portal/invoice.html", client=current_client(), invoice=_own_invoice(invoice_id))


@bp.get("/invoices/<int:invoice_id>/print")
@client_required
def print_invoice(invoice_id: int):
    return render_printable(_own_invoice(invoice_id))


@bp.get("/invoices/<int:invoice_id>/pdf")
@client_required
def invoice_pdf(invoice_id: int):
    return render_pdf(_own_invoice(invoice_id))
