"""The converged e2e server the bench measures: taken under the machine-wide e2e lock, started
(and converged) when absent, and the commands the bench runs on it."""

from __future__ import annotations

import fcntl
import json
import shlex
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from e2e import demo, lifecycle, server
from e2e.converge import _ANSI, ConvergeResult, parse_results, run_converge
from e2e.scenario import Scenario
from e2e.util import LOG_DIR, log, stage

# The lock every end-to-end run takes (`flock /tmp/rsm-e2e.lock scripts/e2e-test`): the server's
# container names are machine-wide.
E2E_LOCK = Path("/tmp/rsm-e2e.lock")
IN_CONTAINER = Path(__file__).with_name("in_container.py")


@contextmanager
def e2e_lock() -> Iterator[None]:
    with open(E2E_LOCK, "a") as handle:
        log(f"waiting for {E2E_LOCK} (another end-to-end run may hold it)")
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def converged_state(scenario: Scenario) -> dict | None:
    """The scenario's state when its server is converged and answering, else None."""
    state = scenario.read_state()
    if not state or not scenario.converged_stamp.exists():
        return None
    if server.container_state(scenario.container()) != "running":
        return None
    if not server.ssh_answers(state["server_ip"], server.SSH_KEY, timeout=5):
        return None
    return state if lifecycle.services_running() else None


def converge_figures(result: ConvergeResult) -> dict:
    return {
        "seconds": round(result.seconds, 1),
        "operations": len(result.table),
        "changed": len(result.changed),
        "ok": result.returncode == 0,
        "log": str(result.log),
    }


def bring_up(scenario: Scenario) -> tuple[dict, dict]:
    """A fresh server, its first converge and the demo studio: (state, first converge's figures)."""
    state = lifecycle.infra(scenario)
    with stage("first converge"):
        first = run_converge(scenario=scenario, label="bench-converge-1")
    if first.returncode != 0:
        raise RuntimeError(f"the first converge failed; see {first.log}\n{first.tail(40)}")
    scenario.converged_stamp.write_text("ok\n")
    demo.ensure(scenario, state)
    return state, converge_figures(first)


def first_converge_from_log() -> dict | None:
    """The figures of the server's first converge, by the e2e harness or by an earlier bench, from
    its log: the time from the stamp in its name (its start) to its last write, and its results."""
    logs = sorted(
        [*LOG_DIR.glob("converge-1-*.log"), *LOG_DIR.glob("bench-converge-1-*.log")],
        key=lambda p: p.stat().st_mtime,
    )
    if not logs:
        return None
    log_path = logs[-1]
    stamp = log_path.stem.removeprefix("bench-").removeprefix("converge-1-")
    started = time.mktime(time.strptime(stamp, "%Y%m%d-%H%M%S"))
    table = parse_results(_ANSI.sub("", log_path.read_text(errors="replace")))
    return {
        "seconds": round(log_path.stat().st_mtime - started, 1),
        "operations": len(table),
        "changed": sum(1 for row in table if row["success"] > 0),
        "ok": bool(table),
        "log": str(log_path),
    }


def reconverge(scenario: Scenario) -> dict:
    with stage("no-op re-converge"):
        result = run_converge(scenario=scenario, label="bench-converge-noop")
    return converge_figures(result)


class Remote:
    """Commands on the server container (docker exec from this machine, no SSH round trips)."""

    def __init__(self, scenario: Scenario) -> None:
        self.container = scenario.container()

    def sh(self, command: str, *, input: str | None = None, timeout: float = 600) -> str:
        return server.exec_(self.container, ["sh", "-c", command], input=input, timeout=timeout).stdout

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self.sh(f"runuser -u postgres -- psql -X -d {database} -tAc {shlex.quote(sql)}").strip()

    def in_app(self, *args: str, timeout: float = 7200) -> list[dict]:
        """bench/in_container.py ARGS in the live app container; its JSON lines."""
        command = 'docker exec -i "$(/usr/local/sbin/rsm-release container)" python3 - ' + " ".join(
            shlex.quote(a) for a in args
        )
        out = self.sh(command, input=IN_CONTAINER.read_text(), timeout=timeout)
        return [json.loads(line) for line in out.splitlines() if line.startswith("{")]

    def app_log_tail(self, lines: int = 20) -> str:
        """The live app container's log lines of the past minute other than 200s and 302s, and
        PgBouncer's last ones."""
        app = 'docker logs --since 60s "$(/usr/local/sbin/rsm-release container)" 2>&1'
        return self.sh(
            f"{app} | grep -vE '\" (200|302) ' | tail -n {lines}; "
            f"echo '-- PgBouncer:'; tail -n {lines} /var/log/postgresql/pgbouncer.log"
        )

    def flask(self, *args: str, timeout: float = 7200) -> str:
        quoted = " ".join(shlex.quote(a) for a in args)
        return self.sh(
            f'docker exec "$(/usr/local/sbin/rsm-release container)" flask --app app {quoted}',
            timeout=timeout,
        )
