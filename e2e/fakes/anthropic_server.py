"""A fake of Anthropic's Messages API (`POST /v1/messages`), scriptable per test.

`python -m e2e.fakes.anthropic_server --host H --port P` serves it standalone (the end-to-end
run); tests use `start()` to run one in a thread and script it:

    fake.queue(fake_text("hello"), fake_tool_use("count_clients", {}), fake_error(429, ...), ...)

Queued replies are used first, in order; with the queue empty, a rule answers: a question about
"how many clients" gets a `count_clients` tool_use, a tool_result gets a text answer quoting it
("You have 3 clients."), anything else is echoed. Every request is recorded (body, and the
API key it carried) in `fake.requests`; `GET /_e2e/requests` lists them with the key's SHA-256
only, so the end-to-end suite can prove which key arrived without the key ever being printed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def key_fingerprint(api_key: str | None) -> str | None:
    return hashlib.sha256(api_key.encode()).hexdigest() if api_key else None


@dataclass
class Reply:
    """One scripted answer: HTTP status, JSON body, extra headers, and a delay before answering."""

    status: int = 200
    body: dict | None = None
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


def _usage(input_tokens: int, output_tokens: int) -> dict:
    return {"input_tokens": input_tokens, "output_tokens": output_tokens}


def _message(content: list[dict], stop_reason: str, usage: dict, model: str = "claude-haiku-4-5") -> dict:
    return {
        "id": "msg_fake_" + uuid.uuid4().hex[:16],
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": usage,
    }


def fake_text(text: str, *, input_tokens: int = 11, output_tokens: int = 7, delay: float = 0.0) -> Reply:
    return Reply(
        body=_message([{"type": "text", "text": text}], "end_turn", _usage(input_tokens, output_tokens)),
        delay=delay,
    )


def fake_tool_use(
    name: str, tool_input: dict, *, input_tokens: int = 13, output_tokens: int = 5, delay: float = 0.0
) -> Reply:
    block = {
        "type": "tool_use",
        "id": "toolu_fake_" + uuid.uuid4().hex[:12],
        "name": name,
        "input": tool_input,
    }
    return Reply(body=_message([block], "tool_use", _usage(input_tokens, output_tokens)), delay=delay)


def fake_error(status: int, error_type: str, message: str, headers: dict | None = None) -> Reply:
    return Reply(
        status=status,
        body={"type": "error", "error": {"type": error_type, "message": message}},
        headers=headers or {},
    )


def _text_of(content) -> str:
    if isinstance(content, str):
        return content
    return " ".join(block.get("text", "") for block in content if block.get("type") == "text")


def _tool_names(messages: list[dict]) -> dict[str, str]:
    names = {}
    for message in messages:
        if message.get("role") == "assistant" and isinstance(message.get("content"), list):
            for block in message["content"]:
                if block.get("type") == "tool_use":
                    names[block["id"]] = block["name"]
    return names


def rule_reply(body: dict) -> Reply:
    """The answer when nothing is queued: enough behaviour for "how many clients do I have?"."""
    messages = body.get("messages") or [{"role": "user", "content": ""}]
    last = messages[-1]
    content = last.get("content")
    results = [b for b in content if b.get("type") == "tool_result"] if isinstance(content, list) else []
    usage = {"input_tokens": max(1, len(json.dumps(body)) // 4)}
    if results:
        names = _tool_names(messages)
        parts = []
        for result in results:
            data = result.get("content")
            if names.get(result.get("tool_use_id")) == "count_clients" and not result.get("is_error"):
                parts.append(f"You have {json.loads(data)['count']} clients.")
            else:
                parts.append(f"The tool said: {data}")
        text = " ".join(parts)
        return Reply(
            body=_message(
                [{"type": "text", "text": text}], "end_turn", {**usage, "output_tokens": len(text.split())}
            )
        )
    question = _text_of(content)
    if "how many clients" in question.lower():
        return fake_tool_use("count_clients", {}, input_tokens=usage["input_tokens"])
    text = f"You said: {question}"
    return Reply(
        body=_message(
            [{"type": "text", "text": text}], "end_turn", {**usage, "output_tokens": len(text.split())}
        )
    )


class FakeAnthropic:
    """The server's state: the reply queue and the requests received, shared by handler threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[Reply] = []
        self.requests: list[dict] = []
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()

    def answer(self, body: dict, api_key: str | None) -> Reply:
        with self._lock:
            self.requests.append({"body": body, "api_key": api_key})
            if self._queue:
                return self._queue.pop(0)
        return rule_reply(body)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(fake: FakeAnthropic):
    class Handler(BaseHTTPRequestHandler):
        server_version = "fake-anthropic/1"

        def log_message(self, fmt, *args):  # the tests' output stays readable
            pass

        def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.send_header("request-id", "req_fake_" + uuid.uuid4().hex[:12])
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _api_key(self) -> str | None:
            # SDK versions differ: older ones send x-api-key, newer ones "Authorization: Bearer".
            bearer = self.headers.get("authorization") or ""
            if bearer.lower().startswith("bearer "):
                return bearer.split(None, 1)[1]
            return self.headers.get("x-api-key")

        def do_GET(self):
            if self.path == "/_e2e/requests":
                with fake._lock:
                    listed = [
                        {"model": r["body"].get("model"), "key_sha256": key_fingerprint(r["api_key"])}
                        for r in fake.requests
                    ]
                return self._send(200, {"requests": listed})
            return self._send(
                404, {"type": "error", "error": {"type": "not_found_error", "message": self.path}}
            )

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            if self.path.split("?")[0] != "/v1/messages":
                return self._send(
                    404, {"type": "error", "error": {"type": "not_found_error", "message": self.path}}
                )
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                return self._send(
                    400, {"type": "error", "error": {"type": "invalid_request_error", "message": "bad JSON"}}
                )
            reply = fake.answer(body, self._api_key())
            if reply.delay:
                time.sleep(reply.delay)
            # the client may give up first (a timeout test): nothing to answer then
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._send(reply.status, reply.body, reply.headers)

    return Handler


def _bind(host: str, port: int) -> FakeAnthropic:
    fake = FakeAnthropic()
    fake.server = ThreadingHTTPServer((host, port), _handler(fake))
    # A reply still sleeping past a client's timeout must not hold up shutdown.
    fake.server.daemon_threads = True
    return fake


def start(host: str = "127.0.0.1", port: int = 0) -> FakeAnthropic:
    """Serve a fake in a background thread (port 0: any free port); `fake.url` says where."""
    fake = _bind(host, port)
    threading.Thread(target=fake.server.serve_forever, name="fake-anthropic", daemon=True).start()
    return fake


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    args = parser.parse_args(argv)
    _bind(args.host, args.port).server.serve_forever()


if __name__ == "__main__":
    main()
