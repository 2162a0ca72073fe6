"""Secrets through the real renderer (deploy/common/files/rsm-render, under trixie's dash and mawk)
and then through what reads them: `docker compose config` for the env file, the app's URL parsers
for the database and Redis URLs, by exact output for .pgpass and redis.conf. Any byte an operator
may put in a password comes out as it went in; a line break is refused."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from redis.connection import parse_url
from sqlalchemy.engine import make_url

from app.settings import SETTINGS, Setting
from deploy.app import config as app_config
from deploy.app import env
from deploy.common.controller import RENDER_SCRIPT
from deploy.common.render import render
from deploy.common.topology import DbServer
from deploy.postgres import config as postgres_config
from deploy.redis import config as redis_config

pytestmark = pytest.mark.templates

# Every character the issue names, and then every other printable ASCII punctuation, and UTF-8.
AWKWARD = "a&b|c\\d@e/f:g%h$i\"j'k l=m#n"
PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ é ${HOME} $$ \\n"
# An operator's setting goes into the env file single-quoted: only the quote itself is refused.
OPERATOR_VALUE = 'sk&|\\@/:%$"x y=z#w ${HOME}'


def _render_then_compose(
    tools_image, tmp_path, secrets: dict[str, str], operator: dict[str, str], settings=SETTINGS, servers=()
):
    etc = tmp_path / "etc-rsm"
    (etc / "secrets").mkdir(parents=True)
    for name, value in secrets.items():
        (etc / "secrets" / name).write_bytes(value.encode())
    shutil.copy(RENDER_SCRIPT, tmp_path / "rsm-render")
    values = env.env_values(settings, "studio.test", operator, servers)
    (tmp_path / "app.env.tmpl").write_text(render("app/app.env.j2", env.env_template_context(values)))
    (tmp_path / "pgpass.tmpl").write_text(render("postgres/pgpass.j2", postgres_config.pgpass_context()))
    (tmp_path / "redis.tmpl").write_text(
        render("redis/rsm.conf.j2", redis_config.conf_context(("127.0.0.1",), 64))
    )
    ctx = app_config.compose_context("rsm-app:0123456789ab", 1, 1, 60, "172.28.213.1", "fedcba987654")
    ctx["env_file"] = str(tmp_path / "app.env")
    (tmp_path / "compose.yaml").write_text(render("app/compose.yaml.j2", ctx))
    script = (
        "set -e; for t in app.env pgpass redis; do sh rsm-render $t.tmpl $t 600 root:root; done; "
        "RSM_APP_PORT=8001 RSM_METRICS_PORT=9201 docker compose -f compose.yaml config --format json"
    )
    return subprocess.run(
        ["docker", "run", "--rm", "--network=none", "-v", f"{tmp_path}:{tmp_path}", "-v", f"{etc}:/etc/rsm"]
        + ["-w", str(tmp_path), tools_image, "sh", "-c", script],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("password", [AWKWARD, PUNCTUATION], ids=["named", "punctuation"])
def test_every_awkward_character_comes_out_as_it_went_in(tools_image, tmp_path, password):
    secrets = {"postgres_password": password, "redis_password": password[::-1], "secret_key": "k" * 64}
    result = _render_then_compose(tools_image, tmp_path, secrets, {"ANTHROPIC_API_KEY": OPERATOR_VALUE})
    assert result.returncode == 0, result.stderr
    # `config` prints each literal $ as $$ (so that its output reads back the same): undo that.
    environment = {
        name: value.replace("$$", "$")
        for name, value in json.loads(result.stdout)["services"]["app"]["environment"].items()
    }
    assert make_url(environment["MASTER_DATABASE_URL"]).password == password
    assert make_url(environment["MASTER_DATABASE_URL"]).host == "rsm-db"
    assert make_url(environment["TENANT_DATABASE_SERVER_URL"]).password == password
    assert parse_url(environment["REDIS_URL"])["password"] == password[::-1]
    assert parse_url(environment["REDIS_URL"])["host"] == "rsm-db"
    assert environment["SECRET_KEY"] == "k" * 64
    assert environment["ANTHROPIC_API_KEY"] == OPERATOR_VALUE
    pgpass_field = password.replace("\\", "\\\\").replace(":", "\\:")
    assert (tmp_path / "pgpass").read_text() == f"*:*:*:rsm:{pgpass_field}\n"
    quoted = '"' + password[::-1].replace("\\", "\\\\").replace('"', '\\"') + '"'
    assert f"requirepass {quoted}\n" in (tmp_path / "redis").read_text()


def test_a_secret_with_a_line_break_is_refused_with_its_name(tools_image, tmp_path):
    secrets = {"postgres_password": "two\nlines", "redis_password": "r", "secret_key": "k"}
    result = _render_then_compose(tools_image, tmp_path, secrets, {})
    assert result.returncode != 0
    assert "secret /etc/rsm/secrets/postgres_password holds a line break" in result.stderr
    assert not (tmp_path / "app.env").exists()


def test_the_database_servers_json_comes_out_of_the_env_file_whole(tools_image, tmp_path):
    """Several db hosts: TENANT_DATABASE_SERVERS is JSON in a single-quoted value, each URL's
    password filled in percent-encoded; Compose reads it back as JSON the app can parse."""
    secrets = {"postgres_password": AWKWARD, "redis_password": "r", "secret_key": "k" * 64}
    declared = [*SETTINGS, Setting("TENANT_DATABASE_SERVERS", "servers", required=False, source="deploy")]
    servers = (DbServer("db-1", "10.0.0.21", tls=True), DbServer("db-2", "10.0.0.22", tls=True, weight=2))
    result = _render_then_compose(tools_image, tmp_path, secrets, {}, declared, servers)
    assert result.returncode == 0, result.stderr
    environment = json.loads(result.stdout)["services"]["app"]["environment"]
    servers_json = json.loads(environment["TENANT_DATABASE_SERVERS"].replace("$$", "$"))
    assert list(servers_json) == ["db-1", "db-2"] and servers_json["db-2"]["weight"] == 2
    for name, address in (("db-1", "10.0.0.21"), ("db-2", "10.0.0.22")):
        url = make_url(servers_json[name]["pool_url"])
        assert (url.password, url.host, url.port) == (AWKWARD, address, 6432)
        assert url.query == {"sslmode": "verify-full", "sslrootcert": "/etc/rsm/ca.crt"}
    assert environment["REDIS_CA_FILE"] == "/etc/rsm/ca.crt"
