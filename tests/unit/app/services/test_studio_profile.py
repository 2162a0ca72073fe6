"""The studio's profile on a real studio database: its migrated defaults and the owner's changes."""

import pytest

from app.inputs import FormError
from app.services.studio_profile import studio_profile, studio_zone, update_profile

VALID = {
    "legal_name": "Abbey Road Studios SAS",
    "address": "3 Abbey Road\nLondon NW8",
    "tax_id": "FR12345678901",
    "time_zone": "Europe/Paris",
    "currency": "eur",
    "default_tax_rate": "20",
    "language": "fr",
}


def test_a_new_studio_works_in_utc_euros_and_english(db):
    profile = studio_profile(db)
    assert (profile.time_zone, profile.currency, profile.language, profile.default_tax_rate_bp) == (
        "UTC",
        "EUR",
        "en",
        0,
    )


def test_the_owner_sets_the_details_zone_currency_and_language(db):
    update_profile(db, VALID)
    db.commit()
    db.expire_all()
    profile = studio_profile(db)
    assert (profile.legal_name, profile.address, profile.tax_id) == (
        VALID["legal_name"],
        VALID["address"],
        VALID["tax_id"],
    )
    assert (profile.time_zone, profile.currency, profile.language, profile.default_tax_rate_bp) == (
        "Europe/Paris",
        "EUR",
        "fr",
        2000,
    )
    assert studio_zone(db).key == "Europe/Paris"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Europe/Atlantis", "Choose a time zone such as Europe/Paris."),
        ("time_zone", "/etc/localtime", "Choose a time zone such as Europe/Paris."),
        ("currency", "EURO", "Choose a currency such as EUR."),
        ("currency", "XYZ", "Choose a currency such as EUR."),
        ("default_tax_rate", "120", "Enter a percentage between 0 and 100, e.g. 20."),
        ("language", "de", "Choose English or French."),
    ],
)
def test_invalid_settings_are_refused(db, field, value, message):
    with pytest.raises(FormError) as refused:
        update_profile(db, {**VALID, field: value})
    assert refused.value.errors == {field: message}
