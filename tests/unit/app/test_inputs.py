"""The input layer by exact output: parsers, one FormError for every refused field, rows, schemas."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from werkzeug.datastructures import MultiDict

from app.inputs import (
    Field,
    FormError,
    Input,
    Rows,
    checkbox,
    choice,
    day,
    email_address,
    format_cents,
    identifier,
    money,
    page_number,
    parse_money,
    parse_percent,
    place_in_zone,
    positive_quantity,
    show_money,
    text,
    wall_time,
)
from app.models.studio import EquipmentStatus


class Line(Input):
    description = Field("Description", text(20), required="Describe the line.")
    quantity = Field("Qty", positive_quantity, empty=Decimal(1))


class Order(Input):
    client_id = Field(
        "Client", identifier("Choose a client."), required="Choose a client.", schema={"type": "integer"}
    )
    price = Field("Price", money, attr="price_cents", show=show_money)
    status = Field("Status", choice(EquipmentStatus, "Choose a status."), empty=EquipmentStatus.AVAILABLE)
    paid = Field("Paid", checkbox, empty=False)
    lines = Rows("Lines", Line, max_rows=3, required="Add a line.")

    def check(self, db, errors):
        if "client_id" not in errors and self.client_id == 13:
            errors["client_id"] = "Not that one."


def test_a_form_and_json_give_the_same_values():
    form = MultiDict(
        {
            "client_id": " 7 ",
            "price": "12,5",
            "status": "in_use",
            "paid": "on",
            "lines-0-description": "Mixing",
            "lines-0-quantity": "2.5",
            "lines-1-description": "",
            "lines-1-quantity": "",
            "lines-3-description": "Mastering",
        }
    )
    json = {
        "client_id": 7,
        "price": "12.50",
        "status": "in_use",
        "paid": True,
        "lines": [{"description": "Mixing", "quantity": 2.5}, {}, {"description": "Mastering"}],
    }
    for data in (form, json):
        order = Order.parse(data)
        assert order.values() == {
            "client_id": 7,
            "price_cents": 1250,
            "status": EquipmentStatus.IN_USE,
            "paid": True,
            "lines": order.lines,
        }
        assert [line.values() for line in order.lines] == [
            {"description": "Mixing", "quantity": Decimal("2.5")},
            {"description": "Mastering", "quantity": Decimal(1)},
        ]


def test_blank_optional_fields_are_empty_and_one_form_error_names_every_refusal():
    order = Order.parse({"client_id": "1", "lines": [{"description": "x"}]})
    assert (order.price, order.status, order.paid) == (None, EquipmentStatus.AVAILABLE, False)
    with pytest.raises(FormError) as refused:
        Order.parse(
            {
                "client_id": True,
                "price": "-1",
                "status": "lost",
                "lines-0-description": "y" * 21,
                "lines-5-quantity": "0",
            }
        )
    assert refused.value.errors == {
        "client_id": "Choose a client.",
        "price": "Enter an amount such as 45 or 45.50 (at most 2 decimals).",
        "status": "Choose a status.",
        # Rows are numbered by position among the filled ones: the second filled row is lines-1.
        "lines-0-description": "Use at most 20 characters.",
        "lines-1-description": "Describe the line.",
        "lines-1-quantity": "Enter a quantity above 0.",
    }
    with pytest.raises(FormError) as refused:
        Order.parse({"client_id": 13, "lines": []})
    assert refused.value.errors == {"client_id": "Not that one.", "lines": "Add a line."}
    assert str(refused.value) == "lines: Add a line.; client_id: Not that one."


def test_wall_times_stay_naive_unless_they_carry_an_offset():
    parse = wall_time("Enter a time.")
    assert parse("2030-01-07T14:00") == datetime(2030, 1, 7, 14)
    assert parse("2030-01-07") == datetime(2030, 1, 7)
    assert parse("2030-01-07T15:00+01:00") == datetime(2030, 1, 7, 14, tzinfo=UTC)
    assert parse(datetime(2030, 1, 7, tzinfo=UTC)) == datetime(2030, 1, 7, tzinfo=UTC)
    for bad in ("tomorrow", 20300107, date(2030, 1, 7) + timedelta(days=1)):
        with pytest.raises(ValueError, match="Enter a time."):
            parse(bad)


class Slot(Input):
    starts_at = Field("Starts", wall_time("Enter a time."))
    ends_at = Field("Ends", wall_time("Enter a time."))


def test_wall_times_are_placed_in_the_zone_across_daylight_saving():
    paris = ZoneInfo("Europe/Paris")
    # Paris: clocks go forward at 02:00 on 2027-03-28 (+01:00 -> +02:00), back at 03:00 on 2027-10-31.
    slot = Slot(starts_at=datetime(2027, 3, 27, 14), ends_at=datetime(2027, 3, 28, 14))
    errors: dict[str, str] = {}
    place_in_zone(slot, ("starts_at", "ends_at"), paris, errors)
    assert errors == {}
    assert (slot.starts_at, slot.ends_at) == (
        datetime(2027, 3, 27, 13, tzinfo=UTC),
        datetime(2027, 3, 28, 12, tzinfo=UTC),
    )

    skipped = Slot(starts_at=datetime(2027, 3, 28, 2, 30), ends_at=datetime(2027, 10, 31, 2, 30))
    place_in_zone(skipped, ("starts_at", "ends_at"), paris, errors)
    assert errors == {
        "starts_at": "2027-03-28 02:30 does not exist in Europe/Paris: the clocks go forward then."
    }
    # 02:30 happens twice when the clocks go back: the first time, still summer time (+02:00).
    assert skipped.ends_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_quantities_and_text():
    assert positive_quantity("2,25") == Decimal("2.25")
    for bad, message in (("abc", "Enter a number"), ("0", "above 0"), ("1.005", "at most 2 decimals")):
        with pytest.raises(ValueError, match=message):
            positive_quantity(bad)
    assert text(5)("  abc  ") == "abc"
    with pytest.raises(ValueError, match="Enter text."):
        text(5)(42)


def test_schema_and_shown_values_come_from_the_same_fields():
    assert Order.json_schema() == {
        "type": "object",
        "properties": {
            "client_id": {"type": "integer"},
            "price": {"type": "string"},
            "status": {"type": "string"},
            "paid": {"type": "string"},
            "lines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"description": {"type": "string"}, "quantity": {"type": "string"}},
                    "required": ["description"],
                },
                "maxItems": 3,
            },
        },
        "required": ["client_id", "lines"],
    }

    class Row:
        client_id, price_cents, status, paid, lines = 3, 4550, EquipmentStatus.MAINTENANCE, True, []

    assert Order.shown(Row()) == {
        "client_id": 3,
        "price": "45.50",
        "status": EquipmentStatus.MAINTENANCE,
        "paid": True,
        "lines": [],
    }


def test_money_and_tax_rate_parsing():
    assert parse_money("12.50") == 1250
    assert parse_money("12,5") == 1250
    assert parse_money("99.99") == 9999
    assert parse_money(7) == 700
    for bad in ("-1", "1.234", "abc", "", "1e3"):
        with pytest.raises(ValueError):
            parse_money(bad)
    assert parse_percent("20") == 2000
    assert parse_percent("5.5 %") == 550
    assert parse_percent("") == 0
    for bad in ("101", "-1", "5.555", "abc"):
        with pytest.raises(ValueError):
            parse_percent(bad)
    assert format_cents(1234567) == "12,345.67"
    assert format_cents(5) == "0.05"


def test_numbers_stay_inside_what_postgresql_and_python_accept():
    read_id = identifier("Choose a client.")
    assert read_id(str(2**31 - 1)) == 2**31 - 1
    assert read_id(7) == 7
    for bad in (2**31, 10**30, -1, str(2**31), "9" * 18):
        with pytest.raises(ValueError, match="Choose a client."):
            read_id(bad)
    assert page_number("10000") == 10000
    for bad in ("10001", 10**30, "0"):
        with pytest.raises(ValueError, match="page must be an integer from 1 to 10000."):
            page_number(bad)


def test_dates_stay_inside_the_declared_years():
    parse = wall_time("Enter a time.")
    assert parse("2200-12-31T23:00") == datetime(2200, 12, 31, 23)
    assert day("1900-01-01") == date(1900, 1, 1)
    for bad in ("9999-12-31T23:59", "0001-01-01T00:00+05:00", "2201-01-01", "1899-12-31"):
        with pytest.raises(ValueError, match="Enter a time."):
            parse(bad)
    for bad in ("9999-12-31", "0001-01-01", date(2201, 1, 1)):
        with pytest.raises(ValueError, match="Enter a date."):
            day(bad)


def test_control_characters_are_refused_in_text_but_line_breaks_are_text():
    assert text(50)("two\r\nlines\tand a tab") == "two\r\nlines\tand a tab"
    for bad in ("nul\x00", "bell\x07", "del\x7f", "esc\x1b[31m"):
        with pytest.raises(ValueError, match="Remove the control characters"):
            text(50)(bad)
    with pytest.raises(ValueError, match="Enter an email address"):
        email_address("a\x00b@example.com")


def test_rows_beyond_the_limit_are_refused_and_not_shown_again():
    form = MultiDict({"client_id": "1", **{f"lines-{n}-description": f"line {n}" for n in range(5)}})
    with pytest.raises(FormError) as refused:
        Order.parse(form)
    assert refused.value.errors == {"lines": "Use at most 3 lines."}
    assert [row["description"] for row in Order.fields["lines"].rows(form, "lines")] == [
        "line 0",
        "line 1",
        "line 2",
    ]
    # A row number too long to be an order is no row at all.
    assert Order.fields["lines"].rows(MultiDict({"lines-" + "9" * 5000 + "-description": "x"}), "lines") == []
