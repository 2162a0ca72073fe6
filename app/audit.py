"""The audit log's one writer: a hook on every request's studio Session (`watch`), not a call in each
service, so a change made by a new service, a page or the assistant's tools is recorded all the same.

It writes one audit entry per row a transaction inserted, updated or deleted, when it commits (a
service may flush one row twice: an invoice, then its totals once its lines exist): the staff member
signed in (`session.info["staff_id"]`, set when the request's staff member is resolved), the table
and id, an action named from what changed, and the changed fields before and after. Secret columns
appear only as whether they are set. A client's erasure names the fields it cleared, never what
they held, and `scrub` clears those values from the entries written before it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from app.models.studio import (
    AuditEntry,
    Booking,
    BookingStatus,
    Client,
    Invoice,
    InvoiceStatus,
    Payment,
    StaffAccount,
)

SECRET_COLUMNS = frozenset({"password_hash", "totp_secret", "recovery_code_hashes"})
SET = "(set)"
ERASED = "(erased)"

# A status an update moves a row to, and the action that names it.
STATUS_ACTIONS = {
    (Invoice, InvoiceStatus.SENT): "issue",
    (Invoice, InvoiceStatus.PAID): "paid",
    (Invoice, InvoiceStatus.VOID): "void",
    (Booking, BookingStatus.CANCELLED): "cancel",
}


def watch(session: Session) -> Session:
    event.listen(session, "after_flush", _collect)
    event.listen(session, "before_commit", _write)
    event.listen(session, "after_soft_rollback", _forget)
    return session


def _shown(column: str, value: Any) -> Any:
    """A value as JSON holds it; a secret only as whether it is set."""
    if column in SECRET_COLUMNS:
        return SET if value is not None else None
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(row) -> list[str]:
    return [attr.key for attr in inspect(row).mapper.column_attrs]


def _values(row) -> dict:
    """A created or deleted row's fields that hold something."""
    values = {key: getattr(row, key) for key in _columns(row)}
    return {key: _shown(key, value) for key, value in values.items() if value is not None}


def _changes(row) -> tuple[dict, dict]:
    state = inspect(row)
    before, after = {}, {}
    for key in _columns(row):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old != new:
            before[key], after[key] = _shown(key, old), _shown(key, new)
    return before, after


def _update_action(row, after: dict) -> str:
    if isinstance(row, Client) and after.get("erased_at"):
        return "erase"
    if isinstance(row, StaffAccount) and "totp_secret" in after:
        return "enrol_2fa" if after["totp_secret"] else "disable_2fa"
    if isinstance(row, StaffAccount) and "recovery_code_hashes" in after:
        return "recovery_code"
    if "archived_at" in after:
        return "archive" if after["archived_at"] else "restore"
    if "status" in after:
        return STATUS_ACTIONS.get((type(row), row.status), "update")
    return "update"


def _erased(values: dict) -> dict:
    return {key: ERASED if key in Client.PERSONAL_FIELDS else value for key, value in values.items()}


def scrub(session: Session, client: Client) -> None:
    """Clear an erased client's personal values from the entries already written about them."""
    for entry in session.scalars(
        select(AuditEntry).where(AuditEntry.entity == Client.__tablename__, AuditEntry.entity_id == client.id)
    ):
        entry.before, entry.after = _erased(entry.before), _erased(entry.after)


def _merge(pending: dict, row, action: str, before: dict, after: dict) -> None:
    """Fold this flush's change of a row into what the transaction already did to it: the first
    value before, the last after, a named action over "update", a creation stays one."""
    key = (row.__tablename__, row.id)
    if key not in pending:
        pending[key] = dict(action=action, before=before, after=after)
        return
    known = pending[key]
    if known["action"] != "create":
        known["before"] = {**before, **known["before"]}
        if action != "update":
            known["action"] = action
    known["after"].update(after)
    if known["action"] == "erase":
        known["before"] = _erased(known["before"])
    for field in [f for f in known["before"] if known["before"][f] == known["after"].get(f)]:
        del known["before"][field], known["after"][field]


def _collect(session: Session, _context) -> None:
    pending = session.info.setdefault("audit_pending", {})
    for row in session.new:
        if not isinstance(row, AuditEntry):
            _merge(pending, row, "payment" if isinstance(row, Payment) else "create", {}, _values(row))
    for row in session.dirty:
        if isinstance(row, AuditEntry) or not session.is_modified(row, include_collections=False):
            continue
        before, after = _changes(row)
        if after:
            action = _update_action(row, after)
            if action == "erase":
                # What they held is gone; what replaced it (a placeholder name, nothing) is kept.
                before = _erased(before)
            _merge(pending, row, action, before, after)
    for row in session.deleted:
        _merge(pending, row, "delete", _values(row), {})


def _write(session: Session) -> None:
    session.flush()
    pending = session.info.pop("audit_pending", {})
    entries = [
        dict(staff_id=session.info.get("staff_id"), entity=entity, entity_id=entity_id, **change)
        for (entity, entity_id), change in pending.items()
        if change["before"] or change["after"]
    ]
    if entries:
        session.connection().execute(insert(AuditEntry), entries)


def _forget(session: Session, transaction) -> None:
    """Changes rolled back were never made. A savepoint's refused flush never reached `_collect`, so
    only the whole transaction's rollback forgets."""
    if transaction.parent is None:
        session.info.pop("audit_pending", None)
