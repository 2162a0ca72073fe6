"""Client search, pagination, validation and portal passwords on a real studio database."""

from __future__ import annotations

from datetime import date

import pytest

from app.inputs import FormError
from app.models.studio import Invoice
from app.services.clients import (
    count_clients,
    create_client,
    erase_personal_data,
    portal_invitation_problem,
    search_clients,
    update_client,
)
from app.services.invoices import create_invoice, set_status


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


def test_a_portal_invitation_needs_an_email(db):
    client = create_client(db, {"name": "No Email"})
    assert portal_invitation_problem(client) == "Add the client's email first: it is their portal sign-in."
    update_client(db, client, {"name": "Has Email", "email": "has@example.com"})
    assert portal_invitation_problem(client) is None
    client.password_hash = "set"
    with pytest.raises(FormError, match="keep one"):
        update_client(db, client, {"name": "Has Email", "email": ""})


def test_erasure_copies_the_name_onto_invoices_issued_before_names_were_copied(db):
    ada = create_client(db, {"name": "Ada", "email": "ada@example.com"})
    lines = {"lines": [{"description": "Tracking", "unit_price": 100}]}
    older, issued, draft = (create_invoice(db, {"client_id": ada.id, **lines}) for _ in range(3))
    for invoice in (older, issued):
        set_status(db, invoice, "sent", today=date(2026, 12, 1))
    older.billed_name = None  # as the release before billed names left it
    with pytest.raises(FormError) as refused:
        erase_personal_data(db, ada.id, "ada")
    assert refused.value.errors == {"confirmation": "Type the client's name exactly as shown to confirm."}
    erase_personal_data(db, ada.id, " Ada ")
    assert [(i.billed_name, i.billed_to) for i in (older, issued, draft)] == [
        ("Ada", "Ada"),
        ("Ada", "Ada"),
        (None, f"Erased client #{ada.id}"),
    ]
    assert db.query(Invoice).count() == 3
    with pytest.raises(FormError):
        erase_personal_data(db, ada.id, ada.name)
