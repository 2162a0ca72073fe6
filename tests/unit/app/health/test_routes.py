"""Health and readiness answer on any Host, for the container's checks by IP."""

import pytest


def test_health_endpoints_answer_on_any_host(host_client):
    assert host_client("127.0.0.1:8000").get("/healthz").status_code == 200
    ready = host_client("127.0.0.1:8000").get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"master_database": "ok", "redis": "ok"}


@pytest.mark.parametrize(("ai_settings", "state"), [({}, "on"), ({"ASSISTANT_ENABLED": "false"}, "off")])
def test_readiness_says_whether_the_assistant_is_on_without_its_key(host_client, anthropic_api_key, state):
    ready = host_client("127.0.0.1:8000").get("/readyz")
    assert ready.get_json()["features"] == {"assistant": state}
    assert anthropic_api_key not in ready.get_data(as_text=True)
