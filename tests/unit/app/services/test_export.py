"""CSV exports by exact output on a real studio database: wall times with offsets, decimal amounts,
and no cell a spreadsheet would run as a formula."""

from datetime import UTC, date, datetime

from app.models.studio import Booking, Client, Invoice, Payment, Room
from app.services.export import bookings_csv, cell, clients_csv, invoices_csv
from app.services.studio_profile import studio_profile


def test_a_cell_that_would_be_a_formula_is_quoted():
    assert [cell(v) for v in ("=1+1", "+33 6", "-5", "@SUM(A1)", "Ada", None, 7)] == [
        "'=1+1",
        "'+33 6",
        "'-5",
        "'@SUM(A1)",
        "Ada",
        "",
        "7",
    ]


def test_exports_in_the_studios_zone_and_currency(db):
    profile = studio_profile(db)
    profile.time_zone, profile.currency = "Europe/Paris", "CHF"
    ada = Client(
        name='=HYPERLINK("x")',
        email="ada@example.com",
        phone="+41 22",
        created_at=datetime(2027, 1, 5, tzinfo=UTC),
    )
    room = Room(name="Live", hourly_rate_cents=0)
    db.add_all([ada, room])
    db.flush()
    start = datetime(2027, 7, 1, 12, tzinfo=UTC)
    db.add(
        Booking(
            room_id=room.id,
            client_id=ada.id,
            starts_at=start,
            ends_at=start.replace(hour=14),
            status="booked",
        )
    )
    invoice = Invoice(
        number="INV-0001",
        client_id=ada.id,
        status="sent",
        issued_on=date(2027, 7, 2),
        subtotal_cents=10000,
        tax_cents=2000,
        total_cents=12000,
    )
    invoice.payments.append(Payment(amount_cents=5000, received_on=date(2027, 7, 3)))
    db.add(invoice)
    db.flush()
    assert clients_csv(db) == (
        "id,name,email,phone,notes,portal_access,created_at\r\n"
        f'{ada.id},"\'=HYPERLINK(""x"")",ada@example.com,\'+41 22,,no,2027-01-05T00:00:00+00:00\r\n'
    )
    assert bookings_csv(db).splitlines()[1] == (
        '1,Live,"\'=HYPERLINK(""x"")",2027-07-01T14:00:00+02:00,2027-07-01T16:00:00+02:00,booked,'
    )
    assert invoices_csv(db).splitlines()[1] == (
        f'{invoice.id},INV-0001,"\'=HYPERLINK(""x"")",sent,2027-07-02,,CHF,100.00,20.00,120.00,50.00,70.00'
    )
