"""The clients' portal of a studio: a signed-in client sees their own bookings and invoices, nobody else's."""

from flask import abort, render_template

from app.auth.guards import client_required, current_client
from app.models.studio import Invoice
from app.portal import bp
from app.services.bookings import upcoming_bookings
from app.services.invoices import client_invoices, get_invoice
from app.extensions import studio_db


@bp.get("/")
@client_required
def home():
    client = current_client()
    db = studio_db.session
    return render_template("portal/home.html", client=client,
                           bookings=upcoming_bookings(db, client_id=client.id),
                           invoices=client_invoices(db, client.id))


@bp.get("/invoices/<int:invoice_id>")
@client_required
def invoice(invoice_id: int):
    found: Invoice | None = get_invoice(studio_db.session, invoice_id)
    # Another client's invoice, or a draft, is answered exactly like one that does not exist.
    if found is None or found.client_id != current_client().id or found.status == "draft":
        abort(404, description="There is no such invoice.")
    return render_template("portal/invoice.html", client=current_client(), invoice=found)
