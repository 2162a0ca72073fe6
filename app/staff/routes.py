"""The staff dashboard: today's and upcoming bookings, unpaid invoices, unusable equipment."""

from datetime import UTC, datetime, timedelta

from flask import render_template

from app.auth.guards import current_staff, staff_required
from app.extensions import studio_db
from app.services.bookings import bookings_between, upcoming_bookings
from app.services.equipment import unusable_equipment
from app.services.invoices import unpaid_invoices
from app.staff import bp


@bp.get("/dashboard")
@staff_required
def dashboard():
    db = studio_db.session
    now = datetime.now(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    tomorrow = midnight + timedelta(days=1)
    return render_template(
        "staff/dashboard.html",
        staff=current_staff(),
        today=bookings_between(db, midnight, tomorrow),
        upcoming=upcoming_bookings(db, after=tomorrow, limit=10),
        unpaid=unpaid_invoices(db),
        unusable=unusable_equipment(db),
        now=now,
    )
