"""Staff pages for invoices: exact totals from the form, status moves, refused input."""

from __future__ import annotations

from app.models.studio import Invoice
from e2e.fakes.smtp_sink import text_part
from tests.unit.app.staff.pages import add_client, count, field_error, ids


def test_invoice_form_computes_exact_totals_and_moves_status(open_db, abbey):
    client_id = add_client(abbey)
    response = abbey.post_form(
        "/invoices/new",
        {
            "client_id": client_id,
            "tax_rate": "20",
            "line_count": "3",
            "lines-0-description": "Mixing",
            "lines-0-quantity": "3",
            "lines-0-unit_price": "12.50",
            "lines-2-description": "Mastering",
            "lines-2-quantity": "1",
            "lines-2-unit_price": "99.99",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    path = response.headers["Location"]
    page = abbey.get(path).get_data(as_text=True)
    assert "INV-0001" not in page and "€137.49" in page and "€27.50" in page and "€164.99" in page
    with open_db(abbey.organization) as db:
        invoice = db.query(Invoice).one()
        assert (invoice.subtotal_cents, invoice.tax_cents, invoice.total_cents, invoice.status) == (
            13749,
            2750,
            16499,
            "draft",
        )
    assert 'value="paid"' not in page and 'value="sent"' in page
    for status in ("sent", "paid"):
        assert abbey.post_form(f"{path}/status", {"status": status}, token_from=path).status_code == 302
    page = abbey.get(path).get_data(as_text=True)
    assert "INV-0001" in page and 'value="void"' not in page
    abbey.post_form(f"{path}/status", {"status": "void"}, token_from=path)
    assert "A paid invoice can&#39;t be marked void." in abbey.get(path).get_data(as_text=True)
    assert ids(open_db, abbey.organization, Invoice, status="paid")


def test_invalid_invoice_gets_422_and_no_row(open_db, abbey):
    client_id = add_client(abbey)
    response = abbey.post_form(
        "/invoices/new",
        {
            "client_id": client_id,
            "tax_rate": "150",
            "lines-0-description": "",
            "lines-0-quantity": "abc",
            "lines-0-unit_price": "5",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "tax_rate") == "Enter a percentage between 0 and 100, e.g. 20."
    assert field_error(page, "lines-0-description") == "Describe the line."
    assert field_error(page, "lines-0-quantity") == "Enter a number such as 1 or 2.5."
    response = abbey.post_form("/invoices/new", {"client_id": "", "tax_rate": "20"})
    page = response.get_data(as_text=True)
    assert field_error(page, "client_id") == "Choose a client." and "Add at least one line." in page
    assert count(open_db, abbey.organization, Invoice) == 0


def test_a_draft_is_edited_then_sent_then_paid_in_two_payments(open_db, abbey):
    client_id = add_client(abbey)
    abbey.post_form("/settings", {"time_zone": "Europe/Paris", "currency": "EUR", "language": "fr"})
    new_page = abbey.get("/invoices/new").get_data(as_text=True)
    assert 'id="tax_rate" name="tax_rate" type="text" value="0"' in new_page
    line = {"lines-0-description": "Tracking", "lines-0-quantity": "1", "lines-0-unit_price": "400"}
    path = abbey.post_form("/invoices/new", {"client_id": client_id, **line}).headers["Location"]
    edit = abbey.get(f"{path}/edit").get_data(as_text=True)
    assert 'value="Tracking"' in edit and 'value="400.00"' in edit
    changed = {"client_id": client_id, "tax_rate": "20", **line, "lines-0-unit_price": "500"}
    assert abbey.post_form(f"{path}/edit", changed).status_code == 302
    page = abbey.get(path).get_data(as_text=True)
    assert "600,00\xa0€" in page  # 500 + 20 %, as French writes euros
    abbey.post_form(f"{path}/status", {"status": "sent"}, token_from=path)
    assert abbey.get(f"{path}/edit").status_code == 302
    refused = abbey.post_form(
        f"{path}/payments", {"amount": "601", "received_on": "2026-12-01"}, token_from=path
    )
    assert refused.status_code == 422
    assert (
        field_error(refused.get_data(as_text=True), "amount")
        == "That is more than the balance due, 600,00\xa0€."
    )
    for amount in ("200", "400"):
        response = abbey.post_form(
            f"{path}/payments", {"amount": amount, "received_on": "2026-12-01"}, token_from=path
        )
        assert response.status_code == 302
    with open_db(abbey.organization) as db:
        invoice = db.query(Invoice).one()
        assert (invoice.number, invoice.status, invoice.balance_cents) == ("INV-0001", "paid", 0)
    printed = abbey.get(f"{path}/print").get_data(as_text=True)
    assert "INV-0001" in printed and "1 déc. 2026" in printed and '<html lang="fr">' in printed


def test_an_issued_invoice_is_emailed_to_its_client_with_its_pdf(abbey, outbox):
    client_id = add_client(abbey)
    line = {"lines-0-description": "Tracking", "lines-0-quantity": "2", "lines-0-unit_price": "50"}
    path = abbey.post_form("/invoices/new", {"client_id": client_id, **line}).headers["Location"]
    assert "Email to client" not in abbey.get(path).get_data(as_text=True)  # a draft has no number yet
    refused = abbey.post_form(f"{path}/email", {}, token_from=path)
    assert refused.status_code == 302
    assert "Only an issued invoice" in abbey.get(path).get_data(as_text=True)
    abbey.post_form(f"{path}/status", {"status": "sent"}, token_from=path)
    assert "Email to client" in abbey.get(path).get_data(as_text=True)
    abbey.post_form(f"{path}/email", {}, token_from=path)
    assert "INV-0001 is on its way to" in abbey.get(path).get_data(as_text=True)
    [message] = [m for m in outbox.deliver() if m["Subject"] == "Invoice INV-0001 from Abbey"]
    assert message.get_content_type() == "multipart/mixed"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "INV-0001.pdf" and attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    assert "€100.00" in text_part(message)
