"""One chat message end to end through the real SDK: tool round trips, usage, the model and the
history it sends, and while the model thinks, no database connection held and no page blocked."""

from __future__ import annotations

import json
import threading
import time

import pytest

from app.assistant.tools import TOOLS
from app.extensions import master_db, studio_db
from app.models.studio import Client
from e2e.fakes.anthropic_server import fake_text, fake_tool_use


def add_clients(open_db, organization, *names):
    with open_db(organization) as db:
        db.add_all(Client(name=name, email=f"{name.lower()}@example.com") for name in names)


def test_how_many_clients_gets_the_right_number(
    open_db, staff_client, fake_anthropic, anthropic_api_key, ask
):
    browser = staff_client("abbey")
    add_clients(open_db, browser.organization, "Ada", "Brian", "Carla")

    response = ask(browser, "How many clients do I have?")

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["answer"] == "You have 3 clients."
    first, second = (r["body"] for r in fake_anthropic.requests)
    assert first["model"] == "claude-haiku-4-5"
    assert {t["name"] for t in first["tools"]} == {t["name"] for t in TOOLS}
    assert first["messages"] == [{"role": "user", "content": "How many clients do I have?"}]
    tool_use = second["messages"][1]["content"][0]
    result = second["messages"][2]["content"][0]
    assert tool_use["type"] == "tool_use" and tool_use["name"] == "count_clients"
    assert result == {
        "type": "tool_result",
        "tool_use_id": tool_use["id"],
        "content": json.dumps({"count": 3}),
        "is_error": False,
    }
    assert all(r["api_key"] == anthropic_api_key for r in fake_anthropic.requests)


def test_reply_carries_summed_usage_latency_and_credits(
    app, staff_client, fake_anthropic, ask, conversation_id
):
    browser = staff_client("abbey")
    fake_anthropic.queue(
        fake_tool_use("count_clients", {}, input_tokens=120, output_tokens=30),
        fake_text("None yet.", input_tokens=200, output_tokens=9),
    )
    body = ask(browser, "Clients?").get_json()
    assert body["answer"] == "None yet."
    assert body["conversation_id"] == conversation_id
    assert body["usage"] == {"input_tokens": 320, "output_tokens": 39}
    assert isinstance(body["latency_ms"], int) and body["latency_ms"] >= 0
    assert body["credits_remaining"] == 199


@pytest.mark.parametrize("ai_settings", [{"ANTHROPIC_MODEL": "claude-test-model"}])
def test_model_comes_from_settings(app, staff_client, fake_anthropic, ask):
    ask(staff_client("abbey"), "hi")
    assert fake_anthropic.requests[0]["body"]["model"] == "claude-test-model"


def test_second_turn_sends_the_first(staff_client, fake_anthropic, ask):
    browser = staff_client("abbey")
    fake_anthropic.queue(fake_text("Hi, I am the studio assistant."), fake_text("You asked who I am."))
    ask(browser, "Who are you?")
    ask(browser, "What did I ask?")
    assert fake_anthropic.requests[1]["body"]["messages"] == [
        {"role": "user", "content": "Who are you?"},
        {"role": "assistant", "content": "Hi, I am the studio assistant."},
        {"role": "user", "content": "What did I ask?"},
    ]
    ask(browser, "Fresh start?", conversation_id="chat-0002")
    assert fake_anthropic.requests[2]["body"]["messages"] == [{"role": "user", "content": "Fresh start?"}]


def wait_for_requests(fake, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(fake.requests) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(fake.requests) == count


def test_a_slow_model_call_holds_no_connection_and_blocks_no_page(app, staff_client, fake_anthropic, ask):
    chatter, other = staff_client("abbey"), staff_client("olympic")
    fake_anthropic.queue(
        fake_tool_use("count_clients", {}, delay=1.0), fake_text("You have 0 clients.", delay=1.0)
    )
    replies = []
    chat = threading.Thread(target=lambda: replies.append(ask(chatter, "How many clients?")))
    chat.start()

    # First while the model is called after sign-in checks and the credit debit, then after a tool ran.
    for model_calls in (1, 2):
        wait_for_requests(fake_anthropic, model_calls)
        assert studio_db.checked_out_connections == 0
        assert master_db.engine.pool.checkedout() == 0
        started = time.monotonic()
        assert other.get("/dashboard").status_code == 200
        assert time.monotonic() - started < 0.8
        assert chat.is_alive(), "the page was served while the chat was still waiting"

    chat.join()
    assert replies[0].status_code == 200
    assert replies[0].get_json()["answer"] == "You have 0 clients."
