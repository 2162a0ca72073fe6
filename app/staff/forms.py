"""Reading staff forms: typed values out of request.form, and rendering a refused form with 422."""

from __future__ import annotations

from datetime import datetime, timezone

from flask import render_template

from app.extensions import studio_db


def int_or_none(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def utc_from_input(value) -> datetime | None:
    """A datetime-local value ('2026-12-01T14:00'), read as UTC; None when blank or malformed."""
    try:
        return datetime.strptime((value or "").strip(), "%Y-%m-%dT%H:%M").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def refused(template: str, errors: dict, **context):
    """Re-render a form with its errors next to the fields; nothing of it stays in the transaction."""
    studio_db.session.rollback()
    return render_template(template, errors=errors, **context), 422
