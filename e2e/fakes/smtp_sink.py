"""An SMTP sink standing in for the operator's relay: it keeps every message it is handed.

`start()` runs it in this process (the unit tests); `python -m e2e.fakes.smtp_sink --host H --port P`
serves it standalone (the end-to-end run, where the server's mail worker sends to it) and writes each
message, as received, to `--spool DIR` (one .eml file each) for the tests to read.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import threading
import time
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, spool: Path | None = None) -> None:
        self.spool = spool
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        raw = envelope.original_content or envelope.content
        with self.lock:
            self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))
            if self.spool is not None:
                name = f"{time.time_ns()}-{len(self.messages):05d}.eml"
                (self.spool / (name + ".part")).write_bytes(raw)
                (self.spool / (name + ".part")).rename(self.spool / name)
        return "250 Message accepted"

    def received(self) -> list[EmailMessage]:
        with self.lock:
            return list(self.messages)

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()

    def wait_for(self, count: int = 1, seconds: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + seconds
        while len(self.received()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.received()


class RunningSink:
    def __init__(self, controller: Controller, sink: Sink) -> None:
        self.controller, self.sink = controller, sink
        self.url = f"smtp://{controller.hostname}:{controller.port}"

    def stop(self) -> None:
        self.controller.stop()


def start(host: str = "127.0.0.1", port: int = 0, spool: Path | None = None) -> RunningSink:
    sink = Sink(spool)
    controller = Controller(sink, hostname=host, port=port or free_port(host))
    controller.start()
    return RunningSink(controller, sink)


def free_port(host: str) -> int:
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def text_part(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=18025)
    parser.add_argument("--spool", type=Path, required=True)
    args = parser.parse_args(argv)
    args.spool.mkdir(parents=True, exist_ok=True)
    start(args.host, args.port, args.spool)
    threading.Event().wait()


if __name__ == "__main__":
    main()
