"""JSON endpoints for signed-in staff: the AI assistant's chat."""

from __future__ import annotations

import re

from flask import jsonify, request

from app.api import bp
from app.assistant.chat import chat
from app.assistant.errors import AssistantError
from app.auth.guards import staff_required

MAX_MESSAGE_CHARS = 4000
# The panel uses crypto.randomUUID(); any caller-chosen id of this shape is fine (it is scoped to
# the studio and the staff user, so guessing another's id reveals nothing).
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _invalid(field: str, message: str):
    return jsonify(error="invalid_request", field=field, message=message), 400


@bp.post("/ai/chat")
@staff_required
def ai_chat():
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _invalid("body", 'Send a JSON object: {"message": "...", "session_id": "..."}.')
    message, session_id = payload.get("message"), payload.get("session_id")
    if not isinstance(message, str) or not message.strip():
        return _invalid("message", "Type a message.")
    if len(message) > MAX_MESSAGE_CHARS:
        return _invalid("message", f"Keep the message under {MAX_MESSAGE_CHARS} characters.")
    if not isinstance(session_id, str) or not SESSION_ID.fullmatch(session_id):
        return _invalid("session_id", "session_id must be 8-64 letters, digits, '-' or '_'.")
    try:
        return jsonify(chat(message.strip(), session_id))
    except AssistantError as exc:
        response = jsonify(exc.body())
        response.status_code = exc.status
        if exc.retry_after is not None:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
