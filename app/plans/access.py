"""A studio whose trial ended is read-only: every page still shows its data, every write is refused
with a 403 that says why, and every page carries a notice telling the owner what to do.

A studio being moved to another database server (app/tenancy/moving.py) is read-only the same way,
for a moment, and more strictly: nothing at all may land on the copy being moved, so signing in
(whose second factor keeps its bookkeeping in the studio's database) and the chat are refused too.

Decided in one before_request hook from the studio's cached organization row (its status and
`trial_ends_at`), so it costs no query; an operator's change is seen within TENANT_CACHE_SECONDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import g, jsonify, render_template, request
from flask_babel import gettext

from app.i18n import N_
from app.models.master import Organization
from app.models.studio import AccountRole
from app.zones import to_wall

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Signing in and out and the staff's second factor change no studio data; the assistant's chat
# reads freely, and its writing tools refuse on their own (app/assistant/tools.py).
WRITABLE_BLUEPRINTS = frozenset({"auth"})
WRITABLE_ENDPOINTS = frozenset({"api.ai_chat"})
READ_ONLY = N_(
    "This studio's trial has ended, so it is read-only: everything is kept and can be read, "
    "but nothing can be changed until its owner chooses a plan."
)

MOVING = N_(
    "This studio is being moved to another server: everything can be read, but changes are paused "
    "for a moment. Try again in a minute."
)


def studio_is_moving() -> bool:
    studio = g.get("studio")
    return studio is not None and studio.is_moving


def studio_is_read_only() -> bool:
    studio = g.get("studio")
    return studio is not None and (studio.is_moving or studio.trial_ended())


def refuse_writes():
    """The 403 of a write to a read-only studio (a trial ended, or a move under way)."""
    if request.method in SAFE_METHODS or not studio_is_read_only():
        return None
    if studio_is_moving():
        message = gettext(MOVING)
    elif request.blueprint in WRITABLE_BLUEPRINTS or request.endpoint in WRITABLE_ENDPOINTS:
        return None
    else:
        message = gettext(READ_ONLY)
    if request.path.startswith("/api/"):
        return jsonify(error="studio_read_only", message=message), 403
    return render_template("errors/read_only.html", message=message), 403


@dataclass(frozen=True)
class ReadOnlyNotice:
    # "owner": what to do; "staff": ask the owner; "client": nothing changes for now;
    # "moving": a move to another server, for everyone
    audience: str
    ended_on: date | None


def read_only_notice(studio: Organization | None, audience: str, zone: ZoneInfo, now: datetime):
    """The notice a page shows, or None while the studio can be changed."""
    if studio is not None and studio.is_moving:
        return ReadOnlyNotice("moving", None)
    if studio is None or not studio.trial_ended(now):
        return None
    return ReadOnlyNotice(audience, to_wall(studio.trial_ends_at, zone).date())


def _audience() -> str:
    # Only what the request has already loaded: the notice adds no query to a page.
    staff = g.get("current_staff")
    if staff is not None:
        return "owner" if staff.role == AccountRole.OWNER else "staff"
    return "client" if g.get("current_client") is not None else "staff"


def notice_context() -> dict:
    if not studio_is_read_only():
        return {"read_only_notice": None}
    from app.extensions import studio_db
    from app.services.studio_profile import studio_zone

    return {
        "read_only_notice": read_only_notice(
            g.studio, _audience(), studio_zone(studio_db.session), datetime.now(UTC)
        )
    }
