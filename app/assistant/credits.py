"""AI credits: the organization's ledger in the master database.

Cost: one credit per answered chat message, however many model calls and tools it took. A flat
price is predictable for studios and cheap to enforce: the credit is reserved before the model is
called, under a lock on the organization's row, so concurrent chats cannot spend the last credit
twice; a chat that ends without an answer gives its credit back.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from app.assistant.errors import AssistantError
from app.extensions import master_db
from app.models.master import AiCreditEntry, Organization

COST_PER_CHAT = 1


def _balance(db, organization_id: uuid.UUID) -> int:
    return db.scalar(
        select(func.coalesce(func.sum(AiCreditEntry.delta), 0)).where(
            AiCreditEntry.organization_id == organization_id
        )
    )


def reserve(organization_id: uuid.UUID) -> int:
    """Debit one chat's cost and return the balance left; 402 AssistantError when nothing is left.

    Uses the request's master database Session and commits, which also hands its pooled connection back
    before the (slow) model call.
    """
    db = master_db.session
    db.commit()
    try:
        db.execute(select(Organization.id).where(Organization.id == organization_id).with_for_update())
        balance = _balance(db, organization_id)
        if balance < COST_PER_CHAT:
            raise AssistantError(
                402,
                "ai_credits_exhausted",
                "This studio has used all its AI credits. The owner can add credits or upgrade the plan.",
            )
        db.add(AiCreditEntry(organization_id=organization_id, delta=-COST_PER_CHAT, reason="assistant chat"))
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return balance - COST_PER_CHAT


def refund(organization_id: uuid.UUID, reason: str) -> None:
    db = master_db.session
    db.add(AiCreditEntry(organization_id=organization_id, delta=COST_PER_CHAT, reason=reason[:200]))
    db.commit()
