"""The assistant's tools: their JSON schemas for the model, and handlers over THIS studio's data.

Every handler reads and writes through `studio_db.session`, the current request's studio database,
so a tool can only ever see the studio the signed-in staff member belongs to. A tool's input is read
by an input class (app/inputs.py), the booking tool's by the booking form's own, so a refusal is
the form's refusal. Times are read and given in the studio's zone, as on the staff pages (with
their UTC offset); money is in cents, as stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app import limits
from app.extensions import studio_db
from app.inputs import (
    WHEN,
    Field,
    FormError,
    Input,
    identifier,
    page_number,
    place_in_zone,
    text,
    wall_time,
)
from app.models.studio import Booking
from app.plans.access import READ_ONLY, studio_is_read_only
from app.services.bookings import BookingInput, bookings_between, create_booking, update_booking
from app.services.clients import count_clients, search_clients
from app.services.equipment import equipment_status
from app.services.invoices import unpaid_invoices
from app.services.rooms import list_rooms
from app.services.studio_profile import studio_profile, studio_zone

CLIENTS_PER_PAGE = 20


class ClientSearch(Input):
    query = Field(
        "Query",
        text(200),
        empty="",
        schema={"type": "string", "description": "Part of a name or email; empty lists everyone."},
    )
    page = Field(
        "Page",
        page_number,
        empty=1,
        schema={
            "type": "integer",
            "minimum": 1,
            "maximum": limits.MAX_PAGE,
            "description": "Page number, from 1.",
        },
    )


class Span(Input):
    start = Field(
        "Start",
        wall_time(f"start must be an {WHEN}."),
        required="Give the start.",
        schema={"type": "string", "description": WHEN},
    )
    end = Field(
        "End",
        wall_time(f"end must be an {WHEN}."),
        required="Give the end.",
        schema={"type": "string", "description": WHEN + " (exclusive)"},
    )

    def check(self, db: Session, errors: dict[str, str]) -> None:
        place_in_zone(self, ("start", "end"), studio_zone(db), errors)
        if not errors and self.end <= self.start:
            errors["end"] = "end must be after start."


def _iso(moment: datetime, zone: ZoneInfo) -> str:
    """The studio's wall time with its offset, e.g. 2027-03-28T14:00:00+02:00."""
    return moment.astimezone(zone).isoformat()


def _booking_row(booking: Booking, zone: ZoneInfo) -> dict:
    return {
        "id": booking.id,
        "room": {"id": booking.room_id, "name": booking.room.name},
        "client": {"id": booking.client_id, "name": booking.client.name},
        "starts_at": _iso(booking.starts_at, zone),
        "ends_at": _iso(booking.ends_at, zone),
        "status": booking.status,
        "notes": booking.notes,
    }


def _search_clients(db: Session, args: Mapping, _staff_id: int) -> dict:
    search = ClientSearch.parse(args, db)
    clients, total = search_clients(db, search.query, page=search.page, per_page=CLIENTS_PER_PAGE)
    return {
        "total": total,
        "page": search.page,
        "clients": [{"id": c.id, "name": c.name, "email": c.email, "phone": c.phone} for c in clients],
    }


def _list_bookings(db: Session, args: Mapping, _staff_id: int) -> dict:
    span = Span.parse(args, db)
    zone = studio_zone(db)
    return {"bookings": [_booking_row(b, zone) for b in bookings_between(db, span.start, span.end)]}


class Reschedule(Input):
    """Which booking to move, and where: the rest of the booking is kept as it is."""

    booking_id = Field(
        "Booking",
        identifier("booking_id must be a booking's id."),
        required="Give the booking_id.",
        schema={"type": "integer", "description": "From list_bookings."},
    )
    starts_at = Field(
        "Starts", text(40), required="Give the new start.", schema={"type": "string", "description": WHEN}
    )
    ends_at = Field(
        "Ends", text(40), required="Give the new end.", schema={"type": "string", "description": WHEN}
    )
    room_id = Field(
        "Room",
        identifier("room_id must be a room's id."),
        schema={"type": "integer", "description": "Another room; left out, the same room."},
    )


def _reschedule_booking(db: Session, args: Mapping, _staff_id: int) -> dict:
    wanted = Reschedule.parse(args, db)
    booking = db.get(Booking, wanted.booking_id)
    if booking is None:
        raise FormError({"booking_id": f"There is no booking #{wanted.booking_id}."})
    moved = {
        "room_id": wanted.room_id or booking.room_id,
        "client_id": booking.client_id,
        "starts_at": wanted.starts_at,
        "ends_at": wanted.ends_at,
        "notes": booking.notes,
    }
    # The booking form's own rules (BookingInput): a refusal reads as the form's.
    return {"rescheduled": _booking_row(update_booking(db, booking, moved), studio_zone(db))}


def _unpaid_invoices(db: Session, _args: Mapping, _staff_id: int) -> dict:
    currency = studio_profile(db).currency
    return {
        "invoices": [
            {
                "id": i.id,
                "number": i.number,
                "client": {"id": i.client_id, "name": i.billed_to},
                "status": i.status,
                "issued_on": i.issued_on and i.issued_on.isoformat(),
                "due_on": i.due_on and i.due_on.isoformat(),
                "total_cents": i.total_cents,
                "balance_cents": i.balance_cents,
                "currency": currency,
            }
            for i in unpaid_invoices(db)
        ]
    }


def _equipment_status(db: Session, _args: Mapping, _staff_id: int) -> dict:
    return {
        "equipment": [
            {
                "id": e.id,
                "name": e.name,
                "category": e.category,
                "status": e.status,
                "room": e.room.name if e.room is not None else None,
            }
            for e in equipment_status(db)
        ]
    }


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    run: Callable[[Session, Mapping, int], dict]
    # The input class that reads its arguments (None: it takes none), which also gives their schema.
    input: type[Input] | None = None
    # Changes the studio's data: refused while the studio is read-only (its trial ended).
    writes: bool = False

    def declaration(self) -> dict[str, Any]:
        schema = self.input.json_schema() if self.input else {"type": "object", "properties": {}}
        return {"name": self.name, "description": self.description, "input_schema": schema}


_TOOLS = [
    Tool(
        "count_clients",
        "Number of clients this studio has.",
        lambda db, _args, _staff: {"count": count_clients(db)},
    ),
    Tool(
        "search_clients",
        f"Clients whose name or email contains `query` (all clients when empty), by name, "
        f"{CLIENTS_PER_PAGE} per page, with the total number of matches.",
        _search_clients,
        ClientSearch,
    ),
    Tool(
        "list_rooms",
        "The studio's bookable rooms with their ids and hourly rates.",
        lambda db, _args, _staff: {
            "rooms": [
                {"id": r.id, "name": r.name, "hourly_rate_cents": r.hourly_rate_cents}
                for r in list_rooms(db, active_only=True)
            ]
        },
    ),
    Tool(
        "list_bookings",
        "Bookings (recording sessions) overlapping [start, end), earliest first, with room and client; "
        "cancelled ones left out.",
        _list_bookings,
        Span,
    ),
    Tool(
        "create_booking",
        "Book a room for a client (a recording session). Refused (with the reason per field) when the room is "
        "already booked then or the times are invalid. Find ids with list_rooms and search_clients.",
        lambda db, args, staff_id: {
            "booked": _booking_row(create_booking(db, args, created_by_id=staff_id), studio_zone(db))
        },
        BookingInput,
        writes=True,
    ),
    Tool(
        "reschedule_booking",
        "Move a booking to new times (and optionally another room), with the same rules as booking: "
        "refused (with the reason per field) when the room is taken then. Find the id with list_bookings.",
        _reschedule_booking,
        Reschedule,
        writes=True,
    ),
    Tool(
        "unpaid_invoices",
        "Invoices sent and not yet paid, oldest due date first, amounts in cents.",
        _unpaid_invoices,
    ),
    Tool(
        "equipment_status",
        "All equipment with its status (available, in_use, maintenance, out_of_service) and room, "
        "unusable items first.",
        _equipment_status,
    ),
]
TOOLS: list[dict[str, Any]] = [tool.declaration() for tool in _TOOLS]
_BY_NAME = {tool.name: tool for tool in _TOOLS}


def _content(data: dict) -> str:
    # Plain UTF-8 (not \u escapes): fewer tokens, and the model quotes messages exactly.
    return json.dumps(data, ensure_ascii=False)


def run_tool(name: str, args: Any, staff_id: int) -> tuple[str, bool]:
    """Run one tool call; return (JSON content for the tool_result, is_error).

    Each call is its own transaction, ended before the next model call, so no studio database
    connection is held while the model thinks. A refusal goes back to the model as the same
    field -> message pairs a form shows, so it can explain it or try another slot.
    """
    tool = _BY_NAME.get(name)
    if tool is None:
        return _content({"errors": {"tool": f"Unknown tool {name!r}."}}), True
    if tool.writes and studio_is_read_only():
        return _content({"errors": {"form": READ_ONLY}}), True
    db = studio_db.session
    try:
        result = tool.run(db, args if isinstance(args, dict) else {}, staff_id)
        db.commit()
    except FormError as exc:
        db.rollback()
        return _content({"errors": exc.errors}), True
    except BaseException:
        db.rollback()
        raise
    return _content(result), False
