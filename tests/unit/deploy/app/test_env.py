"""The app's environment decided from app.settings.SETTINGS, by exact output."""

import pytest

from app.settings import SETTINGS
from deploy.app import env
from deploy.common.render import render
from deploy.common.secrets import secret_names_in

pytestmark = pytest.mark.unit


def env_template(operator: dict) -> str:
    return render(
        "app/app.env.j2", env.env_template_context(env.env_values(SETTINGS, "studio.test", operator))
    )


def test_deploy_values_use_server_side_placeholders():
    assert env.deploy_values("studio.test") == {
        "PLATFORM_DOMAIN": "studio.test",
        "MASTER_DATABASE_URL": "postgresql://rsm:@@postgres_password:url@@@rsm-db:5432/rsm",
        "TENANT_DATABASE_SERVER_URL": "postgresql://rsm:@@postgres_password:url@@@rsm-db:5432/postgres",
        "TENANT_DATABASE_POOL_URL": "postgresql://rsm:@@postgres_password:url@@@rsm-db:6432/postgres",
        "REDIS_URL": "redis://:@@redis_password:url@@@rsm-db:6379/0",
        "SECRET_KEY": "@@secret_key@@",
    }


def test_env_template_has_every_required_setting_and_omits_unset_optionals():
    operator = {"ASSISTANT_ENABLED": "true", "ANTHROPIC_API_KEY": "sk-1", "ANTHROPIC_BASE_URL": "http://x"}
    values = env.env_values(SETTINGS, "studio.test", operator)
    assert env_template(operator) == (
        "# Written by the deploy from app.settings.SETTINGS. Root-only; do not edit by hand.\n"
        "PLATFORM_DOMAIN='studio.test'\n"
        "MASTER_DATABASE_URL='postgresql://rsm:@@postgres_password:url@@@rsm-db:5432/rsm'\n"
        "TENANT_DATABASE_SERVER_URL='postgresql://rsm:@@postgres_password:url@@@rsm-db:5432/postgres'\n"
        "TENANT_DATABASE_POOL_URL='postgresql://rsm:@@postgres_password:url@@@rsm-db:6432/postgres'\n"
        "REDIS_URL='redis://:@@redis_password:url@@@rsm-db:6379/0'\n"
        "SECRET_KEY='@@secret_key@@'\n"
        "ASSISTANT_ENABLED='true'\n"
        "ANTHROPIC_API_KEY='sk-1'\n"
        "ANTHROPIC_BASE_URL='http://x'\n"
    )
    assert set(s.name for s in SETTINGS if s.required) <= set(values)


def test_secret_names_in_the_env_template_in_first_use_order():
    assert secret_names_in(env_template({})) == ["postgres_password", "redis_password", "secret_key"]


def test_values_that_single_quotes_cannot_carry_are_reported():
    assert env.value_problems(
        {"A": "fine $x", "B": "it's", "C": "two\nlines", "D": "nul\x00", "RSM_REDIS_PASSWORD": "it's fine"}
    ) == [
        "B contains a single quote",
        "C contains a line break or a NUL character",
        "D contains a line break or a NUL character",
    ]
    assert env.value_problems({"RSM_POSTGRES_PASSWORD": "a\r"}) == [
        "RSM_POSTGRES_PASSWORD contains a line break or a NUL character"
    ]


def test_missing_required_settings_in_declaration_order():
    assert env.missing_settings(SETTINGS, {"SECRET_KEY": "x", "REDIS_URL": " "}) == [
        "PLATFORM_DOMAIN",
        "MASTER_DATABASE_URL",
        "TENANT_DATABASE_SERVER_URL",
        "REDIS_URL",
        "ASSISTANT_ENABLED",
    ]


def test_setting_value_is_the_operators_else_the_apps_default():
    default = next(s.default for s in SETTINGS if s.name == "ANTHROPIC_TIMEOUT_SECONDS")
    assert env.setting_value("ANTHROPIC_TIMEOUT_SECONDS", {}) == default
    assert env.setting_value("ANTHROPIC_TIMEOUT_SECONDS", {"ANTHROPIC_TIMEOUT_SECONDS": "90"}) == "90"
