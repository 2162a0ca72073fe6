"""Client search, pagination and validation; staff and equipment rules; on a real studio database."""

from __future__ import annotations

import pytest

from app.inputs import FormError
from app.models.studio import Equipment, Room, StaffAccount
from app.security.passwords import verify_password
from app.services.accounts import add_account, deactivate_account
from app.services.clients import count_clients, create_client, search_clients, set_portal_password, update_client
from app.services.equipment import create_equipment, status_counts, unusable_equipment


def test_search_by_name_or_email_any_case_with_pages(db):
    for n in range(25):
        create_client(db, {"name": f"Client {n:02d}", "email": f"c{n:02d}@example.com"})
    create_client(db, {"name": "Zoë 100%_sure", "email": "ZOE@Sound.example"})
    db.commit()
    assert count_clients(db) == 26
    rows, total = search_clients(db, page=1, per_page=10)
    assert total == 26 and [c.name for c in rows] == [f"Client {n:02d}" for n in range(10)]
    rows, total = search_clients(db, page=3, per_page=10)
    assert total == 26 and [c.name for c in rows][-1] == "Zoë 100%_sure" and len(rows) == 6
    assert [c.name for c in search_clients(db, "sound.EXAMPLE")[0]] == ["Zoë 100%_sure"]
    assert [c.name for c in search_clients(db, "client 2")[0]] == [f"Client {n}" for n in range(20, 25)]
    # LIKE wildcards in the query are plain characters.
    assert [c.name for c in search_clients(db, "%_")[0]] == ["Zoë 100%_sure"]
    assert search_clients(db, "nobody") == ([], 0)


def test_invalid_client_is_refused_with_field_errors(db):
    create_client(db, {"name": "Ada", "email": "ada@example.com"})
    with pytest.raises(FormError) as refused:
        create_client(db, {"name": "  ", "email": "not-an-email", "phone": "1" * 41})
    assert refused.value.errors == {
        "name": "Enter the client's name.",
        "email": "Enter an email address such as name@example.com.",
        "phone": "Use at most 40 characters.",
    }
    with pytest.raises(FormError) as refused:
        create_client(db, {"name": "Imposter", "email": "ADA@example.com"})
    assert refused.value.errors == {"email": "Another client already has this email."}
    assert count_clients(db) == 1


def test_portal_password_needs_an_email_and_a_good_password(db):
    client = create_client(db, {"name": "No Email"})
    with pytest.raises(FormError, match="Add the client's email first"):
        set_portal_password(db, client, "long enough password")
    update_client(db, client, {"name": "Has Email", "email": "has@example.com"})
    with pytest.raises(FormError, match="at least 10"):
        set_portal_password(db, client, "short")
    set_portal_password(db, client, "long enough password")
    assert verify_password(client.password_hash, "long enough password")
    with pytest.raises(FormError, match="keep one"):
        update_client(db, client, {"name": "Has Email", "email": ""})


def test_owner_rules(db):
    owner = db.query(StaffAccount).one()
    with pytest.raises(FormError, match="your own account"):
        deactivate_account(db, actor=owner, account_id=owner.id)
    second = add_account(db, {"name": "Second Owner", "email": "two@example.com", "password": "long enough password",
                              "role": "owner"})
    deactivate_account(db, actor=owner, account_id=second.id)
    assert second.is_active is False
    with pytest.raises(FormError) as refused:
        add_account(db, {"name": "", "email": "TWO@example.com", "password": "x", "role": "admin"})
    assert set(refused.value.errors) == {"name", "email", "password", "role"}
    helper = add_account(db, {"name": "Helper", "email": "helper@example.com", "password": "long enough password"})
    assert helper.role == "staff"
    # The only other active owner is gone; the helper (a plain staff member) can't remove the last one.
    with pytest.raises(FormError, match="at least one active owner"):
        deactivate_account(db, actor=helper, account_id=owner.id)


def test_equipment_counts_and_unusable_list(db):
    room = Room(name="A", hourly_rate_cents=0)
    db.add(room)
    db.flush()
    create_equipment(db, {"name": "Neumann U87", "status": "available", "room_id": room.id})
    create_equipment(db, {"name": "Tape machine", "status": "maintenance"})
    create_equipment(db, {"name": "Old desk", "status": "out_of_service"})
    assert status_counts(db) == {"available": 1, "in_use": 0, "maintenance": 1, "out_of_service": 1}
    assert [e.name for e in unusable_equipment(db)] == ["Old desk", "Tape machine"]
    with pytest.raises(FormError) as refused:
        create_equipment(db, {"name": "X", "status": "lost", "room_id": 999})
    assert refused.value.errors == {"status": "Choose a status from the list.",
                                    "room_id": "Choose one of the studio's rooms, or none."}
    assert db.query(Equipment).count() == 3
