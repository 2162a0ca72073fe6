"""The app's environment decided from app.settings.SETTINGS, by exact output."""

import pytest

from app.settings import SETTINGS
from deploy import appenv

pytestmark = pytest.mark.unit


def test_operator_values_precedence_environ_then_secrets_file_then_host_data():
    values = appenv.operator_values(
        SETTINGS,
        environ={"ANTHROPIC_API_KEY": "from-env", "AI_TRIAL_CREDITS": "", "PATH": "/bin"},
        secrets_file={"ANTHROPIC_API_KEY": "from-file", "AI_TRIAL_CREDITS": "50", "RSM_REDIS_PASSWORD": "r" * 20},
        host_settings={"AI_TRIAL_CREDITS": "10", "ANTHROPIC_MODEL": "claude-x", "PLATFORM_DOMAIN": "ignored"},
    )
    assert values == {
        "ANTHROPIC_API_KEY": "from-env",
        "ANTHROPIC_MODEL": "claude-x",
        "AI_TRIAL_CREDITS": "50",
        "RSM_REDIS_PASSWORD": "r" * 20,
    }


def test_deploy_values_use_server_side_placeholders():
    assert appenv.deploy_values("studio.test") == {
        "PLATFORM_DOMAIN": "studio.test",
        "MASTER_DATABASE_URL": "postgresql://rsm:@@postgres_password@@@rsm-db:5432/rsm",
        "TENANT_DATABASE_SERVER_URL": "postgresql://rsm:@@postgres_password@@@rsm-db:5432/postgres",
        "REDIS_URL": "redis://:@@redis_password@@@rsm-db:6379/0",
        "SECRET_KEY": "@@secret_key@@",
    }


def test_env_template_has_every_required_setting_and_omits_unset_optionals():
    values = appenv.env_values(SETTINGS, "studio.test", {"ANTHROPIC_API_KEY": "sk-1", "ANTHROPIC_BASE_URL": "http://x"})
    assert appenv.render_env_template(values) == (
        "# Written by the deploy from app.settings.SETTINGS. Root-only; do not edit by hand.\n"
        "PLATFORM_DOMAIN='studio.test'\n"
        "MASTER_DATABASE_URL='postgresql://rsm:@@postgres_password@@@rsm-db:5432/rsm'\n"
        "TENANT_DATABASE_SERVER_URL='postgresql://rsm:@@postgres_password@@@rsm-db:5432/postgres'\n"
        "REDIS_URL='redis://:@@redis_password@@@rsm-db:6379/0'\n"
        "SECRET_KEY='@@secret_key@@'\n"
        "ANTHROPIC_API_KEY='sk-1'\n"
        "ANTHROPIC_BASE_URL='http://x'\n"
    )
    assert set(s.name for s in SETTINGS if s.required) <= set(values)


def test_secret_names_in_template_in_first_use_order():
    text = appenv.render_env_template(appenv.env_values(SETTINGS, "d.test", {}))
    assert appenv.secret_names_in(text) == ["postgres_password", "redis_password", "secret_key"]


def test_values_that_single_quotes_cannot_carry_are_reported():
    assert appenv.value_problems({"A": "fine $x", "B": "it's", "C": "two\nlines"}) == [
        "B contains a quote or a line break",
        "C contains a quote or a line break",
    ]


def test_missing_required_settings_in_declaration_order():
    assert appenv.missing_settings(SETTINGS, {"SECRET_KEY": "x", "REDIS_URL": " "}) == [
        "PLATFORM_DOMAIN", "MASTER_DATABASE_URL", "TENANT_DATABASE_SERVER_URL", "REDIS_URL",
    ]


def test_parse_env_file():
    text = "# c\n\nexport A=1\nB='two words'\nC=\"x=y\"\n"
    assert appenv.parse_env_file(text) == {"A": "1", "B": "two words", "C": "x=y"}
    with pytest.raises(ValueError, match="line 1"):
        appenv.parse_env_file("not a line")
