"""Invoices: totals in integer cents, numbering, payments, and the draft → sent → paid life cycle.

Money rules: a line's amount is quantity × unit price rounded half-up to the cent; tax is computed
once per invoice on the subtotal (tax_rate_bp basis points, 2000 = 20 %), rounded half-up.

Numbering: a draft has no number; issuing it (draft → sent) gives the next INV-NNNN under a
transaction-scoped lock, so numbers are gapless and in issue order. Only a draft can be edited.

Payments: a deposit or part payment is recorded against a sent invoice, never above its balance;
the one that clears the balance marks it paid.

Status rules: draft → sent → paid. A draft or sent invoice can be voided; a paid invoice cannot
(money was received: record a refund instead), and void is final. Only "sent" invoices are unpaid:
a draft has not been issued, so nobody owes it yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session, joinedload, selectinload

from app import limits
from app.i18n import N_
from app.inputs import (
    Field,
    FormError,
    Input,
    Rows,
    day,
    identifier,
    money,
    percent,
    positive_quantity,
    show_money,
    show_percent,
    text,
)
from app.models.studio import Booking, Client, Invoice, InvoiceLine, InvoiceStatus, Payment
from app.services.studio_profile import formatted_money, studio_zone
from app.zones import today as studio_today

TRANSITIONS = {
    InvoiceStatus.DRAFT: {InvoiceStatus.SENT, InvoiceStatus.VOID},
    InvoiceStatus.SENT: {InvoiceStatus.PAID, InvoiceStatus.VOID},
    InvoiceStatus.PAID: set(),
    InvoiceStatus.VOID: set(),
}
NUMBER_PREFIX = "INV-"
PAYMENT_TERMS = timedelta(days=30)
# Any constant works: the lock only serialises number allocation inside this studio's database.
NUMBER_LOCK_KEY = 0x1A7C0
# The relations an invoice's page shows.
WITH_LINES = [
    joinedload(Invoice.client),
    selectinload(Invoice.lines).joinedload(InvoiceLine.booking),
    selectinload(Invoice.payments),
]


class LineInput(Input):
    description = Field("Description", text(200), required=N_("Describe the line."), attrs='maxlength="200"')
    quantity = Field(
        "Qty",
        positive_quantity,
        empty=Decimal(1),
        attrs='inputmode="decimal" placeholder="1"',
        schema={"type": "string", "description": "a number, e.g. 1 or 2.5; 1 when left out"},
    )
    unit_price = Field(
        "Unit price",
        money,
        required=N_("Enter an amount, e.g. 45.00."),
        attr="unit_price_cents",
        attrs='inputmode="decimal" placeholder="0.00"',
        show=show_money,
    )
    booking_id = Field(
        "Session",
        identifier("Choose one of this client's sessions."),
        widget="select",
        blank=N_("— none —"),
        schema={"type": "integer"},
    )


class InvoiceInput(Input):
    client_id = Field(
        "Client",
        identifier("Choose a client."),
        required=N_("Choose a client."),
        widget="select",
        blank=N_("Choose a client"),
        schema={"type": "integer"},
    )
    tax_rate = Field(
        "Tax rate (%)",
        percent,
        empty=0,
        attr="tax_rate_bp",
        hint=N_("e.g. 20"),
        attrs='inputmode="decimal"',
        show=show_percent,
    )
    due_on = Field("Due on", day, widget="date", hint=N_("Blank: 30 days after it is sent."))
    lines = Rows("Lines", LineInput, max_rows=limits.MAX_INVOICE_LINES, required=N_("Add at least one line."))
    notes = Field("Notes", text(5000), widget="textarea")

    def check(self, db: Session, errors: dict[str, str]) -> None:
        client = db.get(Client, self.client_id) if "client_id" not in errors else None
        # An archived client keeps the drafts they had, but gets no new invoice.
        if (
            client is not None
            and client.archived_at is not None
            and (self.row is None or self.row.client_id != client.id)
        ):
            client = None
        if client is None and "client_id" not in errors:
            errors["client_id"] = "Choose a client."
        for position, line in enumerate(self.lines):
            if line.booking_id is None:
                continue
            booking = db.get(Booking, line.booking_id)
            if booking is None or (client is not None and booking.client_id != client.id):
                errors[f"lines-{position}-booking_id"] = "Choose one of this client's sessions."


@dataclass(frozen=True)
class Totals:
    line_amounts: list[int]
    subtotal_cents: int
    tax_cents: int
    total_cents: int


def _round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_amount(quantity: Decimal, unit_price_cents: int) -> int:
    return _round_half_up(Decimal(quantity) * unit_price_cents)


def compute_totals(lines: Iterable[tuple[Decimal, int]], tax_rate_bp: int) -> Totals:
    """(quantity, unit price in cents) pairs and a tax rate in basis points -> exact totals in cents."""
    amounts = [line_amount(quantity, unit_price) for quantity, unit_price in lines]
    subtotal = sum(amounts)
    tax = _round_half_up(Decimal(subtotal) * tax_rate_bp / 10000)
    return Totals(line_amounts=amounts, subtotal_cents=subtotal, tax_cents=tax, total_cents=subtotal + tax)


def next_number(db: Session) -> str:
    """The next INV-NNNN; holds a transaction-scoped lock so concurrent invoices never share a number."""
    db.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": NUMBER_LOCK_KEY})
    highest = db.scalar(
        select(func.max(cast(func.substr(Invoice.number, len(NUMBER_PREFIX) + 1), Integer))).where(
            Invoice.number.regexp_match(f"^{NUMBER_PREFIX}[0-9]+$")
        )
    )
    return f"{NUMBER_PREFIX}{(highest or 0) + 1:04d}"


def _fill(invoice: Invoice, wanted: InvoiceInput) -> Invoice:
    """Set a draft's client, terms, lines and computed totals from its parsed input."""
    totals = compute_totals([(line.quantity, line.unit_price) for line in wanted.lines], wanted.tax_rate)
    invoice.client_id = wanted.client_id
    invoice.due_on = wanted.due_on
    invoice.notes = wanted.notes
    invoice.tax_rate_bp = wanted.tax_rate
    invoice.subtotal_cents = totals.subtotal_cents
    invoice.tax_cents = totals.tax_cents
    invoice.total_cents = totals.total_cents
    invoice.lines = [
        line.apply(InvoiceLine(amount_cents=amount))
        for line, amount in zip(wanted.lines, totals.line_amounts, strict=True)
    ]
    return invoice


def create_invoice(db: Session, data: Mapping[str, Any]) -> Invoice:
    """A draft invoice (no number yet) from `data` (read by InvoiceInput), with computed totals.

    Flushes; the caller commits.
    """
    invoice = _fill(Invoice(status=InvoiceStatus.DRAFT), InvoiceInput.parse(data, db))
    db.add(invoice)
    db.flush()
    return invoice


def update_invoice(db: Session, invoice: Invoice, data: Mapping[str, Any]) -> Invoice:
    """Replace a draft's client, terms and lines; an issued invoice is final (FormError). Flushes."""
    if invoice.status != InvoiceStatus.DRAFT:
        raise FormError(
            {"form": f"{invoice.reference} is {invoice.status.label.lower()}: only drafts change."}
        )
    _fill(invoice, InvoiceInput.parse(data, db, row=invoice))
    db.flush()
    return invoice


def set_status(db: Session, invoice: Invoice, status: Any, *, today: date | None = None) -> Invoice:
    """Move along draft → sent → paid, or to void; FormError on any other move."""
    if status not in TRANSITIONS[invoice.status]:
        raise FormError({"status": f"A {invoice.status} invoice can't be marked {status}."})
    status = InvoiceStatus(status)
    if status == InvoiceStatus.SENT:
        # Drafts made by the release before numbers were given at issue already have one.
        invoice.number = invoice.number or next_number(db)
        invoice.issued_on = invoice.issued_on or today or studio_today(studio_zone(db))
        invoice.due_on = invoice.due_on or invoice.issued_on + PAYMENT_TERMS
        invoice.billed_name = invoice.client.name
    invoice.status = status
    db.flush()
    return invoice


def _listing(query):
    return query.options(joinedload(Invoice.client)).order_by(Invoice.id.desc())


def list_invoices(
    db: Session, *, status: InvoiceStatus | None = None, client_id: int | None = None
) -> list[Invoice]:
    query = select(Invoice)
    if status:
        query = query.where(Invoice.status == status)
    if client_id is not None:
        query = query.where(Invoice.client_id == client_id)
    return list(db.scalars(_listing(query)))


def unpaid_invoices(db: Session) -> list[Invoice]:
    """Invoices issued and not yet paid (status "sent"), oldest due date first. Drafts are not owed."""
    query = select(Invoice).options(joinedload(Invoice.client)).where(Invoice.status == InvoiceStatus.SENT)
    return list(db.scalars(query.order_by(Invoice.due_on.asc().nulls_last(), Invoice.id)))


def client_invoices(db: Session, client_id: int) -> list[Invoice]:
    """What a client sees in the portal: their issued invoices (sent, paid, void), never drafts."""
    query = select(Invoice).where(Invoice.client_id == client_id, Invoice.status != InvoiceStatus.DRAFT)
    return list(db.scalars(_listing(query)))


class PaymentInput(Input):
    amount = Field(
        "Amount received",
        money,
        required=N_("Enter the amount received, e.g. 100."),
        attr="amount_cents",
        attrs='inputmode="decimal"',
    )
    received_on = Field("Received on", day, required=N_("Enter the date it was received."), widget="date")
    note = Field("Note", text(200), hint=N_("e.g. deposit, bank transfer"), attrs='maxlength="200"')


def record_payment(
    db: Session, invoice: Invoice, data: Mapping[str, Any], *, recorded_by_id: int | None
) -> Payment:
    """Record money received against a sent invoice, at most its balance; the payment that clears
    the balance marks it paid. FormError when refused. Flushes."""
    wanted = PaymentInput.parse(data, db)
    # Two people recording at once: the second waits here, then sees the first one's payment.
    db.execute(select(Invoice.id).where(Invoice.id == invoice.id).with_for_update())
    db.expire(invoice)
    if invoice.status != InvoiceStatus.SENT:
        raise FormError({"form": "Payments are recorded against a sent invoice: send it first."})
    if wanted.amount == 0:
        raise FormError({"amount": "Enter an amount above 0."})
    if wanted.amount > invoice.balance_cents:
        raise FormError(
            {"amount": f"That is more than the balance due, {formatted_money(db, invoice.balance_cents)}."}
        )
    payment = wanted.apply(Payment(recorded_by_id=recorded_by_id))
    invoice.payments.append(payment)
    if invoice.balance_cents == 0:
        invoice.status = InvoiceStatus.PAID
    db.flush()
    return payment
