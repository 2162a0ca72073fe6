"""A minimal fake of the Anthropic Messages API for the end-to-end run.

`python -m tests.e2e.fake_anthropic --host H --port P [--expect-key-file F]`

Answers `POST /v1/messages` in the Messages API's JSON shape (a text block and usage; SSE when the
request asks for `stream`). With `--expect-key-file` it answers 401 (Anthropic's error shape)
unless the `x-api-key` header equals the file's content: a reply therefore proves the operator's
key travelled into the app container. `GET /_e2e/requests` lists what was received (never keys).
Used only when the app's own `tests/fakes/anthropic_server.py` is absent.
"""

from __future__ import annotations

import argparse
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLY = "Hello from the e2e fake Anthropic API."
_received: list[dict] = []
_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    server_version = "fake-anthropic/1"
    expected_key: str | None = None

    def log_message(self, fmt, *args):  # quiet; the harness keeps its own log
        pass

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("request-id", "req_e2e_" + uuid.uuid4().hex[:12])
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/_e2e/requests":
            with _lock:
                return self._json(200, {"requests": list(_received)})
        if self.path in ("/", "/healthz"):
            return self._json(200, {"ok": True})
        return self._json(404, {"type": "error", "error": {"type": "not_found_error", "message": self.path}})

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.path.split("?")[0] != "/v1/messages":
            return self._json(404, {"type": "error", "error": {"type": "not_found_error", "message": self.path}})
        key = self.headers.get("x-api-key") or ""
        if not key and (self.headers.get("authorization") or "").lower().startswith("bearer "):
            key = self.headers["authorization"].split(None, 1)[1]
        key_ok = bool(key) and (self.expected_key is None or hmac.compare_digest(key, self.expected_key))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self._json(400, {"type": "error", "error": {"type": "invalid_request_error", "message": "bad JSON"}})
        with _lock:
            _received.append({"time": time.time(), "path": self.path, "key_ok": key_ok,
                              "model": body.get("model"), "stream": bool(body.get("stream"))})
        if not key_ok:
            return self._json(401, {"type": "error",
                                    "error": {"type": "authentication_error", "message": "invalid x-api-key"}})
        model = body.get("model") or "claude-haiku-4-5"
        msg_id = "msg_e2e_" + uuid.uuid4().hex[:16]
        usage = {"input_tokens": max(1, len(raw) // 4), "output_tokens": len(REPLY.split())}
        if body.get("stream"):
            return self._stream(msg_id, model, usage)
        return self._json(200, {
            "id": msg_id, "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": REPLY}],
            "stop_reason": "end_turn", "stop_sequence": None, "usage": usage,
        })

    def _stream(self, msg_id: str, model: str, usage: dict) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.end_headers()

        def event(name: str, data: dict) -> None:
            self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())

        event("message_start", {"type": "message_start", "message": {
            "id": msg_id, "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": usage["input_tokens"], "output_tokens": 0}}})
        event("content_block_start", {"type": "content_block_start", "index": 0,
                                      "content_block": {"type": "text", "text": ""}})
        event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                      "delta": {"type": "text_delta", "text": REPLY}})
        event("content_block_stop", {"type": "content_block_stop", "index": 0})
        event("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                "usage": {"output_tokens": usage["output_tokens"]}})
        event("message_stop", {"type": "message_stop"})
        self.wfile.flush()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--expect-key-file")
    args = parser.parse_args(argv)
    if args.expect_key_file:
        with open(args.expect_key_file) as fh:
            Handler.expected_key = fh.read().strip()
    ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
