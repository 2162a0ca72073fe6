"""CSV exports of a studio's clients, bookings and invoices, for its owner's spreadsheet or accountant.

Times are the studio's wall times with their UTC offset, amounts decimal strings in the studio's
currency (named in a column), so a file reads the same in any spreadsheet. A cell that a spreadsheet
would run as a formula (=, +, -, @, tab, CR first) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models.studio import Booking, Client, Invoice
from app.services.studio_profile import studio_profile, studio_zone

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def amount(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2))


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


def clients_csv(db: Session) -> str:
    clients = db.scalars(select(Client).order_by(Client.name, Client.id))
    return to_csv(
        ["id", "name", "email", "phone", "notes", "portal_access", "created_at"],
        (
            [
                c.id,
                c.name,
                c.email,
                c.phone,
                c.notes,
                "yes" if c.password_hash else "no",
                c.created_at.isoformat(),
            ]
            for c in clients
        ),
    )


def bookings_csv(db: Session) -> str:
    zone = studio_zone(db)
    query = select(Booking).options(joinedload(Booking.room), joinedload(Booking.client))
    return to_csv(
        ["id", "room", "client", "starts_at", "ends_at", "status", "notes"],
        (
            [
                b.id,
                b.room.name,
                b.client.name,
                b.starts_at.astimezone(zone).isoformat(),
                b.ends_at.astimezone(zone).isoformat(),
                str(b.status),
                b.notes,
            ]
            for b in db.scalars(query.order_by(Booking.starts_at, Booking.id))
        ),
    )


def invoices_csv(db: Session) -> str:
    currency = studio_profile(db).currency
    query = select(Invoice).options(joinedload(Invoice.client), selectinload(Invoice.payments))
    return to_csv(
        [
            "id",
            "number",
            "client",
            "status",
            "issued_on",
            "due_on",
            "currency",
            "subtotal",
            "tax",
            "total",
            "paid",
            "balance",
        ],
        (
            [
                i.id,
                i.number,
                i.billed_to,
                str(i.status),
                i.issued_on,
                i.due_on,
                currency,
                amount(i.subtotal_cents),
                amount(i.tax_cents),
                amount(i.total_cents),
                amount(i.paid_cents),
                amount(i.balance_cents),
            ]
            for i in db.scalars(query.order_by(Invoice.id))
        ),
    )


# What the owner can download, by the name in its URL (/export/NAME.csv).
EXPORTS: dict[str, Callable[[Session], str]] = {
    "clients": clients_csv,
    "bookings": bookings_csv,
    "invoices": invoices_csv,
}
