"""Input no page can use is refused with a 400 that says why, before any view or query runs; numbers
and dates from a request are bounded; the body's size and depth are limited."""

import json

import pytest

from app import limits
from app.security.input_guard import json_depth

REFUSED = "holds a control character"


def test_json_depth_counts_brackets_outside_strings():
    assert json_depth(b'{"a": "[[[{{", "b": [1, {"c": []}], "d": "\\"]"}', 10) == 4
    assert json_depth(b"[]", 10) == 1
    assert json_depth(b'"text"', 10) == 0
    # Counting stops once past the limit, so a huge body costs little.
    assert json_depth(b"[" * 100_000, 8) == 9


@pytest.mark.parametrize(
    "path, form",
    [
        ("/login", {"email": "owner\x00@abbey.example", "password": "x"}),
        ("/client/login", {"email": "a@b.example", "password": "nul\x00"}),
        ("/login", {"email\x00": "a@b.example"}),
    ],
)
def test_a_control_character_in_a_form_is_a_400_with_a_message(abbey, studio_client, path, form):
    browser = studio_client("abbey")
    response = browser.post_form(path, form)
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)


def test_a_staff_form_with_nul_is_refused_before_the_database_sees_it(staff_client):
    browser = staff_client("abbey")
    response = browser.post_form("/clients/new", {"name": "Ann\x00"}, "/clients/new")
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)
    # A textarea's line breaks and tabs are text.
    saved = browser.post_form("/clients/new", {"name": "Ann", "notes": "two\r\nlines\tok"}, "/clients/new")
    assert saved.status_code == 302


@pytest.mark.parametrize("query", ["q=%00", "q=a%0d%0ab", "page=1%00", "x%00=1"])
def test_a_control_character_in_a_query_argument_is_a_400(staff_client, query):
    response = staff_client("abbey").get(f"/clients?{query}")
    assert response.status_code == 400 and REFUSED in response.get_data(as_text=True)


def test_a_control_character_in_the_path_or_a_read_header_is_a_400(abbey, studio_client):
    browser = studio_client("abbey")
    assert browser.get("/clients%00").status_code == 400
    assert browser.get("/login", headers={"X-CSRFToken": "a\x01b"}).status_code == 400


@pytest.mark.parametrize(
    "query",
    ["page=" + "9" * 30, "page=-5", "page=abc", f"page={limits.MAX_PAGE + 1}", "page=99999999999999999999"],
)
def test_a_page_number_out_of_range_reads_as_the_first_page(staff_client, query):
    browser = staff_client("abbey")
    response = browser.get(f"/clients?{query}")
    assert response.status_code == 200 and "Clients" in response.get_data(as_text=True)
    assert browser.get(f"/audit?{query}").status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30", "x" * 100])
def test_a_date_out_of_range_reads_as_no_date(staff_client, day):
    browser = staff_client("abbey")
    assert browser.get(f"/bookings?date={day}").status_code == 200
    assert browser.get(f"/calendar?date={day}&view=week").status_code == 200


def test_an_id_beyond_integer_is_a_form_error_not_a_server_error(staff_client):
    browser = staff_client("abbey")
    response = browser.post_form(
        "/invoices/new",
        {"client_id": str(2**40), "lines-0-description": "Mixing", "lines-0-unit_price": "10"},
        "/invoices/new",
    )
    assert response.status_code == 422 and "Choose a client." in response.get_data(as_text=True)


def test_an_invoice_with_too_many_lines_is_refused_and_shows_at_most_the_limit(staff_client):
    browser = staff_client("abbey")
    lines = {f"lines-{n}-description": f"Line {n}" for n in range(limits.MAX_INVOICE_LINES + 50)}
    response = browser.post_form("/invoices/new", {"client_id": "1", **lines}, "/invoices/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"Use at most {limits.MAX_INVOICE_LINES} lines." in page
    # The page shows the first MAX_INVOICE_LINES filled rows again (and blank ones to add), no more.
    assert f'value="Line {limits.MAX_INVOICE_LINES - 1}"' in page
    assert f'value="Line {limits.MAX_INVOICE_LINES}"' not in page


def test_deeply_nested_json_is_a_400_not_a_crash(abbey, studio_client):
    body = "[" * 100_000 + "]" * 100_000
    response = studio_client("abbey").post(
        "/api/ai/chat", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert (
        response.get_json()["message"] == f"The JSON body nests deeper than {limits.MAX_JSON_DEPTH} levels."
    )


def test_nul_in_a_json_string_is_a_400(abbey, studio_client):
    body = json.dumps({"message": "hi\u0000", "conversation_id": "chat-0001"})
    response = studio_client("abbey").post(
        "/api/ai/chat", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and REFUSED in response.get_json()["message"]


def test_a_body_beyond_the_limit_is_a_413(abbey, studio_client):
    response = studio_client("abbey").post("/login", data={"email": "x" * limits.MAX_CONTENT_LENGTH})
    assert response.status_code == 413
