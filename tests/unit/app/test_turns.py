"""Requests of one process take turns: one at a time, in arrival order, and a request waiting on
something outside steps aside. Real threads through a real Flask app's WSGI stack."""

from __future__ import annotations

import threading

import pytest
from flask import Flask

from app.turns import Turns
from e2e.util import wait_for

WAIT = 5.0


class Recorder:
    """A Flask app behind its own Turns whose pages record when they run."""

    def __init__(self):
        self.turns = Turns()
        self.app = Flask(__name__)
        self.turns.init_app(self.app)
        self.events: list[str] = []
        self.running = 0
        self.most_running = 0
        self.release_first = threading.Event()
        self.aside_may_end = threading.Event()

        @self.app.get("/page/<name>")
        def page(name):
            self._enter(name)
            if name == "first":
                self.release_first.wait(WAIT)
            self._leave(name)
            return name

        @self.app.get("/waits-outside")
        def waits_outside():
            self._enter("waiter")
            self._leave("waiter")
            with self.turns.stepped_aside():
                self.events.append(f"aside, holding={self.turns.held()}")
                self.aside_may_end.wait(WAIT)
            self._enter("waiter again")
            self._leave("waiter again")
            return "done"

        @self.app.get("/fails")
        def fails():
            raise RuntimeError("boom")

    def _enter(self, name):
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        self.events.append(f"in {name}")

    def _leave(self, name):
        self.running -= 1
        self.events.append(f"out {name}")

    def get_in_thread(self, path):
        results = []
        thread = threading.Thread(target=lambda: results.append(self.app.test_client().get(path)))
        thread.start()
        return thread, results


@pytest.fixture
def recorder():
    return Recorder()


def test_requests_run_one_at_a_time_in_the_order_they_arrived(recorder):
    threads = [recorder.get_in_thread("/page/first")[0]]
    wait_for("the first request to start", lambda: "in first" in recorder.events, WAIT, interval=0.005)
    for number, name in enumerate(["second", "third", "fourth"], start=1):
        threads.append(recorder.get_in_thread(f"/page/{name}")[0])
        wait_for(f"{name} to queue", lambda n=number: recorder.turns.waiting == n, WAIT, interval=0.005)

    recorder.release_first.set()
    for thread in threads:
        thread.join(WAIT)

    assert recorder.events == [
        f"{step} {name}" for name in ("first", "second", "third", "fourth") for step in ("in", "out")
    ]
    assert recorder.most_running == 1
    assert recorder.turns.waiting == 0


def test_a_request_waiting_outside_lets_the_next_one_run_then_queues_again(recorder):
    waiter, results = recorder.get_in_thread("/waits-outside")
    wait_for(
        "the waiter to step aside",
        lambda: any(e.startswith("aside") for e in recorder.events),
        WAIT,
        interval=0.005,
    )

    page = recorder.app.test_client().get("/page/meanwhile")
    recorder.aside_may_end.set()
    waiter.join(WAIT)

    assert page.status_code == 200 and results[0].status_code == 200
    assert recorder.events == [
        "in waiter",
        "out waiter",
        "aside, holding=False",
        "in meanwhile",
        "out meanwhile",
        "in waiter again",
        "out waiter again",
    ]


def test_a_failing_request_gives_its_turn_back(recorder):
    recorder.app.testing = True  # the exception leaves the WSGI call instead of becoming a 500
    with pytest.raises(RuntimeError):
        recorder.app.test_client().get("/fails")

    thread, results = recorder.get_in_thread("/page/next")
    thread.join(WAIT)
    assert results and results[0].get_data(as_text=True) == "next"


def test_outside_a_request_stepping_aside_gives_nothing():
    turns = Turns()
    with turns.stepped_aside():
        assert not turns.held()
    assert not turns.held() and turns.waiting == 0
