"""The client portal: a client signs in and sees only their own upcoming bookings and issued invoices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.models.studio import Client, Room
from app.services.bookings import create_booking
from app.services.invoices import create_invoice, set_status
from app.services.studio_profile import studio_profile
from e2e.fakes.smtp_sink import text_part

PORTAL_PASSWORD = "client portal password"


SOON = (datetime.now(UTC) + timedelta(days=3)).replace(hour=0, minute=0, second=0, microsecond=0)


@pytest.fixture
def studio(open_db, staff_client, invite):
    """abbey with two clients, each with a booking and invoices; Ada accepted the portal invitation."""
    owner = staff_client("abbey")
    with open_db(owner.organization) as db:
        room = Room(name="Live Room", hourly_rate_cents=5000)
        ada, bob = Client(name="Ada", email="ada@example.com"), Client(name="Bob", email="bob@example.com")
        db.add_all([room, ada, bob])
        db.flush()
        for client, hour in ((ada, 10), (bob, 14)):
            create_booking(
                db,
                {
                    "room_id": room.id,
                    "client_id": client.id,
                    "starts_at": SOON + timedelta(hours=hour),
                    "ends_at": SOON + timedelta(hours=hour + 2),
                    "notes": f"{client.name}'s session",
                },
            )
        past = SOON - timedelta(days=4)
        create_booking(
            db,
            {
                "room_id": room.id,
                "client_id": ada.id,
                "starts_at": past,
                "ends_at": past + timedelta(hours=1),
                "notes": "Ada's past session",
            },
        )
        ada_sent = create_invoice(
            db,
            {
                "client_id": ada.id,
                "lines": [{"description": "Ada tracking", "quantity": 2, "unit_price": 50}],
            },
        )
        set_status(db, ada_sent, "sent")
        ada_draft = create_invoice(
            db, {"client_id": ada.id, "lines": [{"description": "Ada draft", "unit_price": 1}]}
        )
        bob_sent = create_invoice(
            db, {"client_id": bob.id, "lines": [{"description": "Bob mixing", "unit_price": "77.77"}]}
        )
        set_status(db, bob_sent, "sent")
        ids = {
            "ada": ada.id,
            "bob_invoice": bob_sent.id,
            "ada_invoice": ada_sent.id,
            "ada_draft": ada_draft.id,
        }
    invite(owner, ids["ada"], PORTAL_PASSWORD)
    return owner, ids


def test_client_sees_only_their_own_upcoming_bookings_and_issued_invoices(studio, studio_client):
    _owner, ids = studio
    ada = studio_client("abbey")
    response = ada.post_form("/client/login", {"email": "ada@example.com", "password": PORTAL_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/client/"
    page = ada.get("/client/").get_data(as_text=True)
    assert "Ada&#39;s session" in page and "10:00–12:00" in page
    assert "Bob" not in page and "14:00–16:00" not in page
    assert "past session" not in page
    assert "INV-0001" in page and "€100.00" in page
    assert "Draft" not in page  # Ada's draft is not issued yet
    assert "INV-0002" not in page and "77.77" not in page  # Bob's
    detail = ada.get(f"/client/invoices/{ids['ada_invoice']}")
    assert detail.status_code == 200 and "Ada tracking" in detail.get_data(as_text=True)
    assert ada.get(f"/client/invoices/{ids['bob_invoice']}").status_code == 404
    assert ada.get(f"/client/invoices/{ids['ada_draft']}").status_code == 404


def test_client_without_portal_access_cannot_sign_in_and_staff_pages_refuse_clients(studio, studio_client):
    bob = studio_client("abbey")
    response = bob.post_form("/client/login", {"email": "bob@example.com", "password": PORTAL_PASSWORD})
    assert response.status_code == 401
    ada = studio_client("abbey")
    ada.post_form("/client/login", {"email": "ada@example.com", "password": PORTAL_PASSWORD})
    assert ada.get("/clients").status_code == 302  # a client is not staff
    assert ada.get("/dashboard").status_code == 302


def test_staff_invite_clients_and_never_set_their_password(studio, open_db, outbox):
    owner, ids = studio
    outbox.sink.reset()  # the studio's bookings and Ada's invitation were mailed
    edit = owner.get(f"/clients/{ids['ada']}/edit").get_data(as_text=True)
    assert 'type="password"' not in edit and "Remove access" in edit
    with open_db(owner.organization) as db:
        bob = db.query(Client).filter_by(name="Bob").one()
        bob.email = None
        bob_id = bob.id
    refused = owner.post_form(
        f"/clients/{bob_id}/portal", {"action": "invite"}, token_from=f"/clients/{bob_id}/edit"
    )
    assert refused.status_code == 422
    assert "Add the client&#39;s email first" in refused.get_data(as_text=True)
    assert outbox.deliver() == []


def test_the_invitation_is_in_the_studios_language_with_its_name(studio, open_db, outbox):
    owner, _ids = studio
    outbox.sink.reset()
    with open_db(owner.organization) as db:
        studio_profile(db).language = "fr"
        carol = Client(name="Carol", email="carol@example.com")
        db.add(carol)
        db.flush()
        carol_id = carol.id
    owner.post_form(
        f"/clients/{carol_id}/portal", {"action": "invite"}, token_from=f"/clients/{carol_id}/edit"
    )
    [message] = outbox.deliver()
    assert message["To"] == "carol@example.com"
    assert message["Subject"] == "Votre portail client chez Abbey"
    assert "vous invite sur son portail client" in text_part(message)


def test_revoked_client_can_no_longer_sign_in(studio, studio_client):
    owner, ids = studio
    owner.post_form(
        f"/clients/{ids['ada']}/portal", {"action": "revoke"}, token_from=f"/clients/{ids['ada']}/edit"
    )
    ada = studio_client("abbey")
    response = ada.post_form("/client/login", {"email": "ada@example.com", "password": PORTAL_PASSWORD})
    assert response.status_code == 401


def test_client_prints_and_downloads_the_pdf_of_only_their_own_issued_invoices(
    studio, studio_client, staff_client
):
    owner, ids = studio
    settings = {
        "legal_name": "Abbey Road SAS",
        "address": "3 Abbey Road",
        "tax_id": "FR123",
        "time_zone": "UTC",
    }
    assert owner.post_form("/settings", {**settings, "currency": "EUR", "language": "en"}).status_code == 302
    ada = studio_client("abbey")
    ada.post_form("/client/login", {"email": "ada@example.com", "password": PORTAL_PASSWORD})
    printed = ada.get(f"/client/invoices/{ids['ada_invoice']}/print")
    page = printed.get_data(as_text=True)
    assert printed.status_code == 200 and "Content-Disposition" not in printed.headers
    assert "Abbey Road SAS" in page and "3 Abbey Road" in page and "FR123" in page
    assert "INV-0001" in page and "Ada tracking" in page and "€100.00" in page
    pdf = ada.get(f"/client/invoices/{ids['ada_invoice']}/pdf")
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="INV-0001.pdf"'
    assert pdf.data.startswith(b"%PDF-")
    for other in (ids["bob_invoice"], ids["ada_draft"]):
        assert ada.get(f"/client/invoices/{other}/print").status_code == 404
        assert ada.get(f"/client/invoices/{other}/pdf").status_code == 404
    # The same id in another studio is that studio's (here none): abbey's invoice never shows there.
    olympic_owner = staff_client("olympic")
    assert olympic_owner.get(f"/invoices/{ids['ada_invoice']}/print").status_code == 404
    assert olympic_owner.get(f"/invoices/{ids['ada_invoice']}/pdf").status_code == 404
    assert owner.get(f"/invoices/{ids['ada_invoice']}/print").status_code == 200
    assert owner.get(f"/invoices/{ids['ada_invoice']}/pdf").data.startswith(b"%PDF-")
