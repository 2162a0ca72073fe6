"""Small helpers: paths, stage timing, subprocess runs, apt installs."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
E2E_DIR = Path(os.environ.get("E2E_DIR", REPO / ".e2e")).resolve()
LOG_DIR = E2E_DIR / "logs"  # every converge's full output, every scenario's

_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[e2e] {message}", flush=True)


@contextlib.contextmanager
def stage(name: str):
    """Print one line per stage: its name, its duration and whether it failed."""
    start = time.monotonic()
    try:
        yield
    except BaseException:
        log(f"{name:<44} FAILED after {time.monotonic() - start:6.1f}s")
        raise
    log(f"{name:<44} {time.monotonic() - start:6.1f}s   (total {time.monotonic() - _T0:6.1f}s)")


class CommandError(RuntimeError):
    pass


def run(
    args: list[str],
    *,
    check: bool = True,
    capture: bool = True,
    input: str | bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    cwd: Path | str | None = None,
) -> subprocess.CompletedProcess:
    """Run a command; on failure raise with its (tail of) output, never echoing stdin."""
    text = not isinstance(input, bytes)
    proc = subprocess.run(
        args,
        input=input,
        capture_output=capture,
        text=text,
        env=env,
        timeout=timeout,
        cwd=cwd,
    )
    if check and proc.returncode != 0:
        out = ""
        if capture:
            stdout = proc.stdout if text else proc.stdout.decode(errors="replace")
            stderr = proc.stderr if text else proc.stderr.decode(errors="replace")
            out = ("\n" + (stdout or "")[-3000:] + (stderr or "")[-3000:]).rstrip()
        raise CommandError(f"command failed ({proc.returncode}): {' '.join(map(str, args))[:300]}{out}")
    return proc


def wait_for(what: str, predicate, timeout: float, interval: float = 0.5):
    deadline = time.monotonic() + timeout
    last_exc: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except Exception as exc:  # noqa: BLE001 - keep polling, report the last failure
            last_exc = exc
        time.sleep(interval)
    raise TimeoutError(
        f"timed out after {timeout:.0f}s waiting for {what}" + (f": {last_exc}" if last_exc else "")
    )


_apt_updated = False


def apt_install(packages: list[str]) -> None:
    """apt-get update once per process, then install; wait for and retry on the dpkg lock."""
    global _apt_updated
    if not packages:
        return
    if os.geteuid() != 0:
        raise CommandError(f"need root to install {' '.join(packages)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    for attempt in range(5):
        try:
            if not _apt_updated:
                run(["apt-get", *lock, "update", "-q"], env=env, timeout=900)
                _apt_updated = True
            run(
                ["apt-get", *lock, "install", "-y", "-q", "--no-install-recommends", *packages],
                env=env,
                timeout=1800,
            )
            return
        except CommandError as exc:
            if attempt == 4 or "lock" not in str(exc).lower():
                raise
            time.sleep(10)


def ensure_commands(required: dict[str, str]) -> None:
    """{command: debian package}: install the packages whose command is missing."""
    missing = sorted({pkg for cmd, pkg in required.items() if not have(cmd)})
    if missing:
        log(f"installing missing packages: {' '.join(missing)}")
        apt_install(missing)


def have(cmd: str) -> bool:
    if shutil.which(cmd):
        return True
    return any(Path(d, cmd).exists() for d in ("/usr/sbin", "/sbin", "/usr/bin"))


def which(cmd: str) -> str:
    found = shutil.which(cmd)
    if found:
        return found
    for d in ("/usr/sbin", "/sbin", "/usr/bin"):
        if Path(d, cmd).exists():
            return str(Path(d, cmd))
    raise CommandError(f"{cmd} not found")


def debian_mirror() -> str:
    """The Debian mirror this machine's apt uses (never hard-coded)."""
    candidates: list[str] = []
    sources = Path("/etc/apt/sources.list.d")
    for path in sorted(sources.glob("*.sources")) if sources.exists() else []:
        for line in path.read_text().splitlines():
            if line.strip().lower().startswith("uris:"):
                candidates.extend(line.split(":", 1)[1].split())
    for path in [Path("/etc/apt/sources.list"), *sorted(sources.glob("*.list"))] if sources.exists() else []:
        if path.exists():
            for line in path.read_text().splitlines():
                parts = line.split()
                if parts and parts[0] == "deb":
                    urls = [p for p in parts[1:] if "://" in p]
                    candidates.extend(urls[:1])
    for url in candidates:
        if "security" not in url and "/debian" in url:
            return url.rstrip("/")
    for url in candidates:
        if "security" not in url:
            return url.rstrip("/")
    raise CommandError("no Debian mirror found in /etc/apt/sources.list{,.d}")


def python_exe() -> str:
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def pid_alive(pidfile: Path) -> int | None:
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    # a zombie or a reused PID of another program is not ours
    try:
        if Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] == "Z":
            return None
    except (OSError, IndexError):
        pass
    return pid


def stop_pid(pidfile: Path, timeout: float = 10) -> bool:
    pid = pid_alive(pidfile)
    if pid is None:
        pidfile.unlink(missing_ok=True)
        return False
    import signal

    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and pid_alive(pidfile):
        time.sleep(0.2)
    if pid_alive(pidfile):
        os.kill(pid, signal.SIGKILL)
    pidfile.unlink(missing_ok=True)
    return True


def spawn_daemon(
    args: list[str], pidfile: Path, logfile: Path, env: dict[str, str] | None = None, cwd=None
) -> None:
    """Start a long-lived process detached from us; its own PID is written from inside."""
    logfile.parent.mkdir(parents=True, exist_ok=True)
    pidfile.unlink(missing_ok=True)
    script = 'echo $$ > "$0"; exec "$@"'
    with open(logfile, "ab") as out:
        subprocess.Popen(
            ["sh", "-c", script, str(pidfile), *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
            cwd=cwd,
        )
    wait_for(f"pid file {pidfile}", lambda: pidfile.exists() and pidfile.read_text().strip(), 10, 0.05)
