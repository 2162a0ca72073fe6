"""Reading input: one small class per entity turns a form or a JSON object into typed values.

An input class declares its fields. `parse(data, db)` reads each one from a mapping, either a
page's `request.form` (all strings) or the assistant's JSON tool input (numbers and strings), then
runs the class's `check` for the rules that need the database or several fields, and raises one
FormError naming every refused field. Pages and the assistant call the same service, which parses
with the same class, so a refusal reads the same everywhere.

Why not WTForms: WTForms coerces only form data (`process_formdata`); a JSON object passed as
`data=` skips its coercion, so the assistant's input would be checked differently from the form's.
Here a field's parser takes either, and the same declaration also gives the tool's JSON schema and
the form's widgets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, ClassVar, Self
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import limits
from app.models.enums import LabelledEnum
from app.security.passwords import password_problem
from app.zones import to_utc

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Text may hold tabs and line breaks (a textarea's notes); no other control character is text, and
# PostgreSQL refuses NUL in a text column outright.
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NO_CONTROL = "Remove the control characters (such as NUL) from this text."
_MONEY = re.compile(r"\d{1,7}(?:[.,]\d{1,2})?")
_DIGITS = re.compile(r"\d{1,18}")
WHEN = (
    "ISO 8601 date or date-time, e.g. 2026-12-01 or 2026-12-01T14:00; "
    "in the studio's time zone unless it carries an offset; a bare date means midnight there"
)


class FormError(ValueError):
    """Input refused; `errors` maps a field name ("form" for the whole input) to its message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{name}: {message}" for name, message in self.errors.items()))


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def _show(value: Any) -> Any:
    return "" if value is None else value


@dataclass(frozen=True)
class Field:
    """One input field: how to read it, and how a page shows it.

    `parse` turns a non-blank raw value (a form's string or a JSON value) into the typed value, or
    raises ValueError with the message for the user. A blank value is refused with `required`
    when given, else read as `empty`.
    """

    label: str
    parse: Callable[[Any], Any]
    required: str | None = None
    empty: Any = None
    # The model attribute the value goes to, when it is not the field's name.
    attr: str | None = None
    # The page's control: an <input> type, "textarea", "select" or "checkbox".
    widget: str = "text"
    hint: str | None = None
    attrs: str = ""
    # A select's first, empty option; its other options come from `choices` or the page.
    blank: str | None = None
    choices: type[LabelledEnum] | None = None
    # value -> what the control shows when the page edits an existing row
    show: Callable[[Any], Any] = _show
    schema: Mapping[str, Any] = field(default_factory=lambda: {"type": "string"})

    def take(self, data: Mapping[str, Any], name: str) -> Any:
        """This field's value in `data`; ValueError or FormError when refused."""
        raw = data.get(name)
        if _blank(raw):
            if self.required:
                raise ValueError(self.required)
            return self.empty
        return self.parse(raw)


class Input:
    """Base of the input classes: Fields as class attributes, parsed values as instance attributes."""

    fields: ClassVar[dict[str, Field]] = {}

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.fields = {}
        for klass in reversed(cls.__mro__):
            cls.fields.update(
                {name: value for name, value in vars(klass).items() if isinstance(value, Field)}
            )

    def __init__(self, row: Any = None, **values: Any) -> None:
        # `row` is the database row being edited (None when creating), for checks such as uniqueness.
        self.row = row
        for name, declared in self.fields.items():
            setattr(self, name, values.get(name, declared.empty))

    @classmethod
    def parse(cls, data: Mapping[str, Any], db: Session | None = None, *, row: Any = None) -> Self:
        """Read every field of `data` and run `check`; one FormError names every refused field."""
        values, errors = {}, {}
        for name, declared in cls.fields.items():
            try:
                values[name] = declared.take(data, name)
            except FormError as exc:
                errors.update(exc.errors)
            except ValueError as exc:
                errors[name] = str(exc)
        parsed = cls(row, **values)
        parsed.check(db, errors)
        if errors:
            raise FormError(errors)
        return parsed

    def check(self, db: Session | None, errors: dict[str, str]) -> None:
        """Rules that need the database or several fields: add to `errors`, skipping refused fields."""

    def values(self) -> dict[str, Any]:
        """The parsed values by model attribute, to build or update a row."""
        return {declared.attr or name: getattr(self, name) for name, declared in self.fields.items()}

    def apply(self, row: Any) -> Any:
        for attribute, value in self.values().items():
            setattr(row, attribute, value)
        return row

    @classmethod
    def shown(cls, row: Any) -> dict[str, Any]:
        """What the form's controls show when editing `row`."""
        return {
            name: declared.show(getattr(row, declared.attr or name)) for name, declared in cls.fields.items()
        }

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON schema of this input, for an assistant tool that takes it."""
        return {
            "type": "object",
            "properties": {name: dict(declared.schema) for name, declared in cls.fields.items()},
            "required": [name for name, declared in cls.fields.items() if declared.required],
        }


# Parsers: raw value (form string or JSON value) -> typed value, or ValueError(message).


def text(max_length: int) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        if not isinstance(raw, str):
            raise ValueError("Enter text.")
        if CONTROL_IN_TEXT.search(raw):
            raise ValueError(NO_CONTROL)
        value = raw.strip()
        if len(value) > max_length:
            raise ValueError(f"Use at most {max_length} characters.")
        return value

    return parse


def email_address(raw: Any) -> str:
    value = raw.strip().lower() if isinstance(raw, str) else ""
    if len(value) > 254 or not EMAIL.fullmatch(value) or CONTROL_IN_TEXT.search(value):
        raise ValueError("Enter an email address such as name@example.com.")
    return value


def new_password(raw: Any) -> str:
    value = raw if isinstance(raw, str) else ""
    problem = password_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def identifier(message: str, maximum: int = limits.MAX_ID) -> Callable[[Any], int]:
    """A row's id (0 to `maximum`): a JSON integer or a form's digits; anything else is refused with
    `message`. The bound keeps the number inside PostgreSQL's `integer`, the type of every id."""

    def parse(raw: Any) -> int:
        number = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            number = raw
        elif isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
            number = int(raw.strip())
        if number is None or not 0 <= number <= maximum:
            raise ValueError(message)
        return number

    return parse


def positive_integer(message: str, maximum: int = limits.MAX_ID) -> Callable[[Any], int]:
    read_id = identifier(message, maximum)

    def parse(raw: Any) -> int:
        number = read_id(raw)
        if number < 1:
            raise ValueError(message)
        return number

    return parse


def parse_money(value: Any) -> int:
    """'12.50', '12,5', 12.5 or 7 -> cents; ValueError on anything else (negative, 3 decimals, text)."""
    if isinstance(value, bool):
        raise ValueError("not an amount")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("negative amount")
        return value * 100
    amount = str(value).strip().replace(" ", "")
    if not _MONEY.fullmatch(amount):
        raise ValueError(f"not an amount: {value!r}")
    return int(Decimal(amount.replace(",", ".")) * 100)


def money(raw: Any) -> int:
    try:
        return parse_money(raw)
    except ValueError:
        raise ValueError("Enter an amount such as 45 or 45.50 (at most 2 decimals).") from None


def show_money(cents: int | None) -> str:
    return "" if cents is None else format_cents(cents).replace(",", "")


def format_cents(cents: int) -> str:
    """1234567 -> '12,345.67'."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"


def positive_quantity(raw: Any) -> Decimal:
    """A positive quantity with at most 2 decimals (the column is NUMERIC(10, 2))."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValueError("Enter a number such as 1 or 2.5.") from None
    if not value.is_finite() or value <= 0 or value >= Decimal("100000000"):
        raise ValueError("Enter a quantity above 0.")
    if value != value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        raise ValueError("Use at most 2 decimals.")
    return value


def parse_percent(value: Any) -> int:
    """'20' or '5.5' percent -> basis points (2000, 550); ValueError outside 0–100 or past 2 decimals."""
    try:
        rate = Decimal(str(value).strip().rstrip("%").strip().replace(",", ".") or "0")
    except InvalidOperation:
        raise ValueError(f"not a percentage: {value!r}") from None
    basis_points = rate * 100
    if not rate.is_finite() or basis_points != basis_points.to_integral_value() or not 0 <= rate <= 100:
        raise ValueError(f"not a percentage: {value!r}")
    return int(basis_points)


def percent(raw: Any) -> int:
    try:
        return parse_percent(raw)
    except ValueError:
        raise ValueError("Enter a percentage between 0 and 100, e.g. 20.") from None


def within_dates(moment: date) -> bool:
    """Whether a date (or a datetime's date) lies in the range a person may give (app.limits)."""
    calendar_day = moment.date() if isinstance(moment, datetime) else moment
    return limits.EARLIEST_DATE <= calendar_day <= limits.LATEST_DATE


def show_percent(basis_points: int | None) -> str:
    """2000 -> '20', 550 -> '5.5': what a percentage field shows."""
    return "" if basis_points is None else format(Decimal(basis_points).scaleb(-2).normalize(), "f")


def wall_time(message: str) -> Callable[[Any], datetime]:
    """A datetime from ISO 8601 text (a datetime-local value; a bare date is midnight) or a datetime,
    between the years of app.limits: aware when it carries an offset, else a naive wall time that
    `place_in_zone` places in the studio's zone. Anything else is refused with `message`."""

    def parse(raw: Any) -> datetime:
        if isinstance(raw, datetime):
            parsed = raw
        elif isinstance(raw, str):
            value = raw.strip()
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                raise ValueError(message) from None
            if len(value) == 10:  # a bare date
                parsed = datetime.combine(date.fromisoformat(value), time.min)
        else:
            raise ValueError(message)
        if not within_dates(parsed):
            raise ValueError(message)
        return parsed

    return parse


def place_in_zone(parsed: Input, names: Iterable[str], zone: ZoneInfo, errors: dict[str, str]) -> None:
    """Turn the naive wall times of the fields `names` into UTC instants in `zone`; a wall time the
    clocks skip that day is refused on its field. Values with an offset are kept as given."""
    for name in names:
        value = getattr(parsed, name)
        if name in errors or value is None or value.tzinfo is not None:
            continue
        try:
            setattr(parsed, name, to_utc(value, zone))
        except ValueError as exc:
            errors[name] = f"{str(exc)[0].upper()}{str(exc)[1:]}."


def day(raw: Any) -> date:
    """A date between the years of app.limits, from ISO text or a date."""
    try:
        value = raw if isinstance(raw, date) else date.fromisoformat(str(raw).strip())
    except ValueError:
        value = None
    if value is None or not within_dates(value):
        raise ValueError("Enter a date.")
    return value


# A listing's page: 1 to MAX_PAGE (an offset far past the rows would still cost).
page_number = positive_integer(f"page must be an integer from 1 to {limits.MAX_PAGE}.", limits.MAX_PAGE)


def choice(enum_class: type[LabelledEnum], message: str) -> Callable[[Any], LabelledEnum]:
    def parse(raw: Any) -> LabelledEnum:
        try:
            return enum_class(raw.strip() if isinstance(raw, str) else raw)
        except ValueError:
            raise ValueError(message) from None

    return parse


def checkbox(raw: Any) -> bool:
    """A checked HTML checkbox sends "on"; JSON sends a boolean."""
    return raw is True or (isinstance(raw, str) and raw.strip().lower() in ("on", "true", "1", "yes"))


class Rows(Field):
    """A list of at most `max_rows` rows, each read by the input class `item`: a JSON list of
    objects, or the form controls NAME-N-FIELD. Wholly blank rows are skipped; the others' refusals
    are keyed NAME-POSITION-FIELD, POSITION counting the filled rows only."""

    def __init__(self, label: str, item: type[Input], *, max_rows: int, required: str | None = None) -> None:
        super().__init__(
            label,
            parse=item.parse,
            required=required,
            empty=(),
            schema={"type": "array", "items": item.json_schema(), "maxItems": max_rows},
        )
        # The dataclass is frozen.
        object.__setattr__(self, "item", item)
        object.__setattr__(self, "max_rows", max_rows)

    def take(self, data: Mapping[str, Any], name: str) -> list[Input]:
        rows = self.filled_rows(data, name)
        if len(rows) > self.max_rows:
            raise ValueError(f"Use at most {self.max_rows} {self.label.lower()}.")
        parsed, errors = [], {}
        for position, row in enumerate(rows):
            try:
                parsed.append(self.parse(row))
            except FormError as exc:
                errors.update({f"{name}-{position}-{key}": message for key, message in exc.errors.items()})
        if errors:
            raise FormError(errors)
        if not parsed and self.required:
            raise ValueError(self.required)
        return parsed

    def rows(self, data: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
        """The filled rows as given (form strings or JSON values), in order, at most `max_rows`: what
        a page shows again."""
        return self.filled_rows(data, name)[: self.max_rows]

    def filled_rows(self, data: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
        raw = data.get(name)
        if isinstance(raw, list):
            rows = [row if isinstance(row, Mapping) else {} for row in raw]
        else:
            # Six digits at most: a row number is only an order, and int() of a huge one is costly.
            pattern = re.compile(rf"{re.escape(name)}-(\d{{1,6}})-(\w+)")
            numbered: dict[int, dict[str, Any]] = {}
            for key in data:
                match = pattern.fullmatch(key)
                if match and match[2] in self.item.fields:
                    numbered.setdefault(int(match[1]), {})[match[2]] = data.get(key)
            rows = [numbered[number] for number in sorted(numbered)]
        return [row for row in rows if not all(_blank(value) for value in row.values())]


def flush_unique(db: Session, error: FormError) -> None:
    """Flush in a savepoint; a unique index refusing it (a concurrent save won) raises `error`.

    The savepoint keeps the caller's transaction usable after the refusal.
    """
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        raise error from None
