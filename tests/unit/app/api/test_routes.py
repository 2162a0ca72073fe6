"""POST /api/ai/chat at the HTTP edge: authentication, CSRF, input checks and every upstream failure."""

from __future__ import annotations

import logging
import socket
import time
from dataclasses import replace

import pytest
from sqlalchemy import select

from app.extensions import master_db
from app.models.master import AiCreditEntry
from app.settings import app_settings
from e2e.fakes.anthropic_server import fake_error, fake_text


def ledger(app, organization) -> list[tuple[int, str]]:
    with app.app_context():
        rows = master_db.session.execute(
            select(AiCreditEntry.delta, AiCreditEntry.reason)
            .where(AiCreditEntry.organization_id == organization.id)
            .order_by(AiCreditEntry.id)
        )
        return [tuple(row) for row in rows]


def test_not_signed_in_is_401_json(studio_client, make_studio, fake_anthropic, conversation_id):
    make_studio("abbey")
    browser = studio_client("abbey")
    token = browser.csrf_token("/login")
    response = browser.post(
        "/api/ai/chat",
        json={"message": "hi", "conversation_id": conversation_id},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 401
    assert response.get_json()["message"] == "Sign in as staff first."
    assert fake_anthropic.requests == []


def test_missing_csrf_token_is_400_json(staff_client, fake_anthropic, conversation_id):
    browser = staff_client("abbey")
    response = browser.post("/api/ai/chat", json={"message": "hi", "conversation_id": conversation_id})
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["message"]
    assert fake_anthropic.requests == []


def test_apex_is_404_json(client, fake_anthropic, conversation_id):
    token = client.csrf_token("/find-studio")
    response = client.post(
        "/api/ai/chat",
        json={"message": "hi", "conversation_id": conversation_id},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 404
    assert response.is_json
    assert "YOUR-STUDIO" in response.get_json()["message"]
    assert client.post("/api/ai/chat", json={}).status_code == 400, (
        "no token: refused before routing to a studio"
    )


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"conversation_id": "chat-0001"}, "message"),
        ({"message": "   ", "conversation_id": "chat-0001"}, "message"),
        ({"message": 42, "conversation_id": "chat-0001"}, "message"),
        ({"message": "x" * 4001, "conversation_id": "chat-0001"}, "message"),
        ({"message": "hi"}, "conversation_id"),
        ({"message": "hi", "conversation_id": "short"}, "conversation_id"),
        ({"message": "hi", "conversation_id": "../../etc/passwd"}, "conversation_id"),
        ({"message": "hi", "session_id": "../../etc/passwd"}, "conversation_id"),
        (["not", "an", "object"], "body"),
    ],
)
def test_bad_input_is_400_json_naming_the_field(
    staff_client, fake_anthropic, payload, field, conversation_id
):
    browser = staff_client("abbey")
    token = browser.csrf_token("/dashboard")
    response = browser.post("/api/ai/chat", json=payload, headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_request"
    assert response.get_json()["field"] == field
    assert fake_anthropic.requests == []


def test_the_old_session_id_field_still_names_the_conversation(
    staff_client, fake_anthropic, ask, conversation_id
):
    """Accepted for one release: a page opened before the rename keeps its conversation going."""
    browser = staff_client("abbey")
    fake_anthropic.queue(fake_text("First."), fake_text("Second."))
    old = browser.post(
        "/api/ai/chat",
        json={"message": "one", "session_id": conversation_id},
        headers={"X-CSRFToken": browser.csrf_token("/dashboard")},
    )
    assert old.status_code == 200 and old.get_json()["conversation_id"] == conversation_id
    assert ask(browser, "two").get_json()["answer"] == "Second."
    assert fake_anthropic.requests[1]["body"]["messages"] == [
        {"role": "user", "content": "one"},
        {"role": "assistant", "content": "First."},
        {"role": "user", "content": "two"},
    ]


def test_body_that_is_not_json_is_400(staff_client, fake_anthropic):
    browser = staff_client("abbey")
    token = browser.csrf_token("/dashboard")
    response = browser.post("/api/ai/chat", data="message=hi", headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.get_json()["field"] == "body"


@pytest.mark.parametrize("ai_settings", [{"ASSISTANT_ENABLED": "false", "ANTHROPIC_API_KEY": ""}])
def test_the_assistant_switched_off_is_503_saying_so(app, staff_client, fake_anthropic, ask):
    browser = staff_client("abbey")
    response = ask(browser, "hello")
    assert response.status_code == 503
    body = response.get_json()
    assert body["error"] == "assistant_off"
    assert "ASSISTANT_ENABLED=false" in body["message"]
    assert "No LLM providers" not in body["message"]
    assert fake_anthropic.requests == []
    assert ledger(app, browser.organization) == [(200, "trial grant")], (
        "an unconfigured assistant costs nothing"
    )


def test_rate_limit_is_429_with_retry_hint_and_refund(app, staff_client, fake_anthropic, ask):
    browser = staff_client("abbey")
    fake_anthropic.queue(fake_error(429, "rate_limit_error", "slow down", {"retry-after": "17"}))
    response = ask(browser, "hello")
    assert response.status_code == 429
    body = response.get_json()
    assert body["error"] == "assistant_rate_limited"
    assert body["retry_after"] == 17
    assert response.headers["Retry-After"] == "17"
    assert "17 seconds" in body["message"]
    assert len(fake_anthropic.requests) == 1, "a 429 is not retried: the user sees the hint at once"
    assert ledger(app, browser.organization) == [
        (200, "trial grant"),
        (-1, "assistant chat"),
        (1, "refund: no answer (assistant_rate_limited)"),
    ]


def test_upstream_5xx_is_502_after_one_retry(app, staff_client, fake_anthropic, ask):
    browser = staff_client("abbey")
    fake_anthropic.queue(fake_error(500, "api_error", "boom"), fake_error(529, "overloaded_error", "busy"))
    response = ask(browser, "hello")
    assert response.status_code == 502
    assert response.get_json()["error"] == "assistant_upstream_error"
    assert "529" in response.get_json()["message"]
    assert len(fake_anthropic.requests) == 2


def test_one_5xx_is_retried_transparently(staff_client, fake_anthropic, ask):
    browser = staff_client("abbey")
    fake_anthropic.queue(fake_error(500, "api_error", "boom"), fake_text("Recovered."))
    response = ask(browser, "hello")
    assert response.status_code == 200
    assert response.get_json()["answer"] == "Recovered."


@pytest.mark.parametrize("ai_settings", [{"ANTHROPIC_TIMEOUT_SECONDS": "1"}])
def test_slow_model_is_504_within_the_timeout(app, staff_client, fake_anthropic, ask):
    browser = staff_client("abbey")
    fake_anthropic.queue(fake_text("too late", delay=3))
    started = time.monotonic()
    response = ask(browser, "hello")
    elapsed = time.monotonic() - started
    assert response.status_code == 504
    assert response.get_json()["error"] == "assistant_timeout"
    assert elapsed < 2.5, f"the request waited {elapsed:.1f}s for a 1s timeout"
    assert len(fake_anthropic.requests) == 1, "a timed-out call is not retried past the deadline"


def test_unreachable_api_is_502(app, staff_client, fake_anthropic, ask):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config["SETTINGS"] = replace(app_settings(app), ANTHROPIC_BASE_URL=f"http://127.0.0.1:{port}")
    browser = staff_client("abbey")
    response = ask(browser, "hello")
    assert response.status_code == 502
    assert response.get_json()["error"] == "assistant_unreachable"


def test_rejected_key_is_503_and_logs_never_hold_the_key(
    staff_client, fake_anthropic, caplog, anthropic_api_key, ask
):
    caplog.set_level(logging.DEBUG)
    browser = staff_client("abbey")
    fake_anthropic.queue(fake_error(401, "authentication_error", "invalid x-api-key"))
    response = ask(browser, "hello")
    assert response.status_code == 503
    assert "ANTHROPIC_API_KEY" in response.get_json()["message"]
    assert fake_anthropic.requests[0]["api_key"] == anthropic_api_key
    assert anthropic_api_key not in caplog.text
    assert anthropic_api_key not in response.get_data(as_text=True)


def test_the_history_shows_the_conversation_again_to_its_own_staff_only(
    staff_client, studio_client, fake_anthropic, ask, conversation_id
):
    abbey, olympic = staff_client("abbey"), staff_client("olympic")
    fake_anthropic.queue(fake_text("You have 0 clients."))
    assert ask(abbey, "How many clients?").status_code == 200
    shown = abbey.get(f"/api/ai/history?conversation_id={conversation_id}").get_json()
    assert shown == {
        "conversation_id": conversation_id,
        "messages": [
            {"role": "user", "content": "How many clients?"},
            {"role": "assistant", "content": "You have 0 clients."},
        ],
    }
    # The same id elsewhere is another conversation: another studio's staff see nothing of it.
    assert olympic.get(f"/api/ai/history?conversation_id={conversation_id}").get_json()["messages"] == []
    assert abbey.get("/api/ai/history?conversation_id=../x").status_code == 400
    assert studio_client("abbey").get(f"/api/ai/history?conversation_id={conversation_id}").status_code == 401
