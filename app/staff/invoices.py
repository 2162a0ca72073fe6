"""Staff pages for invoices: list, create and edit drafts with lines, view, print, record payments,
and move along draft → sent → paid / void."""

from datetime import UTC, datetime, timedelta

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.guards import current_staff, staff_required
from app.extensions import studio_db
from app.i18n import N_
from app.inputs import FormError, show_percent
from app.models.studio import Booking, BookingStatus, Invoice, InvoiceStatus
from app.printable import render_pdf, render_printable
from app.services.bookings import describe_span
from app.services.clients import all_clients
from app.services.invoice_mail import mail_invoice
from app.services.invoices import (
    TRANSITIONS,
    WITH_LINES,
    InvoiceInput,
    LineInput,
    PaymentInput,
    create_invoice,
    list_invoices,
    record_payment,
    set_status,
    update_invoice,
)
from app.services.studio_profile import formatted_money, studio_profile, studio_zone
from app.staff import bp
from app.views import act, form_page, get_or_404, render_form
from app.zones import today

LINE_ROWS = 5
# The buttons a status offers, in the order shown.
ACTIONS = {
    InvoiceStatus.SENT: N_("Mark sent"),
    InvoiceStatus.PAID: N_("Mark paid"),
    InvoiceStatus.VOID: N_("Void"),
}


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


def _invoice_form(save, values: dict, shown_lines: list[dict], done: str, draft: Invoice | None = None):
    """The new/edit draft page; `shown_lines` fill the line rows on GET."""
    db = studio_db.session
    zone = studio_zone(db)
    lines = InvoiceInput.fields["lines"]
    # Refusals name lines by position among the filled rows: show those first, then blank rows.
    rows = lines.rows(request.form, "lines") if request.method == "POST" else shown_lines
    # At least LINE_ROWS rows, and two blank ones below a long draft's lines to add more.
    rows += [{}] * max(0, LINE_ROWS - len(rows), 2 if rows else 0)
    return form_page(
        "staff/invoice_form.html",
        InvoiceInput,
        save,
        values=values,
        done=lambda invoice: (
            done.format(reference=invoice.reference),
            url_for("staff.invoice", invoice_id=invoice.id),
        ),
        draft=draft,
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


@bp.route("/invoices/new", methods=["GET", "POST"])
@staff_required
def new_invoice():
    db = studio_db.session
    values = {
        "client_id": request.args.get("client_id", ""),
        "tax_rate": show_percent(studio_profile(db).default_tax_rate_bp),
    }
    return _invoice_form(lambda form: create_invoice(db, form), values, [], _("{reference} created."))


@bp.route("/invoices/<int:invoice_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_invoice(invoice_id: int):
    db = studio_db.session
    draft = get_or_404(db, Invoice, invoice_id, options=WITH_LINES)
    if draft.status != InvoiceStatus.DRAFT:
        flash(f"{draft.reference} is {draft.status.label.lower()}: only drafts change.", "error")
        return redirect(url_for("staff.invoice", invoice_id=invoice_id))
    return _invoice_form(
        lambda form: update_invoice(db, draft, form),
        InvoiceInput.shown(draft),
        [LineInput.shown(line) for line in draft.lines],
        _("{reference} saved."),
        draft,
    )


@bp.get("/invoices/<int:invoice_id>")
@staff_required
def invoice(invoice_id: int):
    found = get_or_404(studio_db.session, Invoice, invoice_id, options=WITH_LINES)
    received_today = today(studio_zone(studio_db.session)).isoformat()
    return _invoice_page(found, values={"received_on": received_today}, errors={})


def _invoice_page(found: Invoice, *, values, errors):
    actions = {status: label for status, label in ACTIONS.items() if status in TRANSITIONS[found.status]}
    return render_form(
        "staff/invoice.html", PaymentInput, values=values, errors=errors, invoice=found, actions=actions
    )


@bp.post("/invoices/<int:invoice_id>/payments")
@staff_required
def record_invoice_payment(invoice_id: int):
    db = studio_db.session
    found = get_or_404(db, Invoice, invoice_id, options=WITH_LINES)
    try:
        payment = record_payment(db, found, request.form, recorded_by_id=current_staff().id)
    except FormError as exc:
        db.rollback()
        found = get_or_404(db, Invoice, invoice_id, options=WITH_LINES)
        return _invoice_page(found, values=request.form, errors=exc.errors)
    db.commit()
    flash(
        _(
            "Recorded %(amount)s on %(reference)s.",
            amount=formatted_money(db, payment.amount_cents),
            reference=found.reference,
        ),
        "success",
    )
    return redirect(url_for("staff.invoice", invoice_id=invoice_id))


@bp.get("/invoices/<int:invoice_id>/print")
@staff_required
def print_invoice(invoice_id: int):
    found = get_or_404(studio_db.session, Invoice, invoice_id, options=WITH_LINES)
    return render_printable(found)


@bp.get("/invoices/<int:invoice_id>/pdf")
@staff_required
def invoice_pdf(invoice_id: int):
    return render_pdf(get_or_404(studio_db.session, Invoice, invoice_id, options=WITH_LINES))


@bp.post("/invoices/<int:invoice_id>/email")
@staff_required
def email_invoice(invoice_id: int):
    db = studio_db.session
    found = get_or_404(db, Invoice, invoice_id, options=WITH_LINES)
    return act(
        lambda: mail_invoice(db, found, g.studio),
        lambda address: f"{found.reference} is on its way to {address}, its PDF attached.",
        url_for("staff.invoice", invoice_id=invoice_id),
    )


@bp.post("/invoices/<int:invoice_id>/status")
@staff_required
def invoice_status(invoice_id: int):
    db = studio_db.session
    found = get_or_404(db, Invoice, invoice_id)
    return act(
        lambda: set_status(db, found, request.form.get("status", "")),
        lambda changed: f"{changed.reference} is now {changed.status.label.lower()}.",
        url_for("staff.invoice", invoice_id=invoice_id),
    )
