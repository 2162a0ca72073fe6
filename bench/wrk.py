"""wrk (Debian's) through nginx and TLS on the e2e server, from this machine.

nginx refuses TLS without SNI (ssl_reject_handshake), and wrk sends the URL's host as SNI; so wrk
runs in a private mount namespace whose /etc/hosts names the server's address, leaving the
machine's own /etc/hosts alone.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from e2e.util import ensure_commands, run

THREADS = 2
_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNIT[unit]


# Counts each response's status in every thread and prints the totals at the end ("status 200: N").
STATUS_COUNTS = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  for status, count in pairs(total) do io.write(string.format("status %d: %d\\n", status, count)) end
end
"""


def parse(output: str) -> dict:
    """req/s, p50 and p99 (ms), the responses wrk counted as failures, and every status's count."""
    counted = [
        re.search(r"Non-2xx or 3xx responses: (\d+)", output),
        re.search(r"Socket errors: connect (\d+), read (?:\d+), write (?:\d+), timeout (\d+)", output),
    ]
    failures = sum(int(n) for match in counted if match for n in match.groups())
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": round(_ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)), 1),
        "p99_ms": round(_ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)), 1),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "failed": failures,
        "statuses": {code: int(n) for code, n in sorted(re.findall(r"^status (\d+): (\d+)$", output, re.M))},
    }


def wrk(
    ip: str,
    url: str,
    *,
    seconds: int,
    connections: int,
    headers: dict[str, str] | None = None,
    script: str | None = None,
) -> dict:
    """One wrk run against `url` (its host resolved to `ip`); parsed figures."""
    ensure_commands({"wrk": "wrk", "unshare": "util-linux"})
    host = re.match(r"https://([^/:]+)", url).group(1)
    with tempfile.TemporaryDirectory() as tmp:
        hosts = Path(tmp, "hosts")
        hosts.write_text(Path("/etc/hosts").read_text() + f"\n{ip} {host}\n")
        args = ["wrk", "--latency", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        for name, value in (headers or {}).items():
            args += ["-H", f"{name}: {value}"]
        Path(tmp, "script.lua").write_text((script or "") + STATUS_COUNTS)
        args += ["-s", str(Path(tmp, "script.lua"))]
        command = ["unshare", "-m", "sh", "-c", 'mount --bind "$0" /etc/hosts && exec "$@"', str(hosts)]
        output = run([*command, *args, url], timeout=seconds + 60).stdout
    return parse(output)


def fresh_script(path: str) -> str:
    """A wrk script asking for `path` with a query string no request has used before: a page
    rendered every time, never served again from the app's page cache."""
    return (
        # One Lua state per wrk thread: its table's address tells the threads' strings apart.
        'local thread = tostring({}):gsub("%W", "")\n'
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        f'  return wrk.format("GET", "{path}?fresh=" .. thread .. "-" .. n)\n'
        "end\n"
    )


def rotating_script(path: str, studios: list[tuple[str, str]]) -> str:
    """A wrk script sending each request to the next (host, session cookie) of `studios`."""
    rows = ",\n".join(f'  {{"{host}", "{cookie}"}}' for host, cookie in studios)
    return (
        f"local studios = {{\n{rows}\n}}\n"
        "local i = math.random(#studios)\n"
        "request = function()\n"
        "  i = i % #studios + 1\n"
        f'  return wrk.format("GET", "{path}", '
        '{["Host"] = studios[i][1], ["Cookie"] = "rsm_session=" .. studios[i][2]})\n'
        "end\n"
    )
