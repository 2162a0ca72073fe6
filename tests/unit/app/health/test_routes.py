"""Health and readiness answer on any Host, for the container's checks by IP."""

import pytest
from sqlalchemy import text

from app.extensions import master_db
from tests.conftest import server_engine


def test_health_endpoints_answer_on_any_host(host_client):
    assert host_client("127.0.0.1:8000").get("/healthz").status_code == 200
    ready = host_client("127.0.0.1:8000").get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"master_database": "ok", "redis": "ok"}


@pytest.mark.parametrize(("ai_settings", "state"), [({}, "on"), ({"ASSISTANT_ENABLED": "false"}, "off")])
def test_readiness_says_whether_the_assistant_is_on_without_its_key(host_client, anthropic_api_key, state):
    ready = host_client("127.0.0.1:8000").get("/readyz")
    assert ready.get_json()["features"]["assistant"] == state
    assert anthropic_api_key not in ready.get_data(as_text=True)


@pytest.mark.parametrize(
    ("ai_settings", "path"),
    [
        (
            {"MAIL_SMTP_URL": "smtp://user:s3cret-pass@relay.example:587", "MAIL_STARTTLS": "true"},
            "smtp+starttls",
        ),
        ({"MAIL_SMTP_URL": "smtp://relay.example:25", "MAIL_STARTTLS": "false"}, "smtp"),
        ({"MAIL_SMTP_URL": "smtps://user:s3cret-pass@relay.example"}, "smtps"),
        ({"MAIL_SMTP_URL": ""}, "unconfigured"),
    ],
)
def test_readiness_says_how_mail_is_sent_without_the_relays_credentials(host_client, path):
    ready = host_client("127.0.0.1:8000").get("/readyz")
    assert ready.get_json()["features"]["mail"] == path
    assert "s3cret" not in ready.get_data(as_text=True) and "relay.example" not in ready.get_data(
        as_text=True
    )


def test_readiness_after_postgresql_dropped_the_pooled_connection_is_ready(host_client):
    assert host_client("127.0.0.1:8000").get("/readyz").status_code == 200
    assert master_db.engine.pool.checkedin() >= 1
    # What a PostgreSQL restart does to the pooled connection.
    with server_engine().connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
            {"d": master_db.engine.url.database},
        )
    ready = host_client("127.0.0.1:8000").get("/readyz")
    assert ready.status_code == 200, ready.get_json()
