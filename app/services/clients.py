"""A studio's clients: search, create, edit, and portal access."""

from __future__ import annotations

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from app.models.studio import Client
from app.security.passwords import hash_password, password_problem
from app.services.validation import FormError, flush_unique, email_value, text_value


class ClientError(FormError):
    """A client's details refused; `errors` maps field (name, email, phone, notes, password) to message."""


def _like(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_clients(db: Session, query: str = "", *, page: int = 1, per_page: int = 20) -> tuple[list[Client], int]:
    """Clients whose name or email contains `query` (any case), by name; one page and the total count."""
    page, per_page = max(1, int(page)), min(max(1, int(per_page)), 100)
    condition = true()
    query = (query or "").strip()
    if query:
        pattern = _like(query)
        condition = or_(Client.name.ilike(pattern, escape="\\"), Client.email.ilike(pattern, escape="\\"))
    total = db.scalar(select(func.count()).select_from(Client).where(condition))
    rows = db.scalars(
        select(Client).where(condition).order_by(func.lower(Client.name), Client.id)
        .offset((page - 1) * per_page).limit(per_page)
    )
    return list(rows), total


def count_clients(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Client))


def all_clients(db: Session) -> list[Client]:
    """Every client by name, for pickers."""
    return list(db.scalars(select(Client).order_by(func.lower(Client.name), Client.id)))


def _clean(db: Session, values: dict, client_id: int | None) -> dict:
    errors: dict[str, str] = {}
    cleaned = {
        "name": text_value(values.get("name"), errors, "name", "the client's name", max_length=120, required=True),
        "email": email_value(values.get("email"), errors),
        "phone": text_value(values.get("phone"), errors, "phone", "a phone number", max_length=40),
        "notes": text_value(values.get("notes"), errors, "notes", "notes", max_length=5000),
    }
    if cleaned["email"] and "email" not in errors:
        other = db.scalar(select(Client.id).where(Client.email == cleaned["email"]))
        if other is not None and other != client_id:
            errors["email"] = "Another client already has this email."
    if errors:
        raise ClientError(errors)
    return cleaned


def create_client(db: Session, *, name: str, email: str | None = None, phone: str | None = None,
                  notes: str | None = None) -> Client:
    client = Client(**_clean(db, {"name": name, "email": email, "phone": phone, "notes": notes}, None))
    db.add(client)
    flush_unique(db, ClientError({"email": "Another client already has this email."}))
    return client


def update_client(db: Session, client: Client, *, name: str, email: str | None = None, phone: str | None = None,
                  notes: str | None = None) -> Client:
    cleaned = _clean(db, {"name": name, "email": email, "phone": phone, "notes": notes}, client.id)
    if cleaned["email"] is None and client.password_hash is not None:
        raise ClientError({"email": "This client signs in to the portal with their email; keep one."})
    for key, value in cleaned.items():
        setattr(client, key, value)
    flush_unique(db, ClientError({"email": "Another client already has this email."}))
    return client


def set_portal_password(db: Session, client: Client, password: str) -> Client:
    """Give the client portal access at /client/login with their email and this password."""
    if not client.email:
        raise ClientError({"password": "Add the client's email first: it is their portal sign-in."})
    problem = password_problem(password or "")
    if problem:
        raise ClientError({"password": problem})
    client.password_hash = hash_password(password)
    db.flush()
    return client


def revoke_portal_access(db: Session, client: Client) -> Client:
    client.password_hash = None
    db.flush()
    return client
