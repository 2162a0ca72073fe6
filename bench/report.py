"""The bench's results as the table the README shows (Markdown), from the JSON it writes."""

from __future__ import annotations


def _row(cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _failed(page: dict) -> str:
    """Failures, with the statuses other than 200 and 302 when there are any."""
    others = {code: n for code, n in page.get("statuses", {}).items() if code not in ("200", "302")}
    return str(page["failed"]) + (f" ({', '.join(f'{c}: {n}' for c, n in others.items())})" if others else "")


def _header(results: dict) -> list[str]:
    return [f"{results['when']}, {results['machine']}; {results['wrk']}", ""]


def serving_table(results: dict) -> str:
    """The pages alone (`--only serving`)."""
    return "\n".join(_header(results) + _serving_rows(results["serving"]))


def _serving_rows(serving: dict) -> list[str]:
    lines = [_row(["page", "req/s", "p50 ms", "p99 ms", "× /healthz", "failed"]), _row(["---"] * 6)]
    for name, page in serving.items():
        lines.append(
            _row(
                [
                    f"`{name}`",
                    f"{page['requests_per_second']:.0f}",
                    page["p50_ms"],
                    page["p99_ms"],
                    page["ratio_to_healthz"],
                    _failed(page),
                ]
            )
        )
    return lines


def table(results: dict) -> str:
    lines = _header(results) + _serving_rows(results["serving"])
    t = results["tenancy"]
    spread, peak, bounds, migrate = t["spread_dashboard"], t["peak_backends"], t["bounds"], t["migrate_noop"]
    lines += ["", _row(["measure", "value"]), _row(["---", "---"])]
    lines += [
        _row(
            [
                f"provision one studio, {t['studios']} studios (p50 / p95)",
                f"{t['provision_p50_ms']} ms / {t['provision_p95_ms']} ms",
            ]
        ),
        _row(
            [
                f"signed-in `/dashboard` spread over {t['studios']} studios",
                f"{spread['requests_per_second']:.0f} req/s, p50 {spread['p50_ms']} ms, "
                f"p99 {spread['p99_ms']} ms, {_failed(spread)} failed",
            ]
        ),
        _row(
            [
                "peak PostgreSQL backends of studios (bound: PgBouncer's)",
                f"{peak['studios']} (bound {bounds['pooler_backends']})",
            ]
        ),
        _row(
            [
                "peak PostgreSQL client backends, all (bound: max_connections)",
                f"{peak['all']} (bound {bounds['max_connections']})",
            ]
        ),
        _row(
            [
                f"no-op `migrate`, {migrate['databases']} studio databases",
                f"{migrate['seconds']} s, {migrate['seconds_per_studio']} s per studio"
                + ("" if migrate["all_at_head"] else " (NOT all at head)"),
            ]
        ),
    ]
    lines += _deploy_rows(results["deploy"])
    return "\n".join(lines)


def deploy_table(results: dict) -> str:
    """The deploy part alone (`--only deploy`)."""
    lines = [results["when"], "", _row(["measure", "value"]), _row(["---", "---"])]
    return "\n".join(lines + _deploy_rows(results["deploy"]))


def _deploy_rows(deploy: dict) -> list[str]:
    first, noop = deploy["first_converge"], deploy["noop_reconverge"]
    return [
        _row(
            [
                "first converge",
                f"{first['seconds']} s, {first['operations']} operations ({first['changed']} changed)"
                if first
                else "not measured (the server was already converged)",
            ]
        ),
        _row(
            [
                "no-op re-converge",
                f"{noop['seconds']} s, {noop['operations']} operations ({noop['changed']} changed)",
            ]
        ),
    ]
