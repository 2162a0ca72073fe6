"""Reading the audit log (app.audit writes it): the owner's page, newest first, by entity."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app.i18n import N_
from app.models.studio import AuditEntry

# How the page names each audited table and action (app.audit writes the keys).
ENTITY_LABELS = {
    "bookings": N_("Session"),
    "clients": N_("Client"),
    "equipment": N_("Equipment"),
    "invoice_lines": N_("Invoice line"),
    "invoices": N_("Invoice"),
    "payments": N_("Payment"),
    "rooms": N_("Room"),
    "staff_accounts": N_("Staff account"),
    "studio_profile": N_("Studio settings"),
}
ACTION_LABELS = {
    "archive": N_("archived"),
    "cancel": N_("cancelled"),
    "create": N_("created"),
    "delete": N_("deleted"),
    "enrol_2fa": N_("two-step sign-in turned on"),
    "disable_2fa": N_("two-step sign-in turned off"),
    "erase": N_("personal data erased"),
    "issue": N_("issued"),
    "paid": N_("paid"),
    "payment": N_("payment recorded"),
    "recovery_code": N_("recovery code used"),
    "restore": N_("brought back"),
    "update": N_("changed"),
    "void": N_("voided"),
}


def audit_entries(
    db: Session, entity: str | None = None, *, page: int = 1, per_page: int = 50
) -> tuple[list[AuditEntry], int]:
    """One page of entries (of one entity's table when given), newest first, and the total count."""
    page, per_page = max(1, page), min(max(1, per_page), 200)
    condition = AuditEntry.entity == entity if entity else True
    total = db.scalar(select(func.count()).select_from(AuditEntry).where(condition))
    rows = db.scalars(
        select(AuditEntry)
        .options(joinedload(AuditEntry.staff))
        .where(condition)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), total


def audited_entities(db: Session) -> list[str]:
    """The entities the log has entries about, for its filter."""
    return list(db.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))
