"""Invoices: totals in integer cents, numbering, and the draft → sent → paid life cycle.

Money rules: a line's amount is quantity × unit price rounded half-up to the cent; tax is computed
once per invoice on the subtotal (tax_rate_bp basis points, 2000 = 20 %), rounded half-up.

Status rules: draft → sent → paid. A draft or sent invoice can be voided; a paid invoice cannot
(money was received: record a refund instead), and void is final. Only "sent" invoices are unpaid:
a draft has not been issued, so nobody owes it yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from sqlalchemy import Integer, cast, func, select, text
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models.studio import Booking, Client, Invoice, InvoiceLine
from app.services.validation import FormError

TRANSITIONS = {"draft": {"sent", "void"}, "sent": {"paid", "void"}, "paid": set(), "void": set()}
NUMBER_PREFIX = "INV-"
PAYMENT_TERMS = timedelta(days=30)
# Any constant works: the lock only serialises number allocation inside this studio's database.
NUMBER_LOCK_KEY = 0x1A7C0


class InvoiceError(FormError):
    """An invoice refused; `errors` maps fields (client_id, tax_rate, lines, lines-N-description…) to messages."""


@dataclass(frozen=True)
class LineInput:
    description: str
    quantity: Decimal
    unit_price_cents: int
    booking_id: int | None = None


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


def parse_tax_rate(value) -> int:
    """'20' or '5.5' percent -> basis points (2000, 550); ValueError outside 0–100 or past 2 decimals."""
    rate = Decimal(str(value).strip().rstrip("%").strip().replace(",", ".") or "0")
    basis_points = rate * 100
    if not rate.is_finite() or basis_points != basis_points.to_integral_value() or not 0 <= rate <= 100:
        raise ValueError(f"not a tax rate: {value!r}")
    return int(basis_points)


def next_number(db: Session) -> str:
    """The next INV-NNNN; holds a transaction-scoped lock so concurrent invoices never share a number."""
    db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NUMBER_LOCK_KEY})
    highest = db.scalar(
        select(func.max(cast(func.substr(Invoice.number, len(NUMBER_PREFIX) + 1), Integer)))
        .where(Invoice.number.regexp_match(f"^{NUMBER_PREFIX}[0-9]+$"))
    )
    return f"{NUMBER_PREFIX}{(int(highest or 0) + 1):04d}"


def invoice_problems(db: Session, *, client_id: int | None, lines: list[LineInput], tax_rate_bp: int = 0,
                     notes: str | None = None) -> dict[str, str]:
    """What create_invoice would refuse, as field → message ({} when acceptable)."""
    errors: dict[str, str] = {}
    client = db.get(Client, client_id) if client_id is not None else None
    if client is None:
        errors["client_id"] = "Choose a client."
    if not 0 <= tax_rate_bp <= 10000:
        errors["tax_rate"] = "Use a tax rate between 0 and 100 %."
    if not lines:
        errors["lines"] = "Add at least one line."
    for index, line in enumerate(lines):
        description = (line.description or "").strip()
        if not description:
            errors[f"lines-{index}-description"] = "Describe the line."
        elif len(description) > 200:
            errors[f"lines-{index}-description"] = "Use at most 200 characters."
        if line.quantity is None or line.quantity <= 0:
            errors[f"lines-{index}-quantity"] = "Enter a quantity above 0."
        if line.unit_price_cents is None or line.unit_price_cents < 0:
            errors[f"lines-{index}-unit_price"] = "Enter a price of 0 or more."
        if line.booking_id is not None:
            booking = db.get(Booking, line.booking_id)
            if booking is None or (client is not None and booking.client_id != client.id):
                errors[f"lines-{index}-booking_id"] = "Choose one of this client's sessions."
    if notes is not None and len(notes.strip()) > 5000:
        errors["notes"] = "Use at most 5000 characters."
    return errors


def create_invoice(db: Session, *, client_id: int, lines: list[LineInput], tax_rate_bp: int = 0,
                   due_on: date | None = None, notes: str | None = None) -> Invoice:
    """A draft invoice with computed totals and the next number. Flushes; the caller commits."""
    errors = invoice_problems(db, client_id=client_id, lines=lines, tax_rate_bp=tax_rate_bp, notes=notes)
    if errors:
        raise InvoiceError(errors)
    notes = (notes or "").strip() or None

    totals = compute_totals([(line.quantity, line.unit_price_cents) for line in lines], tax_rate_bp)
    invoice = Invoice(
        number=next_number(db), client_id=client_id, status="draft", due_on=due_on, notes=notes,
        tax_rate_bp=tax_rate_bp, subtotal_cents=totals.subtotal_cents, tax_cents=totals.tax_cents,
        total_cents=totals.total_cents,
        lines=[
            InvoiceLine(description=line.description.strip(), quantity=line.quantity,
                        unit_price_cents=line.unit_price_cents, amount_cents=amount, booking_id=line.booking_id)
            for line, amount in zip(lines, totals.line_amounts)
        ],
    )
    db.add(invoice)
    db.flush()
    return invoice


def set_status(db: Session, invoice: Invoice, status: str, *, today: date | None = None) -> Invoice:
    """Move along draft → sent → paid, or to void; InvoiceError on any other move."""
    if status not in TRANSITIONS.get(invoice.status, set()):
        raise InvoiceError({"status": f"A {invoice.status} invoice can't be marked {status}."})
    if status == "sent":
        invoice.issued_on = invoice.issued_on or today or date.today()
        invoice.due_on = invoice.due_on or invoice.issued_on + PAYMENT_TERMS
    invoice.status = status
    db.flush()
    return invoice


def _listing(query):
    return query.options(joinedload(Invoice.client)).order_by(Invoice.id.desc())


def list_invoices(db: Session, *, status: str | None = None, client_id: int | None = None) -> list[Invoice]:
    query = select(Invoice)
    if status:
        query = query.where(Invoice.status == status)
    if client_id is not None:
        query = query.where(Invoice.client_id == client_id)
    return list(db.scalars(_listing(query)))


def unpaid_invoices(db: Session) -> list[Invoice]:
    """Invoices issued and not yet paid (status "sent"), oldest due date first. Drafts are not owed."""
    query = select(Invoice).options(joinedload(Invoice.client)).where(Invoice.status == "sent")
    return list(db.scalars(query.order_by(Invoice.due_on.asc().nulls_last(), Invoice.id)))


def client_invoices(db: Session, client_id: int) -> list[Invoice]:
    """What a client sees in the portal: their issued invoices (sent, paid, void), never drafts."""
    query = select(Invoice).where(Invoice.client_id == client_id, Invoice.status != "draft")
    return list(db.scalars(_listing(query)))


def get_invoice(db: Session, invoice_id: int) -> Invoice | None:
    return db.scalar(
        select(Invoice).where(Invoice.id == invoice_id)
        .options(joinedload(Invoice.client), selectinload(Invoice.lines).joinedload(InvoiceLine.booking))
    )
