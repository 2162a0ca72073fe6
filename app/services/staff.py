"""Staff accounts of a studio; only an owner manages them, and a studio always keeps an active owner."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.tenant import StaffUser
from app.security.passwords import hash_password, password_problem
from app.services.validation import FormError, flush_unique, email_value, text_value

ROLES = {"staff": "Staff", "owner": "Owner"}


class StaffError(FormError):
    """A staff change refused; `errors` maps field (name, email, password, role, or form) to message."""


def list_staff(db: Session) -> list[StaffUser]:
    """Active accounts first, then by name."""
    return list(db.scalars(select(StaffUser).order_by(StaffUser.is_active.desc(), func.lower(StaffUser.name))))


def active_owner_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(StaffUser)
                     .where(StaffUser.role == "owner", StaffUser.is_active.is_(True)))


def active_staff_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(StaffUser).where(StaffUser.is_active.is_(True)))


def seat_problem(db: Session, max_active: int | None) -> str | None:
    """Why one more active account would exceed the plan's `max_active`; None when it fits."""
    if max_active is not None and active_staff_count(db) >= max_active:
        return (f"Your plan allows {max_active} active staff accounts. "
                "Deactivate one, or move the studio to a larger plan.")
    return None


def add_staff(db: Session, *, name: str, email: str, password: str, role: str = "staff",
              max_active: int | None = None) -> StaffUser:
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
    if email and "email" not in errors and db.scalar(select(StaffUser.id).where(StaffUser.email == email)):
        errors["email"] = "A staff account with this email already exists."
    if errors:
        raise StaffError(errors)
    staff = StaffUser(name=name, email=email, password_hash=hash_password(password), role=role, is_active=True)
    db.add(staff)
    flush_unique(db, StaffError({"email": "A staff account with this email already exists."}))
    return staff


def deactivate_staff(db: Session, *, actor: StaffUser, staff_id: int) -> StaffUser:
    """Deactivate an account (their next request is signed out); never oneself, never the last owner."""
    staff = db.get(StaffUser, staff_id)
    if staff is None:
        raise StaffError({"form": "There is no such staff account."})
    if staff.id == actor.id:
        raise StaffError({"form": "You can't deactivate your own account."})
    if staff.role == "owner" and staff.is_active:
        # Lock the owners' rows so two owners deactivating each other can't both succeed.
        db.scalars(select(StaffUser.id).where(StaffUser.role == "owner").with_for_update()).all()
        if active_owner_count(db) <= 1:
            raise StaffError({"form": "The studio must keep at least one active owner."})
    staff.is_active = False
    db.flush()
    return staff


def reactivate_staff(db: Session, staff_id: int, *, max_active: int | None = None) -> StaffUser:
    staff = db.get(StaffUser, staff_id)
    if staff is None:
        raise StaffError({"form": "There is no such staff account."})
    if not staff.is_active and (seats := seat_problem(db, max_active)):
        raise StaffError({"form": seats})
    staff.is_active = True
    db.flush()
    return staff
