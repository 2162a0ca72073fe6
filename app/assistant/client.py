"""The Anthropic SDK client, built from the settings once per app, and its failures as AssistantErrors."""

from __future__ import annotations

import logging
import threading

import anthropic
from flask import Flask

from app.assistant.errors import AssistantError
from app.settings import app_settings

log = logging.getLogger(__name__)
_lock = threading.Lock()


def anthropic_client(app: Flask) -> anthropic.Anthropic:
    """The app's client; one per process so the worker's threads share its HTTP connection pool."""
    settings = app_settings(app)
    # The historical outage: the key never reached the container and users saw an opaque "No LLM
    # providers available". Now the operator declares the assistant on or off, and "on" without a
    # key stops the deploy and the app's start; so here the only way to be keyless is "off".
    if not settings.ASSISTANT_ENABLED:
        raise AssistantError(
            503,
            "assistant_off",
            "The assistant is switched off on this platform (ASSISTANT_ENABLED=false).",
        )
    with _lock:
        client = app.extensions.get("anthropic")
        if client is None:
            client = anthropic.Anthropic(
                api_key=settings.ANTHROPIC_API_KEY,
                base_url=settings.ANTHROPIC_BASE_URL,
                timeout=settings.ANTHROPIC_TIMEOUT_SECONDS,
                # The SDK would sleep for whatever Retry-After says before retrying, holding a
                # worker thread; the conversation retries itself, inside its deadline.
                max_retries=0,
            )
            app.extensions["anthropic"] = client
    return client


def _retry_after(exc: anthropic.APIStatusError) -> int:
    try:
        return max(1, round(float(exc.response.headers.get("retry-after", ""))))
    except ValueError:
        return 30


def upstream_error(exc: anthropic.AnthropicError) -> AssistantError:
    """Translate an SDK failure; logs name the failure's type and status only, never request data."""
    if isinstance(exc, anthropic.APITimeoutError):
        log.warning("Anthropic API call timed out")
        return AssistantError(504, "assistant_timeout", "The AI service took too long to answer. Try again.")
    if isinstance(exc, anthropic.APIConnectionError):
        log.warning("Anthropic API unreachable: %s", type(exc.__cause__ or exc).__name__)
        return AssistantError(
            502, "assistant_unreachable", "The AI service could not be reached. Try again shortly."
        )
    if isinstance(exc, anthropic.RateLimitError):
        seconds = _retry_after(exc)
        log.warning("Anthropic API rate limit (retry after %ss)", seconds)
        return AssistantError(
            429,
            "assistant_rate_limited",
            f"The AI service is rate limiting this platform. Try again in {seconds} seconds.",
            retry_after=seconds,
        )
    if isinstance(exc, (anthropic.AuthenticationError, anthropic.PermissionDeniedError)):
        log.error("Anthropic API refused the configured key (status %s)", exc.status_code)
        return AssistantError(
            503,
            "assistant_not_configured",
            "The AI service refused the configured ANTHROPIC_API_KEY; the operator must replace it.",
        )
    if isinstance(exc, anthropic.APIStatusError):
        log.warning("Anthropic API answered status %s", exc.status_code)
        return AssistantError(
            502,
            "assistant_upstream_error",
            f"The AI service failed (status {exc.status_code}). Try again shortly.",
        )
    log.warning("Anthropic SDK error: %s", type(exc).__name__)
    return AssistantError(502, "assistant_upstream_error", "The AI service returned something unexpected.")
