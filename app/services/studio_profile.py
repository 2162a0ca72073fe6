"""The studio's profile: its details on invoices and the time zone, currency and language it works in.

One row per studio database (made by migration 0003); the owner edits it on the settings page.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import get_currency_name, list_currencies
from sqlalchemy.orm import Session

from app.formatting import format_money
from app.i18n import N_
from app.inputs import Field, Input, checkbox, choice, percent, show_percent, text
from app.models.studio import Language, StudioProfile
from app.zones import zone_named, zone_names

PROFILE_ID = 1
PROFILE_KEY = "studio_profile"


def time_zone(raw: Any) -> str:
    try:
        return zone_named(raw.strip() if isinstance(raw, str) else raw).key
    except (ValueError, TypeError):
        raise ValueError("Choose a time zone such as Europe/Paris.") from None


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def currency(raw: Any) -> str:
    code = raw.strip().upper() if isinstance(raw, str) else ""
    if code not in currency_codes():
        raise ValueError("Choose a currency such as EUR.")
    return code


class StudioProfileInput(Input):
    legal_name = Field("Name on invoices", text(200), empty="", hint=N_("Blank: the studio's name."))
    address = Field("Address", text(1000), empty="", widget="textarea")
    tax_id = Field("Tax number (e.g. VAT)", text(60), empty="")
    time_zone = Field(
        "Time zone", time_zone, required=N_("Choose a time zone such as Europe/Paris."), widget="select"
    )
    currency = Field("Currency", currency, required=N_("Choose a currency such as EUR."), widget="select")
    default_tax_rate = Field(
        "Default tax rate (%)",
        percent,
        empty=0,
        attr="default_tax_rate_bp",
        hint=N_("New invoices start with it, e.g. 20."),
        attrs='inputmode="decimal"',
        show=show_percent,
    )
    language = Field(
        "Language",
        choice(Language, "Choose English or French."),
        required=N_("Choose English or French."),
        widget="select",
        choices=Language,
    )
    owners_need_totp = Field(
        "Owners sign in in two steps",
        checkbox,
        empty=False,
        widget="checkbox",
        hint=N_("Each owner types a code from an authenticator app after the password."),
        schema={"type": "boolean"},
    )


def studio_profile(db: Session) -> StudioProfile:
    """This studio's profile; loaded once per database session.

    The Session keeps a strong reference in its `info`: the identity map holds objects weakly, so
    a profile nobody references is collected between two filters and every `money`, `span` and
    `day` of a page queried it again (135 statements for one dashboard). A rollback expires it
    like any loaded row, and the next attribute read refreshes it."""
    profile = db.info.get(PROFILE_KEY)
    if profile is None or profile not in db:  # not yet loaded, or the Session was closed since
        profile = db.get(StudioProfile, PROFILE_ID)
        if profile is None:  # only a database not migrated to 0003; fail closed rather than guess
            raise LookupError("the studio database has no studio_profile row: run flask migrate")
        db.info[PROFILE_KEY] = profile
    return profile


def studio_zone(db: Session) -> ZoneInfo:
    return ZoneInfo(studio_profile(db).time_zone)


def formatted_money(db: Session, cents: int) -> str:
    """Cents in the studio's currency, as its language writes amounts."""
    profile = studio_profile(db)
    return format_money(cents, profile.currency, profile.language)


def update_profile(db: Session, data: Mapping[str, Any]) -> StudioProfile:
    """Save the owner's changes (read by StudioProfileInput); FormError when refused. Flushes."""
    profile = studio_profile(db)
    StudioProfileInput.parse(data, db, row=profile).apply(profile)
    db.flush()
    return profile


def profile_options() -> dict[str, list[tuple[str, str]]]:
    """The settings form's time zones and currencies."""
    return {
        "time_zone": [(name, name.replace("_", " ")) for name in zone_names()],
        "currency": [
            (code, f"{code} — {get_currency_name(code, locale='en')}") for code in sorted(currency_codes())
        ],
    }
