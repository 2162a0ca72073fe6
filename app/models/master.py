"""The master database: who the studios are, what they pay for, and their AI credits."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint, Uuid, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.models.enums import LabelledEnum, enum_type


class MasterBase(DeclarativeBase):
    pass


class OrganizationStatus(LabelledEnum):
    TRIAL = "TRIAL", "Trial"
    ACTIVE = "ACTIVE", "Active"
    SUSPENDED = "SUSPENDED", "Suspended"


class SubscriptionStatus(LabelledEnum):
    TRIALING = "trialing", "Trialing"
    ACTIVE = "active", "Active"
    PAST_DUE = "past_due", "Past due"
    CANCELED = "canceled", "Canceled"


class Plan(MasterBase):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    monthly_price_cents: Mapped[int] = mapped_column(Integer)
    monthly_ai_credits: Mapped[int] = mapped_column(Integer)
    max_staff: Mapped[int] = mapped_column(Integer)


class Organization(MasterBase):
    """A studio, as the platform knows it: its subdomain, status, plan and database."""

    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(120))
    subdomain: Mapped[str] = mapped_column(String(30), unique=True)
    database_name: Mapped[str] = mapped_column(String(63), unique=True)
    # The server (a name of TENANT_DATABASE_SERVERS) holding the database; NULL: the home server.
    database_server: Mapped[str | None] = mapped_column(String(63))
    # Set while the database is copied to that server: the studio is read-only until the switch.
    moving_to: Mapped[str | None] = mapped_column(String(63))
    # Set at the switch, until the old copy on that server is dropped (a move's last step).
    moved_from: Mapped[str | None] = mapped_column(String(63))
    status: Mapped[OrganizationStatus] = mapped_column(
        enum_type(OrganizationStatus, constraint="organizations_status_valid", length=10),
        default=OrganizationStatus.TRIAL,
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    # When a trial studio becomes read-only. On this row (not only on its subscription) because
    # every request reads this row from the resolver's cache: deciding costs no query.
    trial_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    plan: Mapped[Plan] = relationship()

    @property
    def is_moving(self) -> bool:
        return self.moving_to is not None

    @property
    def is_suspended(self) -> bool:
        return self.status == OrganizationStatus.SUSPENDED

    def trial_ended(self, now: datetime | None = None) -> bool:
        """A trial past its end: the studio is read-only (it keeps all its data) until it has a plan."""
        return (
            self.status == OrganizationStatus.TRIAL
            and self.trial_ends_at is not None
            and self.trial_ends_at <= (now or datetime.now(UTC))
        )


class Subscription(MasterBase):
    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    status: Mapped[SubscriptionStatus] = mapped_column(
        enum_type(SubscriptionStatus, constraint="subscriptions_status_valid", length=10)
    )
    trial_ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    current_period_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AiCreditEntry(MasterBase):
    """One line of an organization's AI credit ledger; the balance is the sum of `delta`."""

    __tablename__ = "ai_credit_entries"
    # One monthly grant per studio and month, however often the grant runs (NULLs never collide).
    __table_args__ = (
        UniqueConstraint("organization_id", "grant_month", name="ai_credit_entries_one_grant_per_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    delta: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200))
    # The first day of the month a monthly grant is for; None on every other entry.
    grant_month: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
