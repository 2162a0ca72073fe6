"""JSON endpoints for signed-in staff: the AI assistant's chat, and a conversation's history, which
the panel shows again on every page."""

from __future__ import annotations

import re

from flask import jsonify, request

from app.api import bp
from app.assistant import history
from app.assistant.chat import chat
from app.assistant.errors import AssistantError
from app.auth.guards import current_staff, staff_required
from app.tenancy.context import current_studio

MAX_MESSAGE_CHARS = 4000
# The panel makes a random hex id; any caller-chosen id of this shape is fine (it is scoped to the
# studio and the staff account, so guessing another's id reveals nothing).
CONVERSATION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
# The field's name before conversation_id; still accepted for one release, for open pages and scripts.
LEGACY_CONVERSATION_FIELD = "session_id"


def _invalid(field: str, message: str):
    return jsonify(error="invalid_request", field=field, message=message), 400


@bp.post("/ai/chat")
@staff_required
def ai_chat():
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _invalid("body", 'Send a JSON object: {"message": "...", "conversation_id": "..."}.')
    message = payload.get("message")
    conversation_id = payload.get("conversation_id", payload.get(LEGACY_CONVERSATION_FIELD))
    if not isinstance(message, str) or not message.strip():
        return _invalid("message", "Type a message.")
    if len(message) > MAX_MESSAGE_CHARS:
        return _invalid("message", f"Keep the message under {MAX_MESSAGE_CHARS} characters.")
    if not isinstance(conversation_id, str) or not CONVERSATION_ID.fullmatch(conversation_id):
        return _invalid("conversation_id", "conversation_id must be 8-64 letters, digits, '-' or '_'.")
    try:
        return jsonify(chat(message.strip(), conversation_id))
    except AssistantError as exc:
        response = jsonify(exc.body())
        response.status_code = exc.status
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response


@bp.get("/ai/history")
@staff_required
def ai_history():
    """The conversation so far (the user's messages and the answers), for the panel to show again
    after moving to another page; only the signed-in staff member's own, in this studio."""
    conversation_id = request.args.get("conversation_id", "")
    if not CONVERSATION_ID.fullmatch(conversation_id):
        return _invalid("conversation_id", "conversation_id must be 8-64 letters, digits, '-' or '_'.")
    key = history.history_key(current_studio().id, current_staff().id, conversation_id)
    return jsonify(conversation_id=conversation_id, messages=history.load(key))
