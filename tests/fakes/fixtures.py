"""pytest fixtures pointing the app's real Anthropic SDK at the fake server, and helpers for its tests.

Import the fixtures into a test module (pytest finds them there):

    from tests.fakes.fixtures import ai_settings, app, ask, fake_anthropic, fake_server  # noqa: F401

`app_config` here gives tests/unit/conftest.py's `app` the assistant's settings; parametrize
`ai_settings` to change one (e.g. {"ANTHROPIC_TIMEOUT_SECONDS": "1"}).
"""

from __future__ import annotations


import pytest

from tests.fakes import anthropic_server

API_KEY = "sk-ant-test-key-" + "k" * 24
CONVERSATION_ID = "chat-0001"


def ask(browser, message, conversation_id: str = CONVERSATION_ID, **extra):
    """POST one chat message as the panel does: JSON plus the page's CSRF token in X-CSRFToken."""
    token = browser.csrf_token("/dashboard")
    return browser.post("/api/ai/chat", json={"message": message, "conversation_id": conversation_id, **extra},
                        headers={"X-CSRFToken": token})


@pytest.fixture(scope="session")
def fake_server():
    fake = anthropic_server.start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_anthropic(fake_server):
    fake_server.reset()
    yield fake_server
    fake_server.reset()


@pytest.fixture
def ai_settings() -> dict:
    return {}


@pytest.fixture
def app_config(fake_anthropic, ai_settings) -> dict:
    return {"ANTHROPIC_API_KEY": API_KEY, "ANTHROPIC_BASE_URL": fake_anthropic.url, **ai_settings}
