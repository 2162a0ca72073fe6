"""Staff pages for invoices: list, create with lines, view, and move along draft → sent → paid / void."""

from datetime import UTC, datetime, timedelta

from flask import render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.guards import staff_required
from app.extensions import studio_db
from app.models.studio import Booking, BookingStatus, Invoice, InvoiceStatus
from app.services.bookings import describe_span
from app.services.clients import all_clients
from app.services.invoices import (
    TRANSITIONS,
    WITH_LINES,
    InvoiceInput,
    create_invoice,
    list_invoices,
    set_status,
)
from app.services.studio_profile import studio_zone
from app.staff import bp
from app.views import act, form_page, get_or_404

LINE_ROWS = 5
# The buttons a status offers, in the order shown.
ACTIONS = {InvoiceStatus.SENT: "Mark sent", InvoiceStatus.PAID: "Mark paid", InvoiceStatus.VOID: "Void"}


@bp.get("/invoices")
@staff_required
def invoices():
    status = request.args.get("status") if request.args.get("status") in InvoiceStatus.values() else None
    return render_template(
        "staff/invoices.html",
        invoices=list_invoices(studio_db.session, status=status),
        status=status,
        statuses=InvoiceStatus,
    )


def _recent_bookings():
    """Bookings a line may bill: the last 90 days and ahead, newest first."""
    since = datetime.now(UTC) - timedelta(days=90)
    query = (
        select(Booking)
        .where(Booking.starts_at >= since, Booking.status == BookingStatus.BOOKED)
        .options(joinedload(Booking.client), joinedload(Booking.room))
        .order_by(Booking.starts_at.desc())
    )
    return list(studio_db.session.scalars(query.limit(200)))


@bp.route("/invoices/new", methods=["GET", "POST"])
@staff_required
def new_invoice():
    db = studio_db.session
    zone = studio_zone(db)
    lines = InvoiceInput.fields["lines"]
    # Refusals name lines by position among the filled rows: show those first, then blank rows.
    rows = lines.rows(request.form, "lines")
    rows += [{}] * max(0, LINE_ROWS - len(rows))
    return form_page(
        "staff/invoice_form.html",
        InvoiceInput,
        lambda form: create_invoice(db, form),
        values={"client_id": request.args.get("client_id", ""), "tax_rate": "0"},
        done=lambda invoice: (
            f"Invoice {invoice.number} created as a draft.",
            url_for("staff.invoice", invoice_id=invoice.id),
        ),
        rows=rows,
        line=lines.item,
        options={
            "client_id": [(client.id, client.name) for client in all_clients(db)],
            "booking_id": [
                (b.id, f"{b.client.name} · {b.room.name} · {describe_span(b.starts_at, b.ends_at, zone)}")
                for b in _recent_bookings()
            ],
        },
    )


@bp.get("/invoices/<int:invoice_id>")
@staff_required
def invoice(invoice_id: int):
    found = get_or_404(studio_db.session, Invoice, invoice_id, options=WITH_LINES)
    actions = {status: label for status, label in ACTIONS.items() if status in TRANSITIONS[found.status]}
    return render_template("staff/invoice.html", invoice=found, actions=actions)


@bp.post("/invoices/<int:invoice_id>/status")
@staff_required
def invoice_status(invoice_id: int):
    db = studio_db.session
    found = get_or_404(db, Invoice, invoice_id)
    return act(
        lambda: set_status(db, found, request.form.get("status", "")),
        lambda changed: f"{changed.number} is now {changed.status.label.lower()}.",
        url_for("staff.invoice", invoice_id=invoice_id),
    )
