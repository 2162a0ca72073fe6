"""The assistant end to end through the real SDK: tool round trips, usage, history and credits."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import select

from app.assistant import credits
from app.assistant.errors import AssistantError
from app.assistant.tools import TOOLS
from app.extensions import master_db, redis_store
from app.models.master import AiCreditEntry
from app.models.studio import Client, StaffAccount
from app.security.passwords import hash_password
from tests.fakes.anthropic_server import fake_text, fake_tool_use
from tests.fakes.fixtures import (  # noqa: F401 - fixtures
    API_KEY,
    CONVERSATION_ID,
    ai_settings,
    app_config,
    ask,
    fake_anthropic,
    fake_server,
)
from tests.unit.conftest import PASSWORD


def add_clients(open_db, organization, *names):
    with open_db(organization) as db:
        db.add_all(Client(name=name, email=f"{name.lower()}@example.com") for name in names)


def balance(app, organization) -> int:
    with app.app_context():
        return sum(master_db.session.scalars(
            select(AiCreditEntry.delta).where(AiCreditEntry.organization_id == organization.id)))


def test_how_many_clients_gets_the_right_number(open_db, staff_client, fake_anthropic):
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
    assert result == {"type": "tool_result", "tool_use_id": tool_use["id"],
                      "content": json.dumps({"count": 3}), "is_error": False}
    assert all(r["api_key"] == API_KEY for r in fake_anthropic.requests)


def test_reply_carries_summed_usage_latency_and_credits(app, staff_client, fake_anthropic):
    browser = staff_client("abbey")
    fake_anthropic.queue(fake_tool_use("count_clients", {}, input_tokens=120, output_tokens=30),
                         fake_text("None yet.", input_tokens=200, output_tokens=9))
    body = ask(browser, "Clients?").get_json()
    assert body["answer"] == "None yet."
    assert body["conversation_id"] == CONVERSATION_ID
    assert body["usage"] == {"input_tokens": 320, "output_tokens": 39}
    assert isinstance(body["latency_ms"], int) and body["latency_ms"] >= 0
    assert body["credits_remaining"] == 199


@pytest.mark.parametrize("ai_settings", [{"ANTHROPIC_MODEL": "claude-test-model"}])
def test_model_comes_from_settings(app, staff_client, fake_anthropic):
    ask(staff_client("abbey"), "hi")
    assert fake_anthropic.requests[0]["body"]["model"] == "claude-test-model"


def test_second_turn_sends_the_first(staff_client, fake_anthropic):
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


def test_history_is_kept_bounded_and_expiring(app, staff_client, fake_anthropic):
    browser = staff_client("abbey")
    for number in range(12):
        ask(browser, f"message {number}")
    with app.app_context():
        (key,) = redis_store.client.keys("ai:history:*")
        assert key == f"ai:history:{browser.organization.id}:1:{CONVERSATION_ID}"
        assert 0 < redis_store.client.ttl(key) <= 24 * 3600
        assert redis_store.client.llen(key) == 20
    last = fake_anthropic.requests[-1]["body"]["messages"]
    # Before the 12th message, the last ten exchanges (1-10) are kept: the oldest dropped whole.
    assert last[0] == {"role": "user", "content": "message 1"}
    assert len(last) == 21


def test_history_is_private_to_the_studio_and_the_staff_user(app, open_db, staff_client, fake_anthropic):
    abbey, olympic = staff_client("abbey"), staff_client("olympic")
    ask(abbey, "Abbey secret plans")
    ask(olympic, "Olympic question")  # same conversation_id, other studio
    assert fake_anthropic.requests[1]["body"]["messages"] == [{"role": "user", "content": "Olympic question"}]

    with open_db(abbey.organization) as db:
        db.add(StaffAccount(email="engineer@abbey.example", name="Engineer", password_hash=hash_password(PASSWORD),
                         role="staff", is_active=True))
    colleague = type(abbey)(app, abbey.host)
    assert colleague.post_form("/login", {"email": "engineer@abbey.example", "password": PASSWORD}).status_code == 302
    ask(colleague, "Colleague question")  # same studio, same conversation_id, other staff account
    assert fake_anthropic.requests[2]["body"]["messages"] == [{"role": "user", "content": "Colleague question"}]

    ask(abbey, "And again")
    assert fake_anthropic.requests[3]["body"]["messages"][0] == {"role": "user", "content": "Abbey secret plans"}


def test_each_answer_debits_one_credit_in_the_ledger(app, staff_client, fake_anthropic):
    browser = staff_client("abbey")
    assert ask(browser, "one").get_json()["credits_remaining"] == 199
    assert ask(browser, "two").get_json()["credits_remaining"] == 198
    with app.app_context():
        rows = master_db.session.execute(
            select(AiCreditEntry.delta, AiCreditEntry.reason)
            .where(AiCreditEntry.organization_id == browser.organization.id).order_by(AiCreditEntry.id)
        ).all()
    assert [tuple(r) for r in rows] == [(200, "trial grant"), (-1, "assistant chat"), (-1, "assistant chat")]


def test_exhausted_credits_are_402_without_calling_the_api(app, staff_client, fake_anthropic):
    browser = staff_client("abbey")
    with app.app_context():
        master_db.session.add(AiCreditEntry(organization_id=browser.organization.id, delta=-200, reason="used up"))
        master_db.session.commit()
    response = ask(browser, "hello")
    assert response.status_code == 402
    assert response.get_json()["error"] == "ai_credits_exhausted"
    assert "AI credits" in response.get_json()["message"]
    assert fake_anthropic.requests == []
    assert balance(app, browser.organization) == 0


def test_concurrent_chats_cannot_spend_the_last_credit_twice(app, make_studio):
    organization = make_studio("abbey")
    with app.app_context():
        master_db.session.add(AiCreditEntry(organization_id=organization.id, delta=-197, reason="used"))
        master_db.session.commit()
    outcomes, barrier = [], threading.Barrier(6)

    def spend():
        with app.app_context():
            barrier.wait()
            try:
                outcomes.append(credits.reserve(organization.id))
            except AssistantError as exc:
                outcomes.append(exc.status)

    threads = [threading.Thread(target=spend) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [0, 1, 2, 402, 402, 402]
    assert balance(app, organization) == 0


def test_a_failed_chat_gives_its_credit_back(app, staff_client, fake_anthropic):
    browser = staff_client("abbey")
    fake_anthropic.queue(*[fake_tool_use("count_clients", {}) for _ in range(6)])
    response = ask(browser, "loop forever")
    assert response.status_code == 502
    assert response.get_json()["error"] == "assistant_too_many_steps"
    assert len(fake_anthropic.requests) == 6
    assert balance(app, browser.organization) == 200


def test_credits_are_debited_from_the_studio_of_the_host_only(app, staff_client, fake_anthropic):
    # The ledger follows the resolved studio, never anything the caller sends.
    abbey, olympic = staff_client("abbey"), staff_client("olympic")
    assert ask(abbey, "hi", organization_id=str(olympic.organization.id)).status_code == 200
    assert balance(app, abbey.organization) == 199
    assert balance(app, olympic.organization) == 200
