"""The audit log: every change through a page recorded once, by whom, with the changed fields before
and after (secrets only as set or not); shown to the owner alone, in the studio's zone."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from app.models.studio import AuditEntry, StaffAccount, StudioBase
from app.services.audit import ENTITY_LABELS
from tests.unit.app.staff.pages import add_client


def entries(open_db, organization) -> list[tuple]:
    with open_db(organization) as db:
        rows = db.query(AuditEntry).order_by(AuditEntry.id)
        return [(e.staff_id, e.entity, e.entity_id, e.action, e.before, e.after) for e in rows]


def owner_id(open_db, organization) -> int:
    with open_db(organization) as db:
        return db.query(StaffAccount).filter_by(email=f"owner@{organization.subdomain}.example").one().id


def test_an_edit_through_a_page_records_one_entry_with_the_changed_fields(open_db, abbey):
    client_id = add_client(abbey)
    owner = owner_id(open_db, abbey.organization)
    created = entries(open_db, abbey.organization)
    assert len(created) == 1
    assert created[0][:4] == (owner, "clients", client_id, "create")
    assert created[0][5]["name"] == "Ada Lovelace" and created[0][5]["email"] == "ada@example.com"
    response = abbey.post_form(
        f"/clients/{client_id}/edit", {"name": "Ada King", "email": "ada@example.com", "phone": "+44 1"}
    )
    assert response.status_code == 302
    assert entries(open_db, abbey.organization)[1:] == [
        (
            owner,
            "clients",
            client_id,
            "update",
            {"name": "Ada Lovelace", "phone": None},
            {"name": "Ada King", "phone": "+44 1"},
        )
    ]


def test_a_password_is_recorded_as_set_never_as_its_hash(open_db, abbey, invite):
    client_id = add_client(abbey)
    path = f"/clients/{client_id}/edit"
    invite(abbey, client_id, "a long portal password")  # the client sets it from the mailed link
    abbey.post_form(f"/clients/{client_id}/portal", {"action": "revoke"}, token_from=path)
    changes = [entry[3:] for entry in entries(open_db, abbey.organization)[1:]]
    assert changes == [
        ("update", {"password_hash": None}, {"password_hash": "(set)"}),
        ("update", {"password_hash": "(set)"}, {"password_hash": None}),
    ]


def test_actions_are_named_from_what_changed(open_db, abbey):
    client_id = add_client(abbey)
    line = {"lines-0-description": "Tracking", "lines-0-quantity": "1", "lines-0-unit_price": "400"}
    path = abbey.post_form("/invoices/new", {"client_id": client_id, **line}).headers["Location"]
    abbey.post_form(f"{path}/status", {"status": "sent"}, token_from=path)
    abbey.post_form(f"{path}/payments", {"amount": "400", "received_on": "2026-12-01"}, token_from=path)
    edit = f"/clients/{client_id}/edit"
    abbey.post_form(f"/clients/{client_id}/archive", {"archived": "1"}, token_from=edit)
    abbey.post_form(f"/clients/{client_id}/archive", {"archived": "0"}, token_from=edit)
    actions = [(entity, action) for _, entity, _, action, _, _ in entries(open_db, abbey.organization)]
    assert [a for a in actions if a[0] != "invoice_numbers"] == [
        ("clients", "create"),
        ("invoices", "create"),
        ("invoice_lines", "create"),
        ("invoices", "issue"),
        ("payments", "payment"),
        ("invoices", "paid"),
        ("clients", "archive"),
        ("clients", "restore"),
    ]


def test_the_owner_sees_the_log_in_the_studio_zone_and_staff_get_403(open_db, abbey, studio_client):
    abbey.post_form("/settings", {"time_zone": "Asia/Tokyo", "currency": "EUR", "language": "en"})
    add_client(abbey)
    abbey.post_form(
        "/accounts",
        {"name": "Sam", "email": "sam@abbey.example", "password": "long enough password", "role": "staff"},
    )
    with open_db(abbey.organization) as db:
        created = db.query(AuditEntry).filter_by(entity="clients").one().at
    page = abbey.get("/audit?entity=clients").get_data(as_text=True)
    shown = re.findall(r'data-label="When">([^<]*)<', page)
    # Tokyo is UTC+9, without daylight saving.
    assert shown == [created.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M:%S")]
    assert "Owner of abbey" in page and "Staff account #" not in page
    assert "Staff account #" in abbey.get("/audit").get_data(as_text=True)
    sam = studio_client("abbey")
    sam.post_form("/login", {"email": "sam@abbey.example", "password": "long enough password"})
    assert sam.get("/audit").status_code == 403


def test_another_studio_never_sees_the_entries(open_db, abbey, staff_client):
    add_client(abbey)
    bonham = staff_client("bonham")
    page = bonham.get("/audit").get_data(as_text=True)
    assert "Nothing recorded yet." in page and "Ada" not in page
    assert entries(open_db, bonham.organization) == []
    assert len(entries(open_db, abbey.organization)) == 1


def test_every_table_the_log_records_has_a_name_on_its_page():
    assert set(ENTITY_LABELS) == set(StudioBase.metadata.tables) - {"audit_entries"}
