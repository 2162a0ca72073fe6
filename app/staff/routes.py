"""The staff dashboard: today's (in the studio's zone) and upcoming bookings, unpaid invoices, unusable equipment."""

from datetime import UTC, datetime

from flask import render_template

from app.auth.guards import current_staff, staff_required
from app.extensions import studio_db
from app.pagecache import cached_page
from app.services.bookings import bookings_between, upcoming_bookings
from app.services.equipment import unusable_equipment
from app.services.invoices import unpaid_invoices
from app.services.studio_profile import studio_zone
from app.staff import bp
from app.zones import day_bounds, today


@bp.get("/dashboard")
@cached_page
@staff_required
def dashboard():
    db = studio_db.session
    zone = studio_zone(db)
    now = datetime.now(UTC)
    # "Today" is the studio's day, 23 or 25 hours long when its clocks change.
    midnight, tomorrow = day_bounds(today(zone, now), zone)
    return render_template(
        "staff/dashboard.html",
        staff=current_staff(),
        today=bookings_between(db, midnight, tomorrow),
        upcoming=upcoming_bookings(db, after=tomorrow, limit=10),
        unpaid=unpaid_invoices(db),
        unusable=unusable_equipment(db),
        today_date=today(zone, now),
    )
