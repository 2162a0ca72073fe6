"""Staff pages for clients: refused input, create, edit, search and pagination."""

from __future__ import annotations

from app.models.studio import Client
from tests.unit.app.staff.pages import add_client, count, field_error


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
