"""A webhook receiver standing in for the operator's: it keeps every JSON body posted to it.

`python -m e2e.fakes.webhook_server --host H --port P` serves it standalone (the end-to-end run,
where Alertmanager posts to it); `GET /_e2e/received` lists the bodies received, oldest first.
"""

from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RECEIVED_PATH = "/_e2e/received"


def _handler(received: list, lock: threading.Lock):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                entry = json.loads(body or b"null")
            except ValueError:
                self._answer(400, {"error": "not JSON"})
                return
            with lock:
                received.append({"path": self.path, "body": entry})
            self._answer(200, {"ok": True})

        def do_GET(self):
            if self.path != RECEIVED_PATH:
                self._answer(404, {"error": "not found"})
                return
            with lock:
                self._answer(200, {"received": list(received)})

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):  # the harness's log has the daemon's output; keep it short
            pass

    return Handler


def serve(host: str, port: int) -> ThreadingHTTPServer:
    return ThreadingHTTPServer((host, port), _handler([], threading.Lock()))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18093)
    args = parser.parse_args(argv)
    serve(args.host, args.port).serve_forever()


if __name__ == "__main__":
    main()
