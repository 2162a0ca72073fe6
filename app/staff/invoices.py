"""Staff pages for invoices: list, create with lines, view, and move along draft → sent → paid / void."""

from datetime import date, datetime, timedelta, timezone

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.guards import staff_required
from app.models.studio import Booking
from app.services.bookings import describe_span
from app.services.clients import all_clients
from app.services.invoices import (
    TRANSITIONS,
    InvoiceError,
    LineInput,
    invoice_problems,
    create_invoice,
    get_invoice,
    list_invoices,
    parse_tax_rate,
    set_status,
)
from app.services.validation import money_value, quantity_value
from app.staff import bp
from app.staff.forms import int_or_none, refused
from app.extensions import studio_db

LINE_ROWS = 5
STATUS_LABELS = {"draft": "Draft", "sent": "Sent", "paid": "Paid", "void": "Void"}
# The buttons a status offers, in the order shown.
ACTIONS = {"sent": "Mark sent", "paid": "Mark paid", "void": "Void"}


@bp.get("/invoices")
@staff_required
def invoices():
    status = request.args.get("status") if request.args.get("status") in STATUS_LABELS else None
    return render_template("staff/invoices.html", invoices=list_invoices(studio_db.session, status=status),
                           status=status, labels=STATUS_LABELS)


def _recent_bookings():
    """Bookings a line may bill: the last 90 days and ahead, newest first."""
    since = datetime.now(timezone.utc) - timedelta(days=90)
    query = (select(Booking).where(Booking.starts_at >= since, Booking.status == "booked")
             .options(joinedload(Booking.client), joinedload(Booking.room)).order_by(Booking.starts_at.desc()))
    return list(studio_db.session.scalars(query.limit(200)))


def _form(values: dict, errors: dict | None = None):
    context = dict(
        values=values,
        client_options=[(client.id, client.name) for client in all_clients(studio_db.session)],
        booking_options=[(b.id, f"{b.client.name} · {b.room.name} · {describe_span(b.starts_at, b.ends_at)}")
                         for b in _recent_bookings()],
    )
    if errors:
        return refused("staff/invoice_form.html", errors, **context)
    return render_template("staff/invoice_form.html", errors={}, **context)


def _read_lines(errors: dict) -> tuple[list[dict], list[LineInput]]:
    """Line rows as typed (for re-display) and as LineInput; a row left wholly blank is skipped."""
    typed, lines = [], []
    for index in range(int_or_none(request.form.get("line_count")) or LINE_ROWS):
        row = {key: request.form.get(f"lines-{index}-{key}", "").strip()
               for key in ("description", "quantity", "unit_price", "booking_id")}
        typed.append(row)
        if not any(row.values()):
            continue
        position = len(lines)
        quantity = quantity_value(row["quantity"] or "1", errors, f"lines-{position}-quantity")
        price = money_value(row["unit_price"], errors, f"lines-{position}-unit_price")
        # A line whose number could not be read carries a placeholder; its error is already recorded.
        lines.append(LineInput(row["description"], quantity or 1, price if price is not None else 0,
                               int_or_none(row["booking_id"])))
    return typed, lines


@bp.route("/invoices/new", methods=["GET", "POST"])
@staff_required
def new_invoice():
    if request.method == "GET":
        values = {"client_id": request.args.get("client_id", ""), "tax_rate": "0", "due_on": "", "notes": "",
                  "lines": [{} for _ in range(LINE_ROWS)]}
        return _form(values)
    errors: dict[str, str] = {}
    values = {key: request.form.get(key, "") for key in ("client_id", "tax_rate", "due_on", "notes")}
    typed, lines = _read_lines(errors)
    # Errors refer to lines by position among the filled rows; show the filled rows first.
    values["lines"] = [row for row in typed if any(row.values())] + [row for row in typed if not any(row.values())]
    try:
        tax_rate_bp = parse_tax_rate(values["tax_rate"])
    except (ValueError, ArithmeticError):
        errors["tax_rate"], tax_rate_bp = "Enter a percentage between 0 and 100, e.g. 20.", 0
    due_on = None
    if values["due_on"]:
        try:
            due_on = date.fromisoformat(values["due_on"])
        except ValueError:
            errors["due_on"] = "Enter a date."
    client_id = int_or_none(values["client_id"])
    # Problems found while reading a field win over the service's view of its placeholder value.
    errors = {**invoice_problems(studio_db.session, client_id=client_id, lines=lines, tax_rate_bp=tax_rate_bp,
                                 notes=values["notes"]), **errors}
    if errors:
        return _form(values, errors)
    invoice = create_invoice(studio_db.session, client_id=client_id, lines=lines, tax_rate_bp=tax_rate_bp,
                             due_on=due_on, notes=values["notes"])
    studio_db.session.commit()
    flash(f"Invoice {invoice.number} created as a draft.", "success")
    return redirect(url_for("staff.invoice", invoice_id=invoice.id))


@bp.get("/invoices/<int:invoice_id>")
@staff_required
def invoice(invoice_id: int):
    found = get_invoice(studio_db.session, invoice_id)
    if found is None:
        abort(404, description="There is no such invoice.")
    actions = {status: ACTIONS[status] for status in ("sent", "paid", "void") if status in TRANSITIONS[found.status]}
    return render_template("staff/invoice.html", invoice=found, actions=actions, labels=STATUS_LABELS)


@bp.post("/invoices/<int:invoice_id>/status")
@staff_required
def invoice_status(invoice_id: int):
    found = get_invoice(studio_db.session, invoice_id)
    if found is None:
        abort(404, description="There is no such invoice.")
    try:
        set_status(studio_db.session, found, request.form.get("status", ""))
    except InvoiceError as exc:
        studio_db.session.rollback()
        flash(exc.errors["status"], "error")
    else:
        studio_db.session.commit()
        flash(f"{found.number} is now {STATUS_LABELS[found.status].lower()}.", "success")
    return redirect(url_for("staff.invoice", invoice_id=invoice_id))
