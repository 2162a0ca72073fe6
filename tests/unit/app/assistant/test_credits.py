"""AI credits: one per answer, in the master database's ledger, never spent twice."""

from __future__ import annotations

import threading

from sqlalchemy import select

from app.assistant import credits
from app.assistant.errors import AssistantError
from app.extensions import master_db
from app.models.master import AiCreditEntry
from e2e.fakes.anthropic_server import fake_tool_use


def balance(app, organization) -> int:
    with app.app_context():
        return sum(
            master_db.session.scalars(
                select(AiCreditEntry.delta).where(AiCreditEntry.organization_id == organization.id)
            )
        )


def test_each_answer_debits_one_credit_in_the_ledger(app, staff_client, fake_anthropic, ask):
    browser = staff_client("abbey")
    assert ask(browser, "one").get_json()["credits_remaining"] == 199
    assert ask(browser, "two").get_json()["credits_remaining"] == 198
    with app.app_context():
        rows = master_db.session.execute(
            select(AiCreditEntry.delta, AiCreditEntry.reason)
            .where(AiCreditEntry.organization_id == browser.organization.id)
            .order_by(AiCreditEntry.id)
        ).all()
    assert [tuple(r) for r in rows] == [(200, "trial grant"), (-1, "assistant chat"), (-1, "assistant chat")]


def test_exhausted_credits_are_402_without_calling_the_api(app, staff_client, fake_anthropic, ask):
    browser = staff_client("abbey")
    with app.app_context():
        master_db.session.add(
            AiCreditEntry(organization_id=browser.organization.id, delta=-200, reason="used up")
        )
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


def test_credits_are_debited_from_the_studio_of_the_host_only(app, staff_client, fake_anthropic, ask):
    # The ledger follows the resolved studio, never anything the caller sends.
    abbey, olympic = staff_client("abbey"), staff_client("olympic")
    assert ask(abbey, "hi", organization_id=str(olympic.organization.id)).status_code == 200
    assert balance(app, abbey.organization) == 199
    assert balance(app, olympic.organization) == 200


def test_a_failed_chat_gives_its_credit_back(app, staff_client, fake_anthropic, ask):
    browser = staff_client("abbey")
    fake_anthropic.queue(*[fake_tool_use("count_clients", {}) for _ in range(6)])
    response = ask(browser, "loop forever")
    assert response.status_code == 502
    assert response.get_json()["error"] == "assistant_too_many_steps"
    assert len(fake_anthropic.requests) == 6
    assert balance(app, browser.organization) == 200
