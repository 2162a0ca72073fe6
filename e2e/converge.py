"""Run the real converge (`pyinfra -y inventories/e2e.py deploy.py`, or the scenario's inventory)
and read what it changed."""

from __future__ import annotations

import os
import re
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import fake_api, smtp_relay
from .scenario import Scenario, current
from .util import LOG_DIR, REPO

DEPLOY = "deploy.py"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class ConvergeResult:
    returncode: int
    log: Path
    seconds: float
    output: str
    interrupted: bool = False
    table: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        return [row["operation"] for row in self.table if row["success"] > 0]

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.output.splitlines()[-lines:])


def pyinfra_exe() -> str:
    venv = REPO / ".venv" / "bin" / "pyinfra"
    return str(venv) if venv.exists() else "pyinfra"


def deploy_env(scenario: Scenario, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The operator's environment for the e2e converge: the scenario's state file for the
    inventory, the fake Anthropic key and address, the SMTP sink as the mail relay."""
    env = dict(os.environ)
    env.update(fake_api.operator_env())
    env.update(smtp_relay.operator_env())
    env.update(scenario.operator_secrets())
    env["E2E_STATE"] = str(scenario.state_file)
    env.setdefault("PYTHONUNBUFFERED", "1")
    if extra:
        env.update(extra)
    return env


def run_converge(
    *,
    scenario: Scenario | None = None,
    label: str = "converge",
    extra_args: list[str] | None = None,
    extra_env: dict[str, str] | None = None,
    interrupt_after: float | None = None,
    interrupt_on: str | None = None,
    timeout: float = 3600,
    echo: bool = False,
) -> ConvergeResult:
    """Run pyinfra on the scenario's servers (default: this process's scenario); its full output
    goes to .e2e/logs/LABEL-TIME.log (and to stdout with echo).

    interrupt_after / interrupt_on: SIGKILL pyinfra's process group after that many seconds / as
    soon as an output line matches the regex, like an operator's dropped session."""
    scenario = scenario or current()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / scenario.log_name(label, time.strftime("%Y%m%d-%H%M%S"))
    args = [pyinfra_exe(), "-y", *(extra_args or []), scenario.inventory, DEPLOY]
    start = time.monotonic()
    interrupted = False
    chunks: list[str] = []
    with open(log_path, "w") as log:
        log.write(f"$ {' '.join(args)}\n")
        log.flush()
        proc = subprocess.Popen(
            args,
            cwd=REPO,
            env=deploy_env(scenario, extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        deadline = start + timeout
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            if interrupt_after is not None and not interrupted and now - start >= interrupt_after:
                # like an operator's Ctrl-C / a dropped session: kill pyinfra and its SSH children
                os.killpg(proc.pid, signal.SIGKILL)
                interrupted = True
            if now > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                chunks.append(f"\n[e2e] converge killed after {timeout:.0f}s timeout\n")
                break
            if sel.select(timeout=0.5):
                line = proc.stdout.readline()
                if line == "":
                    break
                chunks.append(line)
                log.write(line)
                if echo:
                    print(line, end="", flush=True)
                if interrupt_on and not interrupted and re.search(interrupt_on, _ANSI.sub("", line)):
                    # killed right after the line (e.g. the first operation that changed something)
                    os.killpg(proc.pid, signal.SIGKILL)
                    interrupted = True
                    log.write("[e2e] pyinfra killed here\n")
            elif proc.poll() is not None:
                rest = proc.stdout.read()
                chunks.append(rest)
                log.write(rest)
                break
        proc.wait()
    output = _ANSI.sub("", "".join(chunks))
    return ConvergeResult(
        returncode=proc.returncode,
        log=log_path,
        seconds=time.monotonic() - start,
        output=output,
        interrupted=interrupted,
        table=parse_results(output),
    )


def parse_results(output: str) -> list[dict]:
    """Rows of pyinfra's closing results table: Operation | Hosts | Success | Error | No Change.

    In pyinfra 3 "Success" counts the hosts where the operation changed something."""
    lines = _ANSI.sub("", output).splitlines()
    rows: list[dict] = []
    in_table = False
    for line in lines:
        text = re.sub(r"^\s*(\[[^\]]*\]\s*)?", "", line).rstrip()
        if re.match(r"^Operation\s+Hosts\s+Success\s+Error\s+No Change$", text):
            in_table, rows = True, []
            continue
        if not in_table:
            continue
        parts = text.split()
        if len(parts) < 5:
            continue
        name, counts = " ".join(parts[:-4]), parts[-4:]

        def num(value: str) -> int:
            return 0 if value == "-" else int(value) if value.isdigit() else 0

        if name == "Grand total":
            in_table = False
            continue
        rows.append(
            {
                "operation": name,
                "hosts": num(counts[0]),
                "success": num(counts[1]),
                "error": num(counts[2]),
                "no_change": num(counts[3]),
            }
        )
    return rows
