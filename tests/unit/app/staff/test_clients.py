"""Staff pages for clients: refused input, create, edit, search and pagination."""

from __future__ import annotations

from app.models.studio import Booking, Client, Room
from tests.unit.app.staff.pages import add_client, add_room, book, count, field_error, ids


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
    response = abbey.post_form(
        f"/clients/{client_id}/edit",
        {"name": "Ada King", "email": "ada@example.com", "phone": "+44 20 7946 0000"},
    )
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


def test_an_archived_client_is_kept_but_left_out_of_lists_and_new_bookings(open_db, abbey):
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    assert book(abbey, room_id, client_id, 14, 16).status_code == 302
    archived = abbey.post_form(
        f"/clients/{client_id}/archive", {"archived": "1"}, token_from=f"/clients/{client_id}/edit"
    )
    assert archived.status_code == 302
    with open_db(abbey.organization) as db:
        assert db.get(Client, client_id).archived_at is not None
        assert db.query(Booking).count() == 1  # the booking that names them stays
    row = f'<a href="/clients/{client_id}/edit">Ada Lovelace</a>'
    assert row not in abbey.get("/clients").get_data(as_text=True)
    assert row in abbey.get("/clients?archived=1").get_data(as_text=True)
    assert "Ada Lovelace (ada@example.com)" not in abbey.get("/bookings/new").get_data(as_text=True)
    refused = book(abbey, room_id, client_id, 17, 18)
    assert (
        refused.status_code == 422
        and field_error(refused.get_data(as_text=True), "client_id") == "Choose a client."
    )
    invoice = abbey.post_form(
        "/invoices/new", {"client_id": client_id, "lines-0-description": "x", "lines-0-unit_price": "1"}
    )
    assert invoice.status_code == 422
    abbey.post_form(
        f"/clients/{client_id}/archive", {"archived": "0"}, token_from=f"/clients/{client_id}/edit"
    )
    assert row in abbey.get("/clients").get_data(as_text=True)
    assert book(abbey, room_id, client_id, 17, 18).status_code == 302
