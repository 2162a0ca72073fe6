"""The assistant's side panel (assistant.js) is on staff pages, wired to the chat endpoint and the page's CSRF token."""

from __future__ import annotations

import re


def test_staff_pages_carry_the_panel(staff_client):
    browser = staff_client("abbey")
    for path in ("/dashboard", "/clients"):
        page = browser.get(path).get_data(as_text=True)
        assert 'id="ai-panel"' in page, path
        assert 'data-endpoint="/api/ai/chat" data-history="/api/ai/history"' in page
        assert re.search(r'<script src="/static/assistant\.js[^"]*" defer>', page)
        assert re.search(r'<meta name="csrf-token" content="[^"]+">', page)


def test_panel_script_is_served_and_reads_the_csrf_meta(staff_client):
    script = staff_client("abbey").get("/static/assistant.js")
    assert script.status_code == 200
    text = script.get_data(as_text=True)
    assert 'meta[name="csrf-token"]' in text and '"X-CSRFToken"' in text
    assert "conversation_id: conversationId()" in text and "session_id" not in text
    assert "innerHTML" not in text, "answers are model output: text only"
    assert 'panel.dataset.history + "?conversation_id=" + encodeURIComponent(id)' in text


def test_client_portal_has_no_panel(make_studio, studio_client):
    make_studio("abbey")
    assert 'id="ai-panel"' not in studio_client("abbey").get("/client/login").get_data(as_text=True)
