import pytest

from app.settings import SETTINGS, SettingsError, load_settings, required_names

VALID = {
    "PLATFORM_DOMAIN": "Studio.Example.com.",
    "MASTER_DATABASE_URL": "postgresql://rsm:pw@db/rsm",
    "TENANT_DATABASE_SERVER_URL": "postgres://rsm:pw@db/postgres",
    "REDIS_URL": "redis://:pw@db:6379/0",
    "SECRET_KEY": "k" * 32,
}


def test_valid_environment_is_parsed_with_defaults():
    settings = load_settings(VALID)
    assert settings["PLATFORM_DOMAIN"] == "studio.example.com"
    assert settings["TENANT_DATABASE_SERVER_URL"] == "postgresql+psycopg2://rsm:pw@db/postgres"
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["ANTHROPIC_API_KEY"] is None
    assert settings["TENANT_CONNECTIONS_PER_PROCESS"] == 4


def test_one_message_names_every_missing_required_setting():
    with pytest.raises(SettingsError) as info:
        load_settings({"PLATFORM_DOMAIN": "studio.example.com", "REDIS_URL": "  "})
    message = str(info.value)
    for name in ("MASTER_DATABASE_URL", "TENANT_DATABASE_SERVER_URL", "REDIS_URL", "SECRET_KEY"):
        assert name in message
    assert "PLATFORM_DOMAIN" not in message


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("PLATFORM_DOMAIN", "not a domain", "DNS name"),
        ("MASTER_DATABASE_URL", "mysql://x/y", "postgresql://"),
        ("REDIS_URL", "http://x", "redis://"),
        ("SECRET_KEY", "short", "32 characters"),
        ("SESSION_COOKIE_SECURE", "maybe", "true or false"),
        ("TENANT_CONNECTIONS_PER_PROCESS", "0", "positive"),
        ("TENANT_DATABASE_PREFIX", "Bad-Prefix", "lower-case"),
    ],
)
def test_malformed_setting_is_named_with_its_problem(name, value, complaint):
    with pytest.raises(SettingsError) as info:
        load_settings({**VALID, name: value})
    assert name in str(info.value) and complaint in str(info.value)


def test_declared_settings_are_unique_and_described():
    names = [s.name for s in SETTINGS]
    assert len(names) == len(set(names))
    assert all(s.meaning for s in SETTINGS)
    assert {"PLATFORM_DOMAIN", "MASTER_DATABASE_URL", "SECRET_KEY"} <= set(required_names())
    assert "ANTHROPIC_API_KEY" not in required_names()
    assert next(s for s in SETTINGS if s.name == "ANTHROPIC_API_KEY").secret


def test_app_refuses_to_start_without_required_settings(monkeypatch):
    from app import create_app

    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        create_app({"PLATFORM_DOMAIN": "studio.example.com"})
