"""Settings: declared once with their parsers, read once, frozen, and the deploy's contract kept."""

import re
from dataclasses import FrozenInstanceError, fields
from pathlib import Path

import pytest

from app import create_app
from app.settings import SETTINGS, Settings, SettingsError, load_settings, required_names
from app.tenancy.resolver import TenantResolver

VALID = {
    "PLATFORM_DOMAIN": "Studio.Example.com.",
    "MASTER_DATABASE_URL": "postgresql://rsm:pw@db/rsm",
    "TENANT_DATABASE_SERVER_URL": "postgres://rsm:pw@db/postgres",
    "REDIS_URL": "redis://:pw@db:6379/0",
    "SECRET_KEY": "k" * 32,
    "ASSISTANT_ENABLED": "false",
}


APP = Path(__file__).resolve().parents[2] / "app"


def test_valid_environment_is_parsed_with_defaults():
    settings = load_settings(VALID)
    assert settings.PLATFORM_DOMAIN == "studio.example.com"
    assert settings.TENANT_DATABASE_SERVER_URL == "postgresql+psycopg://rsm:pw@db/postgres"
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.ANTHROPIC_API_KEY is None
    assert settings.TENANT_POOL_SIZE == 2 and settings.TENANT_DATABASE_POOL_URL is None
    assert settings.ANTHROPIC_TIMEOUT_SECONDS == 30.0 and settings.TENANT_CONNECTION_WAIT_SECONDS == 10.0
    assert settings.AI_TRIAL_CREDITS == 200
    assert settings.TENANT_RESOLVER is TenantResolver


def test_settings_are_frozen_and_read_by_attribute():
    settings = load_settings(
        {**VALID, "TENANT_CONNECTION_WAIT_SECONDS": "0.5", "SESSION_COOKIE_SECURE": "off"}
    )
    assert (settings.TENANT_CONNECTION_WAIT_SECONDS, settings.SESSION_COOKIE_SECURE) == (0.5, False)
    with pytest.raises(FrozenInstanceError):
        settings.REDIS_URL = "redis://elsewhere"
    with pytest.raises(AttributeError):
        settings.UNDECLARED_SETTING  # noqa: B018 - reading it is the test


def test_one_message_names_every_missing_required_setting():
    with pytest.raises(SettingsError) as info:
        load_settings({"PLATFORM_DOMAIN": "studio.example.com", "REDIS_URL": "  "})
    message = str(info.value)
    for name in ("MASTER_DATABASE_URL", "TENANT_DATABASE_SERVER_URL", "REDIS_URL", "SECRET_KEY"):
        assert name in message
    assert "PLATFORM_DOMAIN" not in message


def test_one_message_names_missing_and_malformed_settings_together():
    with pytest.raises(SettingsError) as info:
        load_settings(
            {**VALID, "SECRET_KEY": "", "MASTER_POOL_SIZE": "two", "ANTHROPIC_TIMEOUT_SECONDS": "-1"}
        )
    assert str(info.value) == (
        "Cannot start: missing required settings: SECRET_KEY. malformed settings: ANTHROPIC_TIMEOUT_SECONDS must be "
        "a positive number; MASTER_POOL_SIZE must be a positive integer."
    )


def test_the_assistant_must_be_declared_on_or_off():
    with pytest.raises(SettingsError) as info:
        load_settings({k: v for k, v in VALID.items() if k != "ASSISTANT_ENABLED"})
    assert str(info.value) == "Cannot start: missing required settings: ASSISTANT_ENABLED."


def test_the_assistant_on_without_a_key_is_refused_at_start():
    with pytest.raises(SettingsError) as info:
        load_settings({**VALID, "ASSISTANT_ENABLED": "true"})
    assert str(info.value) == (
        "Cannot start: ASSISTANT_ENABLED is true but ANTHROPIC_API_KEY is not set (give the key, or set "
        "ASSISTANT_ENABLED=false to run without the assistant)."
    )
    assert load_settings({**VALID, "ASSISTANT_ENABLED": "on", "ANTHROPIC_API_KEY": "sk"}).ASSISTANT_ENABLED


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("PLATFORM_DOMAIN", "not a domain", "DNS name"),
        ("MASTER_DATABASE_URL", "mysql://x/y", "postgresql://"),
        ("REDIS_URL", "http://x", "redis://"),
        ("SECRET_KEY", "short", "32 characters"),
        ("SESSION_COOKIE_SECURE", "maybe", "true or false"),
        ("TENANT_POOL_SIZE", "0", "positive"),
        ("TENANT_DATABASE_POOL_URL", "mysql://x/y", "postgresql://"),
        ("TENANT_DATABASE_PREFIX", "Bad-Prefix", "lower-case"),
        ("TENANT_CONNECTION_WAIT_SECONDS", "soon", "positive number"),
        ("TENANT_CONNECTION_WAIT_SECONDS", "nan", "positive number"),
        ("TENANT_RESOLVER", "os.path:join", "TenantResolver subclass"),
        ("TENANT_RESOLVER", "no.such.module:Resolver", "TenantResolver subclass"),
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


def test_the_deploy_reads_the_same_declarations_with_the_same_fields():
    """deploy/appenv.py and deploy/hostdata.py read SETTINGS' name, meaning, required, secret, default, source."""
    assert [s.name for s in SETTINGS] == [f.name for f in fields(Settings)]
    for setting in SETTINGS:
        assert isinstance(setting.required, bool) and isinstance(setting.secret, bool)
        assert setting.source in ("operator", "deploy") and callable(setting.parse)
        assert setting.default is None or isinstance(setting.default, str)
        if setting.default is not None:
            setting.parse(setting.default)  # every default parses


def test_the_code_reads_settings_only_through_the_declared_object():
    """No module reads the environment or a setting from app.config behind SETTINGS' back."""
    for path in APP.rglob("*.py"):
        text = path.read_text()
        config_reads = set(re.findall(r"config\[\"(\w+)\"\]|config\.get\(\"(\w+)\"", text))
        assert config_reads <= {("SETTINGS", "")}, path
        if path.name not in ("settings.py", "__init__.py") or path.parent != APP:
            assert "os.environ" not in text and "getenv" not in text, path


def test_app_refuses_to_start_without_required_settings(monkeypatch):
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        create_app({"PLATFORM_DOMAIN": "studio.example.com"})


def test_a_rediss_url_to_another_host_is_verified_against_redis_ca_file():
    from redis import Redis

    from app.extensions import redis_tls_options

    assert redis_tls_options(None) == {}
    client = Redis.from_url("rediss://:pw@10.0.0.21:6380/0", **redis_tls_options("/etc/rsm/ca.crt"))
    kwargs = client.connection_pool.connection_kwargs
    assert kwargs["ssl_ca_certs"] == "/etc/rsm/ca.crt"
    assert client.connection_pool.connection_class.__name__ == "SSLConnection"
