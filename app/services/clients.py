"""A studio's clients: search, create, edit, archive, erase, and portal access.

An archived client is kept (bookings and invoices name them) but left out of the pickers and of the
list unless asked for; a new booking or invoice for them is refused. An erased client (their
personal data cleared on request) is archived too, for good.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import limits
from app.audit import scrub
from app.i18n import N_
from app.inputs import Field, FormError, Input, email_address, flush_unique, text
from app.models.studio import Client, Invoice, InvoiceStatus

EMAIL_TAKEN = "Another client already has this email."


class ClientInput(Input):
    name = Field(
        "Name", text(120), required=N_("Enter the client's name."), attrs='maxlength="120" autofocus'
    )
    email = Field(
        "Email",
        email_address,
        widget="email",
        hint=N_("Also their sign-in for the client portal."),
        attrs='maxlength="254"',
    )
    phone = Field("Phone", text(40), widget="tel", attrs='maxlength="40"')
    notes = Field("Notes", text(5000), widget="textarea")

    def check(self, db: Session, errors: dict[str, str]) -> None:
        if self.email and "email" not in errors:
            other = db.scalar(select(Client.id).where(Client.email == self.email))
            if other is not None and (self.row is None or other != self.row.id):
                errors["email"] = EMAIL_TAKEN
        if self.email is None and self.row is not None and self.row.password_hash is not None:
            errors["email"] = "This client signs in to the portal with their email; keep one."


def _like(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_clients(
    db: Session, query: str = "", *, page: int = 1, per_page: int = 20, archived: bool = False
) -> tuple[list[Client], int]:
    """Clients (the archived ones with `archived`) whose name or email contains `query` (any case),
    by name; one page and the total count."""
    page, per_page = min(max(1, page), limits.MAX_PAGE), min(max(1, per_page), limits.MAX_PER_PAGE)
    condition = Client.archived_at.is_not(None) if archived else Client.archived_at.is_(None)
    query = (query or "").strip()
    if query:
        pattern = _like(query)
        condition = condition & or_(
            Client.name.ilike(pattern, escape="\\"), Client.email.ilike(pattern, escape="\\")
        )
    total = db.scalar(select(func.count()).select_from(Client).where(condition))
    rows = db.scalars(
        select(Client)
        .where(condition)
        .order_by(func.lower(Client.name), Client.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


def count_clients(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Client))


def all_clients(db: Session) -> list[Client]:
    """Every client not archived, by name, for pickers."""
    query = select(Client).where(Client.archived_at.is_(None))
    return list(db.scalars(query.order_by(func.lower(Client.name), Client.id)))


def count_archived(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Client).where(Client.archived_at.is_not(None)))


def set_archived(db: Session, client_id: int, archived: bool) -> Client:
    """Archive a client (or bring them back); archiving twice is harmless."""
    client = db.get(Client, client_id)
    if client is None:
        raise FormError({"form": f"There is no client #{client_id}."})
    if not archived and client.erased_at is not None:
        raise FormError({"form": N_("An erased client stays archived.")})
    if archived != (client.archived_at is not None):
        client.archived_at = datetime.now(UTC) if archived else None
    db.flush()
    return client


def create_client(db: Session, data: Mapping[str, Any]) -> Client:
    client = ClientInput.parse(data, db).apply(Client())
    db.add(client)
    flush_unique(db, FormError({"email": EMAIL_TAKEN}))
    return client


def update_client(db: Session, client: Client, data: Mapping[str, Any]) -> Client:
    ClientInput.parse(data, db, row=client).apply(client)
    flush_unique(db, FormError({"email": EMAIL_TAKEN}))
    return client


def portal_invitation_problem(client: Client) -> str | None:
    """Why `client` cannot be invited to the portal; None when they can."""
    if client.erased_at is not None:
        return "This client's personal data was erased."
    if not client.email:
        return "Add the client's email first: it is their portal sign-in."
    return None


def revoke_portal_access(db: Session, client: Client) -> Client:
    client.password_hash = None
    db.flush()
    return client


def erase_personal_data(db: Session, client_id: int, confirmation: Any) -> Client:
    """Clear a client's personal data on their request, once `confirmation` repeats their name.

    Their sessions and invoices stay (the studio's books need them); each issued invoice keeps the
    name it was made out to. Portal access ends, signed-in sessions with it. The audit log records
    the erasure without the values and forgets the ones it held.
    """
    client = db.get(Client, client_id)
    if client is None:
        raise FormError({"form": f"There is no client #{client_id}."})
    if client.erased_at is not None:
        raise FormError({"form": "This client's personal data is already erased."})
    if (confirmation or "").strip() != client.name:
        raise FormError({"confirmation": N_("Type the client's name exactly as shown to confirm.")})
    for invoice in db.scalars(
        select(Invoice).where(
            Invoice.client_id == client.id,
            Invoice.status != InvoiceStatus.DRAFT,
            Invoice.billed_name.is_(None),
        )
    ):
        invoice.billed_name = client.name
    now = datetime.now(UTC)
    client.name = f"Erased client #{client.id}"
    client.email = client.phone = client.notes = client.password_hash = None
    client.archived_at = client.archived_at or now
    client.erased_at = now
    scrub(db, client)
    db.flush()
    return client
