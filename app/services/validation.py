"""Input checks shared by the services: a refused input raises FormError with one message per field."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MONEY = re.compile(r"\d{1,7}(?:[.,]\d{1,2})?")


class FormError(ValueError):
    """Input refused before it reached the database; `errors` maps a form field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


def flush_unique(db: Session, error: FormError) -> None:
    """Flush in a savepoint; a unique index refusing it (a concurrent save won) raises `error`.

    The savepoint keeps the caller's transaction usable after the refusal.
    """
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        raise error from None


def text_value(value, errors: dict, field: str, label: str, *, max_length: int, required: bool = False) -> str | None:
    """Stripped text or None when blank; records an error when missing or too long."""
    value = (value or "").strip()
    if not value:
        if required:
            errors[field] = f"Enter {label}."
        return None
    if len(value) > max_length:
        errors[field] = f"Use at most {max_length} characters."
    return value


def email_value(value, errors: dict, field: str = "email", *, required: bool = False) -> str | None:
    value = (value or "").strip().lower()
    if not value:
        if required:
            errors[field] = "Enter an email address."
        return None
    if len(value) > 254 or not EMAIL.fullmatch(value):
        errors[field] = "Enter an email address such as name@example.com."
    return value


def parse_money(value) -> int:
    """'12.50', '12,5' or 12.5 -> 1250 cents; ValueError on anything else (negative, 3 decimals, text)."""
    if isinstance(value, int):
        if value < 0:
            raise ValueError("negative amount")
        return value * 100
    text = str(value).strip().replace(" ", "")
    if not _MONEY.fullmatch(text):
        raise ValueError(f"not an amount: {value!r}")
    return int(Decimal(text.replace(",", ".")) * 100)


def money_value(value, errors: dict, field: str, *, required: bool = True) -> int | None:
    if value is None or str(value).strip() == "":
        if required:
            errors[field] = "Enter an amount, e.g. 45.00."
        return None
    try:
        return parse_money(value)
    except ValueError:
        errors[field] = "Enter an amount such as 45 or 45.50 (at most 2 decimals)."
        return None


def quantity_value(value, errors: dict, field: str) -> Decimal | None:
    """A positive quantity with at most 2 decimals (the column is NUMERIC(10, 2))."""
    try:
        quantity = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors[field] = "Enter a number such as 1 or 2.5."
        return None
    if not quantity.is_finite() or quantity <= 0 or quantity >= Decimal("100000000"):
        errors[field] = "Enter a quantity above 0."
        return None
    if quantity != quantity.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        errors[field] = "Use at most 2 decimals."
        return None
    return quantity


def format_cents(cents: int) -> str:
    """1234567 -> '12,345.67'."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"
