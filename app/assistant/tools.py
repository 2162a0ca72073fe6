"""The assistant's tools: their JSON schemas for the model, and handlers over THIS studio's data.

Every handler reads and writes through `studio_db.session`, the current request's studio database,
so a tool can only ever see the studio the signed-in staff user belongs to. Times are UTC, as on
the staff pages; money is in cents, as stored.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timezone
from typing import Any, Callable

from app.extensions import studio_db
from app.services.bookings import BookingError, bookings_between, create_booking
from app.services.clients import count_clients, search_clients
from app.services.equipment import equipment_status
from app.services.invoices import unpaid_invoices
from app.services.rooms import list_rooms

CLIENTS_PER_PAGE = 20
_WHEN = ("ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T14:00; "
         "UTC unless it carries an offset; a bare date means midnight UTC")


class ToolInputError(ValueError):
    """The model called a tool with unusable arguments; the message goes back to it."""


TOOLS: list[dict[str, Any]] = [
    {
        "name": "count_clients",
        "description": "Number of clients this studio has.",
        "input_schema": {"type": "object", "properties": {}},
    },
    {
        "name": "search_clients",
        "description": f"Clients whose name or email contains `query` (all clients when empty), by name, "
                       f"{CLIENTS_PER_PAGE} per page, with the total number of matches.",
        "input_schema": {
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "Part of a name or email; empty lists everyone."},
                "page": {"type": "integer", "minimum": 1, "description": "Page number, from 1."},
            },
        },
    },
    {
        "name": "list_rooms",
        "description": "The studio's bookable rooms with their ids and hourly rates.",
        "input_schema": {"type": "object", "properties": {}},
    },
    {
        "name": "list_bookings",
        "description": "Bookings (recording sessions) overlapping [start, end), earliest first, "
                       "with room and client; cancelled ones left out.",
        "input_schema": {
            "type": "object",
            "properties": {
                "start": {"type": "string", "description": _WHEN},
                "end": {"type": "string", "description": _WHEN + " (exclusive)"},
            },
            "required": ["start", "end"],
        },
    },
    {
        "name": "create_booking",
        "description": "Book a room for a client (a recording session). Refused (with the reason) when the "
                       "room is already booked then or the times are invalid. Find ids with list_rooms and "
                       "search_clients.",
        "input_schema": {
            "type": "object",
            "properties": {
                "room_id": {"type": "integer"},
                "client_id": {"type": "integer"},
                "starts_at": {"type": "string", "description": _WHEN},
                "ends_at": {"type": "string", "description": _WHEN},
                "notes": {"type": "string"},
            },
            "required": ["room_id", "client_id", "starts_at", "ends_at"],
        },
    },
    {
        "name": "unpaid_invoices",
        "description": "Invoices sent and not yet paid, oldest due date first, amounts in cents.",
        "input_schema": {"type": "object", "properties": {}},
    },
    {
        "name": "equipment_status",
        "description": "All equipment with its status (available, in_use, maintenance, out_of_service) "
                       "and room, unusable items first.",
        "input_schema": {"type": "object", "properties": {}},
    },
]


def _instant(value: Any, field: str) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ToolInputError(f"{field} must be a date or date-time string.")
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ToolInputError(f"{field} is not an ISO 8601 date or date-time: {text!r}.") from None
    if len(text) == 10:  # a bare date
        parsed = datetime.combine(date.fromisoformat(text), time.min)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=timezone.utc)


def _integer(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ToolInputError(f"{field} must be an integer id.")
    return value


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def _booking_row(booking) -> dict:
    return {
        "id": booking.id,
        "room": {"id": booking.room_id, "name": booking.room.name},
        "client": {"id": booking.client_id, "name": booking.client.name},
        "starts_at": _iso(booking.starts_at),
        "ends_at": _iso(booking.ends_at),
        "status": booking.status,
        "notes": booking.notes,
    }


def _count_clients(db, _args: dict, _staff_id: int) -> dict:
    return {"count": count_clients(db)}


def _search_clients(db, args: dict, _staff_id: int) -> dict:
    query = args.get("query") or ""
    page = args.get("page", 1)
    if not isinstance(query, str) or isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ToolInputError("query must be a string and page an integer from 1.")
    clients, total = search_clients(db, query, page=page, per_page=CLIENTS_PER_PAGE)
    return {
        "total": total,
        "page": page,
        "clients": [{"id": c.id, "name": c.name, "email": c.email, "phone": c.phone} for c in clients],
    }


def _list_rooms(db, _args: dict, _staff_id: int) -> dict:
    return {"rooms": [{"id": r.id, "name": r.name, "hourly_rate_cents": r.hourly_rate_cents}
                      for r in list_rooms(db, active_only=True)]}


def _list_bookings(db, args: dict, _staff_id: int) -> dict:
    start, end = _instant(args.get("start"), "start"), _instant(args.get("end"), "end")
    if end <= start:
        raise ToolInputError("end must be after start.")
    return {"bookings": [_booking_row(b) for b in bookings_between(db, start, end)]}


def _create_booking(db, args: dict, staff_id: int) -> dict:
    notes = args.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise ToolInputError("notes must be a string.")
    booking = create_booking(
        db,
        room_id=_integer(args.get("room_id"), "room_id"),
        client_id=_integer(args.get("client_id"), "client_id"),
        starts_at=_instant(args.get("starts_at"), "starts_at"),
        ends_at=_instant(args.get("ends_at"), "ends_at"),
        notes=notes,
        created_by_id=staff_id,
    )
    return {"booked": _booking_row(booking)}


def _unpaid_invoices(db, _args: dict, _staff_id: int) -> dict:
    return {"invoices": [
        {
            "id": i.id,
            "number": i.number,
            "client": {"id": i.client_id, "name": i.client.name},
            "status": i.status,
            "issued_on": i.issued_on and i.issued_on.isoformat(),
            "due_on": i.due_on and i.due_on.isoformat(),
            "total_cents": i.total_cents,
        }
        for i in unpaid_invoices(db)
    ]}


def _equipment_status(db, _args: dict, _staff_id: int) -> dict:
    return {"equipment": [
        {
            "id": e.id,
            "name": e.name,
            "category": e.category,
            "status": e.status,
            "room": e.room.name if e.room is not None else None,
        }
        for e in equipment_status(db)
    ]}


HANDLERS: dict[str, Callable[[Any, dict, int], dict]] = {
    "count_clients": _count_clients,
    "search_clients": _search_clients,
    "list_rooms": _list_rooms,
    "list_bookings": _list_bookings,
    "create_booking": _create_booking,
    "unpaid_invoices": _unpaid_invoices,
    "equipment_status": _equipment_status,
}


def _content(data: dict) -> str:
    # Plain UTF-8 (not \u escapes): fewer tokens, and the model quotes messages exactly.
    return json.dumps(data, ensure_ascii=False)


def run_tool(name: str, args: Any, staff_id: int) -> tuple[str, bool]:
    """Run one tool call; return (JSON content for the tool_result, is_error).

    Each call is its own transaction, ended before the next model call, so no studio database
    connection is held while the model thinks.
    """
    handler = HANDLERS.get(name)
    if handler is None:
        return _content({"error": f"Unknown tool {name!r}."}), True
    db = studio_db.session
    try:
        result = handler(db, args if isinstance(args, dict) else {}, staff_id)
        db.commit()
    except ToolInputError as exc:
        db.rollback()
        return _content({"error": str(exc)}), True
    except BookingError as exc:
        # The same refusal the booking form shows, so the model can explain it or try another slot.
        db.rollback()
        return _content({"error": exc.message, "field": exc.field}), True
    except BaseException:
        db.rollback()
        raise
    return _content(result), False
