"""Staff pages for bookings: the form's refusals next to their fields, and cancelling."""

from __future__ import annotations

from datetime import timedelta

from app.models.studio import Booking, Room
from app.services.bookings import ENTER_END, ENTER_START
from tests.unit.app.staff.pages import DAY, add_client, add_room, book, count, field_error, ids, local


def test_booking_form_refuses_overlap_next_to_the_field_and_allows_adjacent(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    assert book(abbey, room_id, client_id, 14, 16).status_code == 302
    refused = book(abbey, room_id, client_id, 15, 17)
    assert refused.status_code == 422
    assert (
        field_error(refused.get_data(as_text=True), "starts_at")
        == f"Room A is already booked 14:00–16:00 on {DAY:%Y-%m-%d}."
    )
    assert book(abbey, room_id, client_id, 16, 18).status_code == 302
    assert count(open_db, abbey.organization, Booking) == 2


def test_booking_form_field_errors(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    response = abbey.post_form(
        "/bookings/new", {"room_id": room_id, "client_id": client_id, "starts_at": "tomorrow", "ends_at": ""}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "starts_at") == ENTER_START
    assert field_error(page, "ends_at") == ENTER_END
    response = book(abbey, room_id, client_id, 16, 14)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "ends_at") == "The session must end after it starts."
    response = book(abbey, "", client_id, 14, 16)
    assert field_error(response.get_data(as_text=True), "room_id") == "Choose one of the studio&#39;s rooms."
    assert count(open_db, abbey.organization, Booking) == 0


def test_cancelling_frees_the_slot(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    book(abbey, room_id, client_id, 14, 16)
    booking_id = ids(open_db, abbey.organization, Booking)[0]
    response = abbey.post_form(f"/bookings/{booking_id}/cancel", {}, token_from="/bookings")
    assert response.status_code == 302
    assert book(abbey, room_id, client_id, 14, 16).status_code == 302
    assert len(ids(open_db, abbey.organization, Booking, status="booked")) == 1
    day_view = abbey.get(f"/bookings?date={DAY:%Y-%m-%d}").get_data(as_text=True)
    assert day_view.count('data-label="When">14:00–16:00') == 2 and 'class="cancelled"' in day_view


def test_cancelling_goes_back_only_to_a_path_of_this_site(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    for hour, back, location in (
        (10, f"/bookings?date={DAY:%Y-%m-%d}", f"/bookings?date={DAY:%Y-%m-%d}"),
        (12, "/\r\n/evil.example", "/bookings"),
        (14, "/\t/evil.example", "/bookings"),
    ):
        book(abbey, room_id, client_id, hour, hour + 1)
        booking_id = max(ids(open_db, abbey.organization, Booking))
        response = abbey.post_form(f"/bookings/{booking_id}/cancel", {"back": back}, token_from="/bookings")
        assert response.status_code == 302 and response.headers["Location"] == location


def test_book_from_the_calendar_then_reschedule(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    calendar = abbey.get(f"/calendar?date={DAY:%Y-%m-%d}").get_data(as_text=True)
    slot = (
        f"/bookings/new?room_id={room_id}&amp;starts_at={DAY:%Y-%m-%d}T14:00&amp;ends_at={DAY:%Y-%m-%d}T15:00"
    )
    assert slot in calendar
    form = abbey.get(slot.replace("&amp;", "&")).get_data(as_text=True)
    assert f'value="{DAY:%Y-%m-%d}T14:00"' in form and f'value="{DAY:%Y-%m-%d}T15:00"' in form
    response = book(abbey, room_id, client_id, 14, 15)
    assert response.headers["Location"] == f"/calendar?date={DAY:%Y-%m-%d}"
    booking_id = ids(open_db, abbey.organization, Booking)[0]
    calendar = abbey.get(f"/calendar?date={DAY:%Y-%m-%d}").get_data(as_text=True)
    assert f'<td rowspan="4" class="booked">\n          <a href="/bookings/{booking_id}/edit">' in calendar
    week = abbey.get(f"/calendar?date={DAY:%Y-%m-%d}&view=week").get_data(as_text=True)
    assert f'href="/bookings/{booking_id}/edit"' in week

    # A second booking, then moving the first onto it is refused like a new overlapping booking.
    assert book(abbey, room_id, client_id, 16, 18).status_code == 302
    moved = {"room_id": room_id, "client_id": client_id, "starts_at": local(17), "ends_at": local(19)}
    refused = abbey.post_form(f"/bookings/{booking_id}/edit", moved)
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "starts_at") == (
        f"Room A is already booked 16:00–18:00 on {DAY:%Y-%m-%d}."
    )
    # Moving it within its own time (overlapping only itself) is fine.
    moved = {**moved, "starts_at": local(14, 30), "ends_at": local(15, 30), "notes": "moved"}
    assert abbey.post_form(f"/bookings/{booking_id}/edit", moved).status_code == 302
    with open_db(abbey.organization) as db:
        booking = db.get(Booking, booking_id)
        assert (booking.starts_at, booking.ends_at, booking.notes) == (
            DAY + timedelta(hours=14, minutes=30),
            DAY + timedelta(hours=15, minutes=30),
            "moved",
        )
