"""Chat history in Redis: one list per (studio, staff account, conversation), bounded and expiring.

Only the user's messages and the final answers are kept, not the tool calls in between: the next
turn gets the conversation's meaning without replaying data the tools can fetch again fresh.
"""

from __future__ import annotations

import json
import uuid

from app.extensions import redis_store

TTL_SECONDS = 24 * 3600
# Twenty messages are ten exchanges: enough context, and a bounded prompt (and cost) per call.
MAX_MESSAGES = 20


def history_key(organization_id: uuid.UUID, staff_id: int, conversation_id: str) -> str:
    return f"ai:history:{organization_id}:{staff_id}:{conversation_id}"


def load(key: str) -> list[dict]:
    return [json.loads(item) for item in redis_store.client.lrange(key, 0, -1)]


def append_exchange(key: str, message: str, answer: str) -> None:
    pipe = redis_store.client.pipeline()
    pipe.rpush(
        key,
        json.dumps({"role": "user", "content": message}),
        json.dumps({"role": "assistant", "content": answer}),
    )
    # Trimming whole exchanges keeps the list starting with a user message, as the API requires.
    pipe.ltrim(key, -MAX_MESSAGES, -1)
    pipe.expire(key, TTL_SECONDS)
    pipe.execute()
