"""A studio's staff accounts; only an owner manages them, and a studio always keeps an active owner."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.studio import StaffAccount
from app.security.passwords import hash_password, password_problem
from app.services.validation import FormError, flush_unique, email_value, text_value

ROLES = {"staff": "Staff", "owner": "Owner"}


class AccountError(FormError):
    """An account change refused; `errors` maps field (name, email, password, role, or form) to message."""


def list_accounts(db: Session) -> list[StaffAccount]:
    """Active accounts first, then by name."""
    return list(db.scalars(select(StaffAccount).order_by(StaffAccount.is_active.desc(), func.lower(StaffAccount.name))))


def active_owner_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(StaffAccount)
                     .where(StaffAccount.role == "owner", StaffAccount.is_active.is_(True)))


def active_account_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(StaffAccount).where(StaffAccount.is_active.is_(True)))


def seat_problem(db: Session, max_active: int | None) -> str | None:
    """Why one more active account would exceed the plan's `max_active`; None when it fits."""
    if max_active is not None and active_account_count(db) >= max_active:
        return (f"Your plan allows {max_active} active staff accounts. "
                "Deactivate one, or move the studio to a larger plan.")
    return None


def add_account(db: Session, *, name: str, email: str, password: str, role: str = "staff",
                max_active: int | None = None) -> StaffAccount:
    errors: dict[str, str] = {}
    seats = seat_problem(db, max_active)
    if seats:
        errors["form"] = seats
    name = text_value(name, errors, "name", "their name", max_length=120, required=True)
    email = email_value(email, errors, required=True)
    problem = password_problem(password or "")
    if problem:
        errors["password"] = problem
    if role not in ROLES:
        errors["role"] = "Choose owner or staff."
    if email and "email" not in errors and db.scalar(select(StaffAccount.id).where(StaffAccount.email == email)):
        errors["email"] = "A staff account with this email already exists."
    if errors:
        raise AccountError(errors)
    account = StaffAccount(name=name, email=email, password_hash=hash_password(password), role=role, is_active=True)
    db.add(account)
    flush_unique(db, AccountError({"email": "A staff account with this email already exists."}))
    return account


def deactivate_account(db: Session, *, actor: StaffAccount, account_id: int) -> StaffAccount:
    """Deactivate an account (their next request is signed out); never oneself, never the last owner."""
    account = db.get(StaffAccount, account_id)
    if account is None:
        raise AccountError({"form": "There is no such staff account."})
    if account.id == actor.id:
        raise AccountError({"form": "You can't deactivate your own account."})
    if account.role == "owner" and account.is_active:
        # Lock the owners' rows so two owners deactivating each other can't both succeed.
        db.scalars(select(StaffAccount.id).where(StaffAccount.role == "owner").with_for_update()).all()
        if active_owner_count(db) <= 1:
            raise AccountError({"form": "The studio must keep at least one active owner."})
    account.is_active = False
    db.flush()
    return account


def reactivate_account(db: Session, account_id: int, *, max_active: int | None = None) -> StaffAccount:
    account = db.get(StaffAccount, account_id)
    if account is None:
        raise AccountError({"form": "There is no such staff account."})
    if not account.is_active and (seats := seat_problem(db, max_active)):
        raise AccountError({"form": seats})
    account.is_active = True
    db.flush()
    return account
