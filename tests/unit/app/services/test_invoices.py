"""Invoice money and life cycle on a real studio database: exact cents, numbering, status moves."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from app.inputs import FormError
from app.models.studio import Booking, Client, Invoice, Room
from app.services.invoices import (
    client_invoices,
    compute_totals,
    create_invoice,
    record_payment,
    set_status,
    unpaid_invoices,
    update_invoice,
)


@pytest.fixture
def client_row(db):
    client = Client(name="Ada Lovelace", email="ada@example.com")
    db.add(client)
    db.commit()
    return client


def test_totals_are_exact_cents_with_tax_rounded_half_up_once():
    totals = compute_totals([(Decimal("3"), 1250), (Decimal("1"), 9999)], 2000)
    # 3 × 12.50 + 99.99 = 137.49; 20 % of it is 27.498 -> 27.50; total 164.99.
    assert totals.line_amounts == [3750, 9999]
    assert (totals.subtotal_cents, totals.tax_cents, totals.total_cents) == (13749, 2750, 16499)


def test_line_amounts_and_tax_round_half_up():
    # 1.5 × 0.33 = 0.495 -> 0.50; 5 % of 0.50 is 0.025 -> 0.03.
    totals = compute_totals([(Decimal("1.5"), 33)], 500)
    assert (totals.subtotal_cents, totals.tax_cents, totals.total_cents) == (50, 3, 53)
    assert compute_totals([], 2000).total_cents == 0


def test_created_invoice_stores_exact_totals_and_gets_its_number_when_issued(db, client_row):
    lines = [
        {"description": "Mixing", "quantity": "3", "unit_price": "12.50"},
        {"description": "Mastering", "quantity": 1, "unit_price": "99.99"},
    ]
    first = create_invoice(db, {"client_id": client_row.id, "lines": lines, "tax_rate": "20"})
    second = create_invoice(db, {"client_id": client_row.id, "lines": lines[:1], "tax_rate": "0"})
    db.commit()
    stored = db.get(Invoice, first.id)
    db.refresh(stored)
    assert (stored.number, stored.reference, stored.status) == (None, f"Draft {first.id}", "draft")
    assert (stored.subtotal_cents, stored.tax_cents, stored.total_cents) == (13749, 2750, 16499)
    assert [line.amount_cents for line in stored.lines] == [3750, 9999]
    # Numbers follow the order of issue, not of creation: no gap for a draft never sent.
    set_status(db, second, "sent")
    set_status(db, first, "sent")
    assert (second.number, first.number) == ("INV-0001", "INV-0002")


def test_concurrent_issues_get_distinct_numbers(db, client_row):
    wanted = {"client_id": client_row.id, "lines": [{"description": "Hour", "unit_price": 1}]}
    theirs, mine = create_invoice(db, wanted), create_invoice(db, wanted)
    db.commit()
    rival = Session(db.get_bind(), expire_on_commit=False)
    try:
        rival_invoice = set_status(rival, rival.get(Invoice, theirs.id), "sent")
        # Our allocation waits on the rival's lock until it commits, then sees its number.
        threading.Timer(0.5, rival.commit).start()
        set_status(db, mine, "sent")
        db.commit()
    finally:
        rival.close()
    assert (rival_invoice.number, mine.number) == ("INV-0001", "INV-0002")


def test_only_a_draft_is_edited_and_its_lines_replaced(db, client_row):
    draft = create_invoice(
        db, {"client_id": client_row.id, "lines": [{"description": "Hour", "unit_price": 1}]}
    )
    update_invoice(
        db,
        draft,
        {
            "client_id": client_row.id,
            "tax_rate": "10",
            "lines": [{"description": "Day rate", "quantity": "2", "unit_price": "300"}],
        },
    )
    db.commit()
    db.expire_all()
    assert [(line.description, line.amount_cents) for line in draft.lines] == [("Day rate", 60000)]
    assert (draft.subtotal_cents, draft.tax_cents, draft.total_cents) == (60000, 6000, 66000)
    set_status(db, draft, "sent")
    with pytest.raises(FormError) as refused:
        update_invoice(
            db, draft, {"client_id": client_row.id, "lines": [{"description": "x", "unit_price": 1}]}
        )
    assert refused.value.errors == {"form": "INV-0001 is sent: only drafts change."}


def test_deposits_and_part_payments_until_the_balance_is_cleared(db, client_row):
    invoice = create_invoice(
        db, {"client_id": client_row.id, "lines": [{"description": "Album", "unit_price": 1000}]}
    )
    with pytest.raises(FormError, match="send it first"):
        record_payment(db, invoice, {"amount": "300", "received_on": "2026-12-01"}, recorded_by_id=None)
    set_status(db, invoice, "sent")
    record_payment(
        db, invoice, {"amount": "300", "received_on": "2026-12-01", "note": "deposit"}, recorded_by_id=None
    )
    assert (invoice.paid_cents, invoice.balance_cents, invoice.status) == (30000, 70000, "sent")
    with pytest.raises(FormError) as refused:
        record_payment(db, invoice, {"amount": "700.01", "received_on": "2026-12-02"}, recorded_by_id=None)
    assert refused.value.errors == {"amount": "That is more than the balance due, €700.00."}
    with pytest.raises(FormError) as refused:
        record_payment(db, invoice, {"amount": "", "received_on": ""}, recorded_by_id=None)
    assert refused.value.errors == {
        "amount": "Enter the amount received, e.g. 100.",
        "received_on": "Enter the date it was received.",
    }
    record_payment(db, invoice, {"amount": "700", "received_on": "2026-12-20"}, recorded_by_id=None)
    db.commit()
    db.expire_all()
    assert (invoice.balance_cents, invoice.status) == (0, "paid")
    assert [(p.amount_cents, p.note) for p in invoice.payments] == [(30000, "deposit"), (70000, None)]


def test_invalid_invoice_is_refused_with_field_errors(db, client_row):
    with pytest.raises(FormError) as refused:
        create_invoice(
            db,
            {
                "client_id": client_row.id,
                "tax_rate": "200",
                "lines": [{"description": "", "quantity": "0", "unit_price": "-5"}],
            },
        )
    assert refused.value.errors == {
        "tax_rate": "Enter a percentage between 0 and 100, e.g. 20.",
        "lines-0-description": "Describe the line.",
        "lines-0-quantity": "Enter a quantity above 0.",
        "lines-0-unit_price": "Enter an amount such as 45 or 45.50 (at most 2 decimals).",
    }
    with pytest.raises(FormError) as refused:
        create_invoice(db, {"client_id": 999, "lines": []})
    assert refused.value.errors == {"client_id": "Choose a client.", "lines": "Add at least one line."}
    assert db.query(Invoice).count() == 0


def test_lines_link_only_to_the_clients_own_sessions(db, client_row):
    other = Client(name="Bob")
    room = Room(name="A", hourly_rate_cents=0)
    db.add_all([other, room])
    db.flush()
    start = datetime.now(UTC) + timedelta(days=1)
    booking = Booking(
        room_id=room.id, client_id=other.id, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    db.add(booking)
    db.commit()
    line = {"description": "Hour", "unit_price": "1.00", "booking_id": booking.id}
    with pytest.raises(FormError) as refused:
        create_invoice(db, {"client_id": client_row.id, "lines": [line]})
    assert refused.value.errors == {"lines-0-booking_id": "Choose one of this client's sessions."}
    invoice = create_invoice(db, {"client_id": other.id, "lines": [line]})
    assert invoice.lines[0].booking_id == booking.id


def test_status_transitions(db, client_row):
    hour = {"client_id": client_row.id, "lines": [{"description": "Hour", "unit_price": 1}]}
    invoice = create_invoice(db, hour)
    assert unpaid_invoices(db) == [] and client_invoices(db, client_row.id) == []
    with pytest.raises(FormError, match="A draft invoice can't be marked paid"):
        set_status(db, invoice, "paid")
    set_status(db, invoice, "sent", today=date(2026, 12, 1))
    assert (invoice.issued_on, invoice.due_on) == (date(2026, 12, 1), date(2026, 12, 31))
    assert unpaid_invoices(db) == [invoice] and client_invoices(db, client_row.id) == [invoice]
    set_status(db, invoice, "paid")
    assert unpaid_invoices(db) == []
    for refused in ("void", "draft", "sent"):
        with pytest.raises(FormError):
            set_status(db, invoice, refused)
    draft = create_invoice(db, hour)
    set_status(db, draft, "void")
    with pytest.raises(FormError, match="A void invoice can't be marked sent"):
        set_status(db, draft, "sent")
    sent = create_invoice(db, hour)
    set_status(db, sent, "sent")
    set_status(db, sent, "void")
    db.commit()
    assert [i.status for i in client_invoices(db, client_row.id)] == ["void", "void", "paid"]
