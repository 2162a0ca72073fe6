"""The operator's changes to a studio's plan and trial, and the monthly AI credit grant.

Each takes the master database Session and `now`, and commits; the `flask plans` commands call them,
and so would a payment provider's webhooks (see `payments`). A studio's organization row holds what
the requests read (plan, status, trial end); its latest subscription row records the same for billing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.models.master import (
    AiCreditEntry,
    Organization,
    OrganizationStatus,
    Plan,
    Subscription,
    SubscriptionStatus,
)
from app.plans.payments import PaymentProvider

TRIAL_PLAN = "trial"


class PlanError(ValueError):
    """A change the operator asked for that cannot be made; the message says why."""


def find_studio(db: Session, subdomain: str) -> Organization:
    studio = db.scalar(select(Organization).where(Organization.subdomain == subdomain))
    if studio is None:
        raise PlanError(f"no studio with subdomain {subdomain!r}")
    return studio


def find_plan(db: Session, code: str) -> Plan:
    plan = db.scalar(select(Plan).where(Plan.code == code))
    if plan is None:
        known = ", ".join(db.scalars(select(Plan.code).order_by(Plan.monthly_price_cents)))
        raise PlanError(f"no plan {code!r}; the plans are: {known}")
    return plan


def _subscription(db: Session, studio: Organization) -> Subscription:
    latest = db.scalar(
        select(Subscription).where(Subscription.organization_id == studio.id).order_by(Subscription.id.desc())
    )
    if latest is None:
        latest = Subscription(
            organization_id=studio.id, plan_id=studio.plan_id, status=SubscriptionStatus.TRIALING
        )
        db.add(latest)
    return latest


def set_plan(db: Session, subdomain: str, code: str, provider: PaymentProvider | None = None) -> Organization:
    """Move a studio to a paid plan: it is active (writable) again, its trial over."""
    studio = find_studio(db, subdomain)
    plan = find_plan(db, code)
    if plan.code == TRIAL_PLAN:
        raise PlanError(f"{TRIAL_PLAN!r} is not a plan to move to; give more trial time with extend-trial")
    studio.plan_id = plan.id
    studio.trial_ends_at = None
    # A suspension is the operator's separate decision (`flask tenants activate`).
    if studio.status != OrganizationStatus.SUSPENDED:
        studio.status = OrganizationStatus.ACTIVE
    subscription = _subscription(db, studio)
    subscription.plan_id, subscription.status, subscription.trial_ends_at = (
        plan.id,
        SubscriptionStatus.ACTIVE,
        None,
    )
    if provider is not None:
        provider.plan_changed(studio, plan)
    db.commit()
    return studio


def _on_trial(db: Session, subdomain: str) -> Organization:
    studio = find_studio(db, subdomain)
    if studio.status != OrganizationStatus.TRIAL:
        plan = db.get(Plan, studio.plan_id)
        raise PlanError(f"{subdomain} is not on a trial (status {studio.status}, plan {plan.code})")
    return studio


def _move_trial_end(
    db: Session, studio: Organization, ends_at: datetime, provider: PaymentProvider | None
) -> Organization:
    studio.trial_ends_at = ends_at
    _subscription(db, studio).trial_ends_at = ends_at
    if provider is not None:
        provider.trial_changed(studio, ends_at)
    db.commit()
    return studio


def extend_trial(
    db: Session, subdomain: str, days: int, now: datetime, provider: PaymentProvider | None = None
) -> Organization:
    """Give a trial `days` more, counted from its end, or from now when it has ended (read-only lifts)."""
    studio = _on_trial(db, subdomain)
    start = max(studio.trial_ends_at or now, now)
    return _move_trial_end(db, studio, start + timedelta(days=days), provider)


def end_trial(
    db: Session, subdomain: str, now: datetime, provider: PaymentProvider | None = None
) -> Organization:
    """End a trial now: the studio becomes read-only."""
    return _move_trial_end(db, _on_trial(db, subdomain), now, provider)


def month_of(now: datetime) -> date:
    return now.date().replace(day=1)


def grant_monthly_credits(db: Session, now: datetime) -> dict[str, int]:
    """Grant each active (paying) studio its plan's monthly AI credits for `now`'s month (UTC), once:
    the ledger's unique (studio, month) makes a second run, or two at once, grant nothing more.

    Trial studios have their trial grant instead; suspended ones get nothing. Returns the credits
    granted by this run, by subdomain.
    """
    month = month_of(now)
    granted = db.execute(
        insert(AiCreditEntry)
        .from_select(
            ["organization_id", "delta", "reason", "grant_month"],
            select(
                Organization.id,
                Plan.monthly_ai_credits,
                literal(f"monthly grant {month:%Y-%m}"),
                literal(month),
            )
            .join(Plan, Plan.id == Organization.plan_id)
            .where(Organization.status == OrganizationStatus.ACTIVE, Plan.monthly_ai_credits > 0),
        )
        .on_conflict_do_nothing(constraint="ai_credit_entries_one_grant_per_month")
        .returning(AiCreditEntry.organization_id, AiCreditEntry.delta)
    ).all()
    db.commit()
    names = dict(
        db.execute(
            select(Organization.id, Organization.subdomain).where(
                Organization.id.in_([row.organization_id for row in granted])
            )
        ).all()
    )
    return {names[row.organization_id]: row.delta for row in granted}


def credit_balance(db: Session, studio: Organization) -> int:
    return db.scalar(
        select(func.coalesce(func.sum(AiCreditEntry.delta), 0)).where(
            AiCreditEntry.organization_id == studio.id
        )
    )
