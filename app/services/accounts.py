"""A studio's staff accounts; only an owner manages them, and a studio always keeps an active owner."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from app.i18n import N_
from app.inputs import Field, FormError, Input, choice, email_address, flush_unique, new_password, text
from app.models.studio import AccountRole, StaffAccount
from app.security.passwords import hash_password

EMAIL_TAKEN = "A staff account with this email already exists."
# Any constant works: the lock only serialises seat counting inside this studio's database.
SEATS_LOCK_KEY = 0x5EA75


class AccountInput(Input):
    name = Field("Name", text(120), required=N_("Enter their name."), attrs='maxlength="120"')
    email = Field(
        "Email",
        email_address,
        required=N_("Enter an email address."),
        widget="email",
        attrs='maxlength="254"',
    )
    password = Field(
        "First password",
        new_password,
        required=N_("Use at least 10 characters."),
        widget="password",
        hint=N_("At least 10 characters; give it to them to sign in."),
        attrs='minlength="10" autocomplete="new-password"',
    )
    role = Field(
        "Role",
        choice(AccountRole, "Choose owner or staff."),
        empty=AccountRole.STAFF,
        widget="select",
        choices=AccountRole,
        hint=N_("Owners also manage staff accounts."),
    )

    def check(self, db: Session, errors: dict[str, str]) -> None:
        if "email" not in errors and db.scalar(
            select(StaffAccount.id).where(StaffAccount.email == self.email)
        ):
            errors["email"] = EMAIL_TAKEN


def list_accounts(db: Session) -> list[StaffAccount]:
    """Active accounts first, then by name."""
    return list(
        db.scalars(
            select(StaffAccount).order_by(StaffAccount.is_active.desc(), func.lower(StaffAccount.name))
        )
    )


def active_owner_count(db: Session) -> int:
    return db.scalar(
        select(func.count())
        .select_from(StaffAccount)
        .where(StaffAccount.role == AccountRole.OWNER, StaffAccount.is_active.is_(True))
    )


def active_account_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(StaffAccount).where(StaffAccount.is_active.is_(True)))


def seat_problem(db: Session, max_active: int | None) -> str | None:
    """Why one more active account would exceed the plan's `max_active`; None when it fits.

    Takes the seats lock first (held to the end of the transaction), so concurrent requests count
    and add one after the other: six at once cannot all see the same free seat.
    """
    if max_active is None:
        return None
    db.execute(sql("SELECT pg_advisory_xact_lock(:key)"), {"key": SEATS_LOCK_KEY})
    if active_account_count(db) >= max_active:
        return (
            f"Your plan allows {max_active} active staff accounts. "
            "Deactivate one, or move the studio to a larger plan."
        )
    return None


def add_account(db: Session, data: Mapping[str, Any], *, max_active: int | None = None) -> StaffAccount:
    """A new active account from `data` (read by AccountInput), within the plan's `max_active`.

    The password is hashed before the seats lock is taken, so the lock is held for milliseconds.
    """
    errors, password_hash = {}, None
    try:
        wanted = AccountInput.parse(data, db)
        password_hash = hash_password(wanted.password)
    except FormError as exc:
        errors.update(exc.errors)
    if seats := seat_problem(db, max_active):
        errors["form"] = seats
    if errors:
        raise FormError(errors)
    account = StaffAccount(
        name=wanted.name,
        email=wanted.email,
        password_hash=password_hash,
        role=wanted.role,
        is_active=True,
    )
    db.add(account)
    flush_unique(db, FormError({"email": EMAIL_TAKEN}))
    return account


def deactivate_account(db: Session, *, actor: StaffAccount, account_id: int) -> StaffAccount:
    """Deactivate an account (their next request is signed out); never oneself, never the last owner."""
    account = db.get(StaffAccount, account_id)
    if account is None:
        raise FormError({"form": "There is no such staff account."})
    if account.id == actor.id:
        raise FormError({"form": "You can't deactivate your own account."})
    if account.role == AccountRole.OWNER and account.is_active:
        # Lock the owners' rows so two owners deactivating each other can't both succeed.
        db.scalars(
            select(StaffAccount.id).where(StaffAccount.role == AccountRole.OWNER).with_for_update()
        ).all()
        if active_owner_count(db) <= 1:
            raise FormError({"form": "The studio must keep at least one active owner."})
    account.is_active = False
    db.flush()
    return account


def reactivate_account(db: Session, account_id: int, *, max_active: int | None = None) -> StaffAccount:
    account = db.get(StaffAccount, account_id)
    if account is None:
        raise FormError({"form": "There is no such staff account."})
    if not account.is_active and (seats := seat_problem(db, max_active)):
        raise FormError({"form": seats})
    account.is_active = True
    db.flush()
    return account
