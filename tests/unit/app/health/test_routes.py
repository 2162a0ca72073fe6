"""Health and readiness answer on any Host, for the container's checks by IP."""


def test_health_endpoints_answer_on_any_host(host_client):
    assert host_client("127.0.0.1:8000").get("/healthz").status_code == 200
    ready = host_client("127.0.0.1:8000").get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"master_database": "ok", "redis": "ok"}
