"""Staff pages end to end through the Flask test client, on real studio databases."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from app.models.studio import Booking, Client, Equipment, Invoice, Room, StaffAccount
from app.services.bookings import ENTER_END, ENTER_START

DAY = (datetime.now(timezone.utc) + timedelta(days=7)).replace(hour=0, minute=0, second=0, microsecond=0)


def local(hour: int) -> str:
    """A datetime-local input value on DAY (UTC)."""
    return (DAY + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M")


def count(open_db, organization, model) -> int:
    with open_db(organization) as db:
        return db.query(model).count()


def field_error(page: str, name: str) -> str | None:
    match = re.search(rf'id="{re.escape(name)}-error">([^<]*)<', page)
    return match.group(1) if match else None


@pytest.fixture
def abbey(staff_client):
    return staff_client("abbey")


def add_room(browser, name="Room A", rate="45"):
    response = browser.post_form("/rooms/new", {"name": name, "hourly_rate": rate, "is_active": "on"})
    assert response.status_code == 302, response.get_data(as_text=True)


def add_client(browser, name="Ada Lovelace", email="ada@example.com"):
    response = browser.post_form("/clients/new", {"name": name, "email": email})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/clients/(\d+)/edit", response.headers["Location"]).group(1))


def ids(open_db, organization, model, **where):
    with open_db(organization) as db:
        return [row.id for row in db.query(model).filter_by(**where).order_by(model.id)]


def book(browser, room_id, client_id, start, end):
    return browser.post_form("/bookings/new", {"room_id": room_id, "client_id": client_id,
                                               "starts_at": local(start), "ends_at": local(end)})


def test_every_staff_page_renders(abbey):
    for path in ("/dashboard", "/clients", "/clients/new", "/rooms", "/rooms/new", "/bookings", "/bookings/new",
                 "/invoices", "/invoices/new", "/equipment", "/equipment/new", "/accounts"):
        response = abbey.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert "Sign out" in page and ">Staff</a>" in page, path


def test_pages_need_a_signed_in_staff_member(studio_client, make_studio):
    make_studio("abbey")
    response = studio_client("abbey").get("/clients")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/clients")


def test_invalid_client_gets_422_with_errors_next_to_fields_and_no_row(open_db, abbey):
    response = abbey.post_form("/clients/new", {"name": "", "email": "nope", "phone": "1" * 41})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "name") == "Enter the client&#39;s name."
    assert field_error(page, "email") == "Enter an email address such as name@example.com."
    assert field_error(page, "phone") == "Use at most 40 characters."
    assert 'value="nope"' in page
    assert count(open_db, abbey.organization, Client) == 0


def test_client_create_edit_search_and_pages(app, abbey):
    client_id = add_client(abbey)
    response = abbey.post_form(f"/clients/{client_id}/edit", {"name": "Ada King", "email": "ada@example.com",
                                                              "phone": "+44 20 7946 0000"})
    assert response.status_code == 302
    for n in range(22):
        add_client(abbey, f"Band {n:02d}", f"band{n:02d}@example.com")
    first = abbey.get("/clients").get_data(as_text=True)
    # 23 clients by name, 20 a page: Ada King and Band 00–18 first, then Band 19–21.
    assert "Ada King" in first and "Band 18" in first and "Band 19" not in first and "Page 1 of 2" in first
    second = abbey.get("/clients?page=2").get_data(as_text=True)
    assert "Band 19" in second and "Band 21" in second and "Band 18" not in second and "Ada" not in second
    found = abbey.get("/clients?q=ADA%40EXAMPLE").get_data(as_text=True)
    assert "Ada King" in found and "Band" not in found.split("<table")[1]
    assert "No client matches" in abbey.get("/clients?q=zzz").get_data(as_text=True)


def test_duplicate_room_name_is_refused(open_db, abbey):
    add_room(abbey)
    response = abbey.post_form("/rooms/new", {"name": "room a", "hourly_rate": "12.345"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "name") == "Another room already has this name."
    assert field_error(page, "hourly_rate") == "Enter an amount such as 45 or 45.50 (at most 2 decimals)."
    assert count(open_db, abbey.organization, Room) == 1


def test_room_edit_shows_the_room_and_saves_changes(open_db, abbey):
    add_room(abbey, rate="45.5")
    room_id = ids(open_db, abbey.organization, Room)[0]
    page = abbey.get(f"/rooms/{room_id}/edit").get_data(as_text=True)
    assert 'value="Room A"' in page and 'value="45.50"' in page and 'name="is_active" checked' in page
    response = abbey.post_form(f"/rooms/{room_id}/edit", {"name": "Room A", "hourly_rate": "50"})
    assert response.status_code == 302
    with open_db(abbey.organization) as db:
        room = db.get(Room, room_id)
        assert (room.hourly_rate_cents, room.is_active) == (5000, False)
    assert abbey.get("/rooms/999/edit").status_code == 404


def test_booking_form_refuses_overlap_next_to_the_field_and_allows_adjacent(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    assert book(abbey, room_id, client_id, 14, 16).status_code == 302
    refused = book(abbey, room_id, client_id, 15, 17)
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "starts_at") == \
        f"Room A is already booked 14:00–16:00 on {DAY:%Y-%m-%d}."
    assert book(abbey, room_id, client_id, 16, 18).status_code == 302
    assert count(open_db, abbey.organization, Booking) == 2


def test_booking_form_field_errors(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    response = abbey.post_form("/bookings/new", {"room_id": room_id, "client_id": client_id,
                                                 "starts_at": "tomorrow", "ends_at": ""})
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
    assert day_view.count("14:00–16:00") == 2 and 'class="cancelled"' in day_view


def test_dashboard_shows_sessions_unpaid_invoices_and_broken_equipment(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    now = datetime.now(timezone.utc)
    with open_db(abbey.organization) as db:
        db.add(Booking(room_id=room_id, client_id=client_id, starts_at=now + timedelta(minutes=5),
                       ends_at=now + timedelta(minutes=6)))
        db.commit()
    book(abbey, room_id, client_id, 14, 16)
    abbey.post_form("/equipment/new", {"name": "Tape machine", "status": "maintenance", "room_id": room_id})
    abbey.post_form("/equipment/new", {"name": "Neumann U87", "status": "available"})
    invoice = abbey.post_form("/invoices/new", {"client_id": client_id, "tax_rate": "0",
                                                "lines-0-description": "Tracking", "lines-0-unit_price": "100"})
    invoice_id = int(invoice.headers["Location"].rsplit("/", 1)[1])
    abbey.post_form(f"/invoices/{invoice_id}/status", {"status": "sent"}, token_from=f"/invoices/{invoice_id}")
    page = abbey.get("/dashboard").get_data(as_text=True)
    today, rest = page.split("Upcoming", 1)
    assert "Ada Lovelace" in today and "No sessions today" not in today
    assert f"14:00–16:00 on {DAY:%Y-%m-%d}" in rest
    assert "INV-0001" in rest and "100.00" in rest
    assert "Tape machine" in rest and "Neumann" not in rest


def test_invoice_form_computes_exact_totals_and_moves_status(open_db, abbey):
    client_id = add_client(abbey)
    response = abbey.post_form("/invoices/new", {
        "client_id": client_id, "tax_rate": "20", "line_count": "3",
        "lines-0-description": "Mixing", "lines-0-quantity": "3", "lines-0-unit_price": "12.50",
        "lines-2-description": "Mastering", "lines-2-quantity": "1", "lines-2-unit_price": "99.99",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    path = response.headers["Location"]
    page = abbey.get(path).get_data(as_text=True)
    assert "INV-0001" in page and "137.49" in page and "27.50" in page and "164.99" in page
    with open_db(abbey.organization) as db:
        invoice = db.query(Invoice).one()
        assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents, invoice.status) == \
            (13749, 2750, 16499, "draft")
    assert 'value="paid"' not in page and 'value="sent"' in page
    for status in ("sent", "paid"):
        assert abbey.post_form(f"{path}/status", {"status": status}, token_from=path).status_code == 302
    page = abbey.get(path).get_data(as_text=True)
    assert 'value="void"' not in page
    abbey.post_form(f"{path}/status", {"status": "void"}, token_from=path)
    assert "A paid invoice can&#39;t be marked void." in abbey.get(path).get_data(as_text=True)
    assert ids(open_db, abbey.organization, Invoice, status="paid")


def test_invalid_invoice_gets_422_and_no_row(open_db, abbey):
    client_id = add_client(abbey)
    response = abbey.post_form("/invoices/new", {"client_id": client_id, "tax_rate": "150",
                                                 "lines-0-description": "", "lines-0-quantity": "abc",
                                                 "lines-0-unit_price": "5"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "tax_rate") == "Enter a percentage between 0 and 100, e.g. 20."
    assert field_error(page, "lines-0-description") == "Describe the line."
    assert field_error(page, "lines-0-quantity") == "Enter a number such as 1 or 2.5."
    response = abbey.post_form("/invoices/new", {"client_id": "", "tax_rate": "20"})
    page = response.get_data(as_text=True)
    assert field_error(page, "client_id") == "Choose a client." and "Add at least one line." in page
    assert count(open_db, abbey.organization, Invoice) == 0


def test_equipment_create_edit_and_validation(open_db, abbey):
    add_room(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    response = abbey.post_form("/equipment/new", {"name": "", "status": "lost"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "name") == "Enter a name." and field_error(page, "status") == "Choose a status from the list."
    abbey.post_form("/equipment/new", {"name": "SM57", "category": "Microphone", "status": "available", "room_id": room_id})
    item_id = ids(open_db, abbey.organization, Equipment)[0]
    abbey.post_form(f"/equipment/{item_id}/edit", {"name": "SM57", "status": "out_of_service", "room_id": ""})
    with open_db(abbey.organization) as db:
        item = db.get(Equipment, item_id)
        assert (item.status, item.room_id, item.category) == ("out_of_service", None, None)
    assert "Out of service (1)" in abbey.get("/equipment").get_data(as_text=True)


def test_owner_manages_staff_and_staff_get_403(open_db, abbey, studio_client):
    response = abbey.post_form("/accounts", {"name": "Sam", "email": "sam@abbey.example",
                                          "password": "long enough password", "role": "staff"})
    assert response.status_code == 302
    refused = abbey.post_form("/accounts", {"name": "", "email": "sam@abbey.example", "password": "short", "role": "x"})
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "email") == "A staff account with this email already exists."
    sam = studio_client("abbey")
    assert sam.post_form("/login", {"email": "sam@abbey.example", "password": "long enough password"}).status_code == 302
    assert sam.get("/dashboard").status_code == 200
    assert ">Staff</a>" not in sam.get("/dashboard").get_data(as_text=True)
    assert sam.get("/accounts").status_code == 403
    assert sam.post_form("/accounts", {"name": "Eve", "email": "eve@x.example", "password": "long enough password",
                                    "role": "owner"}, token_from="/dashboard").status_code == 403
    owner_id, sam_id = ids(open_db, abbey.organization, StaffAccount)
    assert sam.post_form(f"/accounts/{owner_id}/deactivate", {}, token_from="/dashboard").status_code == 403
    # The owner can't deactivate themselves, but can deactivate Sam, who is signed out at once.
    abbey.post_form(f"/accounts/{owner_id}/deactivate", {}, token_from="/accounts")
    assert "You can&#39;t deactivate your own account." in abbey.get("/accounts").get_data(as_text=True)
    abbey.post_form(f"/accounts/{sam_id}/deactivate", {}, token_from="/accounts")
    assert ids(open_db, abbey.organization, StaffAccount, is_active=True) == [owner_id]
    assert sam.get("/dashboard").status_code == 302


def test_a_studio_never_shows_another_studios_clients(app, open_db, staff_client):
    abbey, olympic = staff_client("abbey"), staff_client("olympic")
    add_client(abbey, "Abbey Secret", "secret@abbey.example")
    client_id = ids(open_db, abbey.organization, Client)[0]
    assert "Abbey Secret" not in olympic.get("/clients").get_data(as_text=True)
    assert "Abbey Secret" not in olympic.get("/clients?q=secret").get_data(as_text=True)
    assert olympic.get(f"/clients/{client_id}/edit").status_code == 404
    # Abbey's session cookie is host-only and bound to abbey: replayed on olympic it signs nobody in.
    cookie = abbey.http.get_cookie("rsm_session", domain="abbey.studio.test")
    intruder = type(olympic)(app, olympic.host)
    intruder.http.set_cookie("rsm_session", cookie.value, domain="olympic.studio.test")
    assert intruder.get("/clients").status_code == 302


def test_the_plan_caps_active_staff_accounts(open_db, abbey):
    """The trial plan allows 3 active accounts: the owner and two more; a fourth waits for a free seat."""
    for name in ("Sam", "Tess"):
        response = abbey.post_form("/accounts", {"name": name, "email": f"{name.lower()}@abbey.example",
                                              "password": "long enough password", "role": "staff"})
        assert response.status_code == 302
    refused = abbey.post_form("/accounts", {"name": "Uma", "email": "uma@abbey.example",
                                         "password": "long enough password", "role": "staff"})
    assert refused.status_code == 422
    assert "Your plan allows 3 active staff accounts." in refused.get_data(as_text=True)
    assert len(ids(open_db, abbey.organization, StaffAccount)) == 3
    _owner_id, sam_id, _tess_id = ids(open_db, abbey.organization, StaffAccount)
    abbey.post_form(f"/accounts/{sam_id}/deactivate", {}, token_from="/accounts")
    assert abbey.post_form("/accounts", {"name": "Uma", "email": "uma@abbey.example",
                                      "password": "long enough password", "role": "staff"}).status_code == 302
    abbey.post_form(f"/accounts/{sam_id}/reactivate", {}, token_from="/accounts")
    assert "Your plan allows 3 active staff accounts." in abbey.get("/accounts").get_data(as_text=True)
    assert sam_id not in ids(open_db, abbey.organization, StaffAccount, is_active=True)
