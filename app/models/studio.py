"""One studio's database: its people, rooms, bookings, invoices and equipment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, ExcludeConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.i18n import N_
from app.models.enums import LabelledEnum, enum_type


class StudioBase(DeclarativeBase):
    pass


class AccountRole(LabelledEnum):
    STAFF = "staff", N_("Staff")
    OWNER = "owner", N_("Owner")


class BookingStatus(LabelledEnum):
    BOOKED = "booked", N_("Booked")
    CANCELLED = "cancelled", N_("Cancelled")


class InvoiceStatus(LabelledEnum):
    DRAFT = "draft", N_("Draft")
    SENT = "sent", N_("Sent")
    PAID = "paid", N_("Paid")
    VOID = "void", N_("Void")


class Language(LabelledEnum):
    ENGLISH = "en", "English"
    FRENCH = "fr", "Français"


class EquipmentStatus(LabelledEnum):
    AVAILABLE = "available", N_("Available")
    IN_USE = "in_use", N_("In use")
    MAINTENANCE = "maintenance", N_("In maintenance")
    OUT_OF_SERVICE = "out_of_service", N_("Out of service")


class StudioProfile(StudioBase):
    """The studio's own details and preferences, in one row (id 1, made by its migration): who it is
    on its invoices, and the time zone, currency and language of its pages, portal and assistant."""

    __tablename__ = "studio_profile"
    __table_args__ = (
        CheckConstraint("id = 1", name="studio_profile_single_row"),
        CheckConstraint(
            "default_tax_rate_bp >= 0 AND default_tax_rate_bp <= 10000", name="studio_profile_tax_rate_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # Blank: the studio's name as the platform knows it.
    legal_name: Mapped[str] = mapped_column(String(200), server_default="")
    address: Mapped[str] = mapped_column(Text, server_default="")
    tax_id: Mapped[str] = mapped_column(String(60), server_default="")
    # An IANA name; every instant is stored in UTC and shown, entered and reasoned about in this zone.
    time_zone: Mapped[str] = mapped_column(String(64), server_default="UTC")
    # ISO 4217 code of every amount the studio shows.
    currency: Mapped[str] = mapped_column(String(3), server_default="EUR")
    default_tax_rate_bp: Mapped[int] = mapped_column(Integer, server_default="0")
    language: Mapped[Language] = mapped_column(
        enum_type(Language, constraint="studio_profile_language_valid", length=5), server_default="en"
    )
    # Every owner signs in with a second factor; one without it is sent to enrol after the password.
    owners_need_totp: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class StaffAccount(StudioBase):
    """A staff member's sign-in to the studio's staff pages; owners also manage the accounts."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[AccountRole] = mapped_column(
        enum_type(AccountRole, constraint="staff_accounts_role_valid", length=10), default=AccountRole.STAFF
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The second factor (RFC 6238, base32) once enrolled, and the SHA-256 of its unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    recovery_code_hashes: Mapped[list[str] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Client(StudioBase):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(Text)
    # Set when the client has a portal account.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Set when archived: kept for the bookings and invoices that name them, left out of pickers and lists.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when their personal data was erased on request (PERSONAL_FIELDS cleared, portal closed).
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # What erasure clears, here and in the audit log's earlier entries about them.
    PERSONAL_FIELDS = ("name", "email", "phone", "notes")


class Room(StudioBase):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    hourly_rate_cents: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Booking(StudioBase):
    """A recording session: a room booked for a client between two instants."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="bookings_ends_after_start"),
        # The database itself refuses overlapping bookings of one room, whatever the app does.
        ExcludeConstraint(
            ("room_id", "="),
            (text("tstzrange(starts_at, ends_at)"), "&&"),
            name="bookings_no_overlap",
            using="gist",
            where=f"status <> '{BookingStatus.CANCELLED}'",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[BookingStatus] = mapped_column(
        enum_type(BookingStatus, constraint="bookings_status_valid", length=10), default=BookingStatus.BOOKED
    )
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    # Set when the day-before reminder is queued (app/services/reminders.py): once per booking.
    reminder_queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    room: Mapped[Room] = relationship()
    client: Mapped[Client] = relationship()


class Invoice(StudioBase):
    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("tax_rate_bp >= 0 AND tax_rate_bp <= 10000", name="invoices_tax_rate_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Given when the invoice is issued (sent), gapless under a lock; a draft has none.
    number: Mapped[str | None] = mapped_column(String(30), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    status: Mapped[InvoiceStatus] = mapped_column(
        enum_type(InvoiceStatus, constraint="invoices_status_valid", length=10), default=InvoiceStatus.DRAFT
    )
    issued_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    # Tax rate in basis points (2000 = 20 %); money in integer cents, computed by the app.
    tax_rate_bp: Mapped[int] = mapped_column(Integer, default=0)
    subtotal_cents: Mapped[int] = mapped_column(Integer, default=0)
    tax_cents: Mapped[int] = mapped_column(Integer, default=0)
    total_cents: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # The client's name as issued, copied when the invoice is sent: the invoice keeps it when the
    # client's personal data is erased. None on drafts (and on invoices sent before it existed).
    billed_name: Mapped[str | None] = mapped_column(String(120))

    client: Mapped[Client] = relationship()
    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="InvoiceLine.id"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="invoice", cascade="all, delete-orphan", order_by="Payment.id"
    )

    @property
    def reference(self) -> str:
        """What people call it: its number, or "Draft N" before it is issued."""
        return self.number or f"Draft {self.id}"

    @property
    def billed_to(self) -> str:
        """The name the invoice is made out to."""
        return self.billed_name or self.client.name

    @property
    def paid_cents(self) -> int:
        return sum(payment.amount_cents for payment in self.payments)

    @property
    def balance_cents(self) -> int:
        return self.total_cents - self.paid_cents


class Payment(StudioBase):
    """Money received against an invoice: a deposit, a part or the rest of it."""

    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="payments_amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    amount_cents: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    invoice: Mapped[Invoice] = relationship(back_populates="payments")


class InvoiceLine(StudioBase):
    __tablename__ = "invoice_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="invoice_lines_quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))

    invoice: Mapped[Invoice] = relationship(back_populates="lines")
    booking: Mapped[Booking | None] = relationship()


class Equipment(StudioBase):
    __tablename__ = "equipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(60))
    serial_number: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[EquipmentStatus] = mapped_column(
        enum_type(EquipmentStatus, constraint="equipment_status_valid", length=20),
        default=EquipmentStatus.AVAILABLE,
    )
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    # Set when archived (sold, lost, retired): kept in the records, left out of lists and counts.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    room: Mapped[Room | None] = relationship()


class AuditEntry(StudioBase):
    """One change to one row, written by app.audit for every flush of a request's studio Session:
    who (the signed-in staff member, none for the portal or the system), when (UTC), what, and the
    changed fields' values before and after (secrets only as whether they are set)."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    # The table's name (clients, invoices...) and the row's id.
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict] = mapped_column(JSONB, server_default="{}")
    after: Mapped[dict] = mapped_column(JSONB, server_default="{}")

    staff: Mapped[StaffAccount | None] = relationship()
