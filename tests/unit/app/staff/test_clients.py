"""Staff pages for clients: refused input, create, edit, search and pagination."""

from __future__ import annotations

from app.models.studio import AuditEntry, Booking, Client, Invoice, Room
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


def test_the_owner_erases_a_clients_personal_data_after_confirming(open_db, abbey, studio_client, invite):
    add_room(abbey)
    client_id = add_client(abbey)
    edit = f"/clients/{client_id}/edit"
    abbey.post_form(
        edit, {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 1", "notes": "n"}
    )
    portal_password = "a long portal password"
    invite(abbey, client_id, portal_password)
    assert book(abbey, ids(open_db, abbey.organization, Room)[0], client_id, 14, 16).status_code == 302
    line = {"lines-0-description": "Tracking", "lines-0-quantity": "1", "lines-0-unit_price": "400"}
    sent = abbey.post_form("/invoices/new", {"client_id": client_id, **line}).headers["Location"]
    abbey.post_form(f"{sent}/status", {"status": "sent"}, token_from=sent)
    abbey.post_form("/invoices/new", {"client_id": client_id, **line})
    ada = studio_client("abbey")
    ada.post_form("/client/login", {"email": "ada@example.com", "password": portal_password})
    assert ada.get("/client/").status_code == 200
    abbey.post_form(
        "/accounts",
        {"name": "Sam", "email": "sam@abbey.example", "password": "long enough password", "role": "staff"},
    )
    sam = studio_client("abbey")
    sam.post_form("/login", {"email": "sam@abbey.example", "password": "long enough password"})
    erase = f"/clients/{client_id}/erase"
    assert sam.get(erase).status_code == 403
    assert sam.post_form(erase, {"confirmation": "Ada Lovelace"}, token_from=edit).status_code == 403
    assert 'name="confirmation"' in abbey.get(erase).get_data(as_text=True)
    refused = abbey.post_form(erase, {"confirmation": "Ada"})
    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "confirmation") == (
        "Type the client&#39;s name exactly as shown to confirm."
    )
    with open_db(abbey.organization) as db:
        assert db.get(Client, client_id).email == "ada@example.com"

    assert abbey.post_form(erase, {"confirmation": "Ada Lovelace"}).status_code == 302
    with open_db(abbey.organization) as db:
        client = db.get(Client, client_id)
        assert (client.name, client.email, client.phone, client.notes, client.password_hash) == (
            f"Erased client #{client_id}",
            None,
            None,
            None,
            None,
        )
        assert client.erased_at is not None and client.archived_at is not None
        assert db.query(Booking).count() == 1
        billed = [(i.status, i.billed_name) for i in db.query(Invoice).order_by(Invoice.id)]
        assert billed == [("sent", "Ada Lovelace"), ("draft", None)]
        logged = db.query(AuditEntry).filter_by(entity="clients", entity_id=client_id)
        entries = [(e.action, e.before, e.after) for e in logged.order_by(AuditEntry.id)]
    assert "ada@example.com" not in str(entries) and "Ada Lovelace" not in str(entries)
    action, before, after = entries[-1]
    assert action == "erase"
    assert before == {
        "name": "(erased)",
        "email": "(erased)",
        "phone": "(erased)",
        "notes": "(erased)",
        "password_hash": "(set)",
        "archived_at": None,
        "erased_at": None,
    }
    assert after["name"] == f"Erased client #{client_id}" and after["email"] is None
    assert ada.get("/client/").status_code == 302  # the portal session ended
    assert "Ada Lovelace" in abbey.get(f"{sent}/print").get_data(as_text=True)
    assert abbey.get(erase).status_code == 404
    abbey.post_form(f"/clients/{client_id}/archive", {"archived": "0"}, token_from=edit)
    with open_db(abbey.organization) as db:
        assert db.get(Client, client_id).archived_at is not None
