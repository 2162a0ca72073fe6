"""The studio settings page: owner only; its time zone changes what the booking form's times mean."""

from datetime import UTC, timedelta

from app.models.studio import Booking, Room, StudioProfile
from tests.unit.app.staff.pages import DAY, add_client, add_room, book, field_error, ids

SETTINGS = {
    "legal_name": "Abbey SAS",
    "address": "1 rue du Son",
    "tax_id": "FR1",
    "time_zone": "Asia/Tokyo",
    "currency": "JPY",
    "default_tax_rate": "10",
    "language": "en",
}


def test_the_owner_saves_the_settings_and_sees_them_again(abbey, open_db):
    page = abbey.get("/settings").get_data(as_text=True)
    assert '<option value="Europe/Paris">Europe/Paris</option>' in page
    response = abbey.post_form("/settings", SETTINGS)
    assert response.status_code == 302
    with open_db(abbey.organization) as db:
        profile = db.get(StudioProfile, 1)
        assert (profile.time_zone, profile.currency, profile.default_tax_rate_bp) == (
            "Asia/Tokyo",
            "JPY",
            1000,
        )
    page = abbey.get("/settings").get_data(as_text=True)
    assert '<option value="Asia/Tokyo" selected>' in page and 'value="10"' in page


def test_a_refused_setting_is_shown_beside_its_field(abbey):
    response = abbey.post_form("/settings", {**SETTINGS, "time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert (
        field_error(response.get_data(as_text=True), "time_zone")
        == "Choose a time zone such as Europe/Paris."
    )


def test_staff_who_are_not_owners_cannot_open_the_settings(abbey, studio_client):
    sam_account = {
        "name": "Sam",
        "email": "sam@abbey.example",
        "password": "long enough password",
        "role": "staff",
    }
    assert abbey.post_form("/accounts", sam_account).status_code == 302
    sam = studio_client("abbey")
    sign_in = {"email": "sam@abbey.example", "password": "long enough password"}
    assert sam.post_form("/login", sign_in).status_code == 302
    assert sam.get("/settings").status_code == 403
    assert sam.post_form("/settings", SETTINGS, token_from="/dashboard").status_code == 403
    assert "/settings" not in sam.get("/dashboard").get_data(as_text=True)


def test_booking_times_are_the_studios_wall_times(abbey, open_db):
    assert abbey.post_form("/settings", SETTINGS).status_code == 302
    add_room(abbey)
    client_id = add_client(abbey)
    room_id = ids(open_db, abbey.organization, Room)[0]
    assert book(abbey, room_id, client_id, 14, 16).status_code == 302
    with open_db(abbey.organization) as db:
        booking = db.query(Booking).one()
        # 14:00 in Tokyo (+09:00) is 05:00 UTC.
        assert booking.starts_at == (DAY + timedelta(hours=5)).replace(tzinfo=UTC)
    listing = abbey.get(f"/bookings?date={DAY:%Y-%m-%d}").get_data(as_text=True)
    assert 'data-label="When">14:00–16:00' in listing and "When (Asia/Tokyo)" in listing


def test_the_owner_downloads_csv_exports_and_staff_cannot(abbey, studio_client):
    add_client(abbey)
    page = abbey.get("/settings").get_data(as_text=True)
    assert 'href="/export/clients.csv"' in page and 'href="/export/invoices.csv"' in page
    export = abbey.get("/export/clients.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert export.headers["Content-Disposition"].startswith('attachment; filename="abbey-clients-')
    assert export.get_data(as_text=True).splitlines()[1].split(",")[1:3] == [
        "Ada Lovelace",
        "ada@example.com",
    ]
    assert abbey.get("/export/passwords.csv").status_code == 404
    sam_account = {
        "name": "Sam",
        "email": "sam@abbey.example",
        "password": "long enough password",
        "role": "staff",
    }
    abbey.post_form("/accounts", sam_account)
    sam = studio_client("abbey")
    sam.post_form("/login", {"email": "sam@abbey.example", "password": "long enough password"})
    assert sam.get("/export/clients.csv").status_code == 403
