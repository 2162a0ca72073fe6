"""Failures of the assistant, each with the HTTP status and JSON body the API answers with."""

from __future__ import annotations


class AssistantError(Exception):
    """A chat that could not be answered; `code` is the stable machine-readable name of the cause."""

    def __init__(self, status: int, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after

    def body(self) -> dict:
        body = {"error": self.code, "message": self.message}
        if self.retry_after is not None:
            body["retry_after"] = self.retry_after
        return body
