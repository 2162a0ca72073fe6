"""The tool loop: call the model, run the tools it asks for, repeat until it answers.

Bounded twice: at most MAX_TURNS model calls, and all of them within one deadline (the app's
ANTHROPIC_TIMEOUT_SECONDS), so a worker thread never waits on the model longer than that.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import anthropic

from app.assistant.client import upstream_error
from app.assistant.errors import AssistantError
from app.turns import turns

MAX_TURNS = 6
MAX_TOKENS = 1024
# Below this, a retry could not finish anyway; fail now with the first error.
MIN_RETRY_SECONDS = 2.0


@dataclass
class Answer:
    text: str
    input_tokens: int
    output_tokens: int


def _blocks(content) -> list[dict]:
    """The assistant's content as request blocks (only the fields the API accepts back)."""
    blocks = []
    for block in content:
        if block.type == "text":
            blocks.append({"type": "text", "text": block.text})
        elif block.type == "tool_use":
            blocks.append({"type": "tool_use", "id": block.id, "name": block.name, "input": block.input})
    return blocks


def _create(client: anthropic.Anthropic, deadline: float, **request):
    """One model call within the deadline, retried once on a dropped connection or a 5xx."""
    for attempt in (1, 2):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssistantError(
                504, "assistant_timeout", "The AI service took too long to answer. Try again."
            )
        try:
            with turns.stepped_aside():
                return client.messages.create(timeout=remaining, **request)
        except anthropic.APITimeoutError as exc:
            raise upstream_error(exc) from None
        except (anthropic.APIConnectionError, anthropic.InternalServerError) as exc:
            if attempt == 2 or deadline - time.monotonic() < MIN_RETRY_SECONDS:
                raise upstream_error(exc) from None
        except anthropic.AnthropicError as exc:
            raise upstream_error(exc) from None


def converse(
    client: anthropic.Anthropic,
    *,
    model: str,
    system: str,
    messages: list[dict],
    tools: list[dict],
    run_tool: Callable[[str, object], tuple[str, bool]],
    timeout_seconds: float,
) -> Answer:
    deadline = time.monotonic() + timeout_seconds
    input_tokens = output_tokens = 0
    for _turn in range(MAX_TURNS):
        response = _create(
            client,
            deadline,
            model=model,
            max_tokens=MAX_TOKENS,
            system=system,
            messages=messages,
            tools=tools,
        )
        input_tokens += response.usage.input_tokens
        output_tokens += response.usage.output_tokens
        messages.append({"role": "assistant", "content": _blocks(response.content)})
        calls = [block for block in response.content if block.type == "tool_use"]
        if response.stop_reason != "tool_use" or not calls:
            text = "\n\n".join(block.text for block in response.content if block.type == "text").strip()
            return Answer(text or "(The assistant gave no answer.)", input_tokens, output_tokens)
        results = []
        for call in calls:
            content, is_error = run_tool(call.name, call.input)
            results.append(
                {"type": "tool_result", "tool_use_id": call.id, "content": content, "is_error": is_error}
            )
        messages.append({"role": "user", "content": results})
    raise AssistantError(
        502,
        "assistant_too_many_steps",
        f"The assistant needed more than {MAX_TURNS} steps without answering. Ask a narrower question.",
    )
