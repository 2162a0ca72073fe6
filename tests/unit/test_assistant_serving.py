"""While the model thinks, the chat holds no database connection and other pages answer at once."""

from __future__ import annotations

import threading
import time

from app.extensions import master_db, studio_db
from tests.fakes.anthropic_server import fake_text, fake_tool_use
from tests.fakes.fixtures import ai_settings, app_config, ask, fake_anthropic, fake_server  # noqa: F401 - fixtures


def wait_for_requests(fake, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(fake.requests) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(fake.requests) == count


def test_a_slow_model_call_holds_no_connection_and_blocks_no_page(app, staff_client, fake_anthropic):
    chatter, other = staff_client("abbey"), staff_client("olympic")
    fake_anthropic.queue(fake_tool_use("count_clients", {}, delay=1.0), fake_text("You have 0 clients.", delay=1.0))
    replies = []
    chat = threading.Thread(target=lambda: replies.append(ask(chatter, "How many clients?")))
    chat.start()

    # First while the model is called after sign-in checks and the credit debit, then after a tool ran.
    for model_calls in (1, 2):
        wait_for_requests(fake_anthropic, model_calls)
        assert studio_db.open_connections == 0
        assert master_db.engine.pool.checkedout() == 0
        started = time.monotonic()
        assert other.get("/dashboard").status_code == 200
        assert time.monotonic() - started < 0.8
        assert chat.is_alive(), "the page was served while the chat was still waiting"

    chat.join()
    assert replies[0].status_code == 200
    assert replies[0].get_json()["answer"] == "You have 0 clients."
