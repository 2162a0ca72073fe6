"""The app's environment decided from app.settings.SETTINGS, by exact output."""

import json

import pytest

from app.settings import SETTINGS, load_settings
from deploy.app import env
from deploy.common.render import render
from deploy.common.secrets import secret_names_in
from deploy.common.topology import DbServer

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
    # the secret key goes into the env file as it is, single-quoted like the rest
    assert env.value_problems({"RSM_SECRET_KEY": "k" * 32 + "'"}) == [
        "RSM_SECRET_KEY contains a single quote"
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


FOUR_HOSTS_SERVERS = (
    DbServer("db-1", "10.0.0.21", tls=True, weight=1),
    DbServer("db-2", "10.0.0.22", tls=True, weight=2),
)
TLS = "?sslmode=verify-full&sslrootcert=/etc/rsm/ca.crt"
PW = "@@postgres_password:url@@"


def test_one_db_server_as_the_only_host_keeps_todays_environment():
    assert env.deploy_values(
        "studio.test", (DbServer("s1", "172.28.213.1", tls=False),)
    ) == env.deploy_values("studio.test")


def test_a_remote_db_host_is_reached_over_tls_at_its_private_address():
    values = env.deploy_values("studio.test", FOUR_HOSTS_SERVERS[:1])
    assert values["MASTER_DATABASE_URL"] == f"postgresql://rsm:{PW}@10.0.0.21:5432/rsm{TLS}"
    assert values["TENANT_DATABASE_POOL_URL"] == f"postgresql://rsm:{PW}@10.0.0.21:6432/postgres{TLS}"
    assert values["REDIS_URL"] == "rediss://:@@redis_password:url@@@10.0.0.21:6380/0"
    assert values["REDIS_CA_FILE"] == "/etc/rsm/ca.crt"
    assert "TENANT_DATABASE_SERVERS" not in values


def test_several_db_hosts_are_named_in_tenant_database_servers_home_first():
    values = env.deploy_values("studio.test", FOUR_HOSTS_SERVERS)
    assert json.loads(values["TENANT_DATABASE_SERVERS"]) == {
        "db-1": {
            "url": f"postgresql://rsm:{PW}@10.0.0.21:5432/postgres{TLS}",
            "pool_url": f"postgresql://rsm:{PW}@10.0.0.21:6432/postgres{TLS}",
            "weight": 1,
        },
        "db-2": {
            "url": f"postgresql://rsm:{PW}@10.0.0.22:5432/postgres{TLS}",
            "pool_url": f"postgresql://rsm:{PW}@10.0.0.22:6432/postgres{TLS}",
            "weight": 2,
        },
    }
    assert list(json.loads(values["TENANT_DATABASE_SERVERS"])) == ["db-1", "db-2"]
    assert env.value_problems(values) == []


def test_the_env_file_carries_the_servers_json_single_quoted():
    values = env.env_values(SETTINGS, "studio.test", {}, FOUR_HOSTS_SERVERS)
    text = render("app/app.env.j2", env.env_template_context(values))
    line = next(line for line in text.splitlines() if line.startswith("TENANT_DATABASE_SERVERS="))
    assert line == "TENANT_DATABASE_SERVERS='" + values["TENANT_DATABASE_SERVERS"] + "'"
    assert secret_names_in(line) == ["postgres_password"]


def test_the_app_starts_on_the_environment_the_deploy_writes_for_several_db_hosts():
    values = env.deploy_values("studio.test", FOUR_HOSTS_SERVERS)
    filled = {
        name: value.replace(PW, "pw%40home")
        .replace("@@redis_password:url@@", "rpw")
        .replace("@@secret_key@@", "k" * 40)
        for name, value in values.items()
    }
    settings = load_settings({**filled, "ASSISTANT_ENABLED": "false"})
    assert [(s.name, s.weight) for s in settings.TENANT_DATABASE_SERVERS] == [("db-1", 1), ("db-2", 2)]
    assert settings.TENANT_DATABASE_SERVERS[1].url.endswith(f"@10.0.0.22:5432/postgres{TLS}")
