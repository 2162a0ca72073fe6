"""One chat message from a staff user: credits, history, the tool loop, and the reply."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from app import logs
from app.assistant import credits, history
from app.assistant.client import anthropic_client
from app.assistant.conversation import converse
from app.assistant.errors import AssistantError
from app.assistant.tools import TOOLS, run_tool
from app.auth.guards import current_staff
from app.extensions import studio_db
from app.models.studio import Language
from app.services.studio_profile import studio_profile
from app.settings import app_settings
from app.tenancy.context import current_studio

# The model is told the language by its English name.
LANGUAGE_NAMES = {Language.ENGLISH: "English", Language.FRENCH: "French"}


def _system_prompt(studio_name: str, staff_name: str, zone: ZoneInfo, language: Language) -> str:
    now = datetime.now(UTC).astimezone(zone)
    return (
        f"Answer in {LANGUAGE_NAMES[language]}, the studio's language. "
        f"You are the assistant of the recording studio {studio_name!r}, talking with {staff_name}, "
        f"a member of its staff. The studio's time zone is {zone.key}: now is {now:%A %Y-%m-%d %H:%M} "
        "there; give and read times as the studio's local times (the tools do too). "
        "Answer from the studio's data through the tools; never invent clients, bookings, invoices "
        "or equipment. Amounts from the tools are in cents; show them as currency. A booking is what "
        "musicians call a session. Before booking, make sure the room, client and times are what the "
        "user asked for. Be brief."
    )


def chat(message: str, conversation_id: str) -> dict:
    """Answer `message` in conversation `conversation_id`; raise AssistantError for every expected failure."""
    app = current_app._get_current_object()
    client = anthropic_client(app)  # before any debit: an unconfigured assistant costs nothing
    organization, staff = current_studio(), current_staff()
    organization_id, studio_name, staff_id, staff_name = (
        organization.id,
        organization.name,
        staff.id,
        staff.name,
    )
    profile = studio_profile(studio_db.session)
    zone, language = ZoneInfo(profile.time_zone), profile.language
    key = history.history_key(organization_id, staff_id, conversation_id)
    messages = history.load(key) + [{"role": "user", "content": message}]

    # The model call may take ANTHROPIC_TIMEOUT_SECONDS: end the studio database transaction now
    # (reserve() does the master database's), so no pooled connection waits on the model.
    studio_db.session.commit()
    remaining = credits.reserve(organization_id)
    started = time.monotonic()
    try:
        answer = converse(
            client,
            model=app_settings(app).ANTHROPIC_MODEL,
            system=_system_prompt(studio_name, staff_name, zone, language),
            messages=messages,
            tools=TOOLS,
            run_tool=lambda name, args: run_tool(name, args, staff_id),
            timeout_seconds=app_settings(app).ANTHROPIC_TIMEOUT_SECONDS,
        )
    except BaseException as exc:
        cause = exc.code if isinstance(exc, AssistantError) else "internal error"
        logs.event("assistant_failed", logging.WARNING, cause=cause)
        credits.refund(organization_id, f"refund: no answer ({cause})")
        raise
    latency_ms = round((time.monotonic() - started) * 1000)
    logs.event(
        "assistant_answered",
        input_tokens=answer.input_tokens,
        output_tokens=answer.output_tokens,
        latency_ms=latency_ms,
        credits_remaining=remaining,
    )
    history.append_exchange(key, message, answer.text)
    return {
        "answer": answer.text,
        "conversation_id": conversation_id,
        "usage": {"input_tokens": answer.input_tokens, "output_tokens": answer.output_tokens},
        "latency_ms": latency_ms,
        "credits_remaining": remaining,
    }
