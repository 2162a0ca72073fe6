"""Requests of one process take turns: one runs at a time, in the order they arrived.

A gunicorn worker runs several threads so that a request waiting on something slow outside (the
model, for the assistant) does not stop the worker's other requests. But a page is Python under
the GIL, and threads left to share the GIL share it unfairly: on the 2-core bench host, 3 workers
of 4 threads served the kept dashboard with a p99 of 174–324 ms against 25–71 ms for 3 workers of
1 thread, at the same req/s (wrk, 32 connections, straight to gunicorn). Taking turns in arrival
order gives the single thread's tail (40–63 ms) and keeps the threads for what waits: a request
steps aside (`stepped_aside`) while it waits on the model, and queues again after.
"""

from __future__ import annotations

import threading
from collections import deque
from contextlib import contextmanager


class Turns:
    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._taken = False
        self._queue: deque[threading.Lock] = deque()
        self._holder = threading.local()

    def init_app(self, app) -> None:
        inner = app.wsgi_app

        def in_turn(environ, start_response):
            with self._turn():
                return inner(environ, start_response)

        app.wsgi_app = in_turn
        app.extensions["turns"] = self

    @property
    def waiting(self) -> int:
        return len(self._queue)

    def held(self) -> bool:
        """Whether this thread has the turn."""
        return getattr(self._holder, "held", False)

    @contextmanager
    def stepped_aside(self):
        """Let the next request run while this one waits on something outside the process; outside
        a turn (a CLI command, the mail worker), nothing to give."""
        if not self.held():
            yield
            return
        self._release()
        try:
            yield
        finally:
            self._acquire()

    @contextmanager
    def _turn(self):
        if self.held():  # a request made from within a request (a test's): already its turn
            yield
            return
        self._acquire()
        try:
            yield
        finally:
            self._release()

    def _acquire(self) -> None:
        with self._mutex:
            if not self._taken:
                self._taken = True
                self._holder.held = True
                return
            # Handed over by `_release`, so each waiter is woken alone and in its order.
            baton = threading.Lock()
            baton.acquire()
            self._queue.append(baton)
        baton.acquire()
        self._holder.held = True

    def _release(self) -> None:
        self._holder.held = False
        with self._mutex:
            if self._queue:
                self._queue.popleft().release()
            else:
                self._taken = False


turns = Turns()
