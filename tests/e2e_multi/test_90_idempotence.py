"""A second converge of the whole topology (four hosts and the backup host, one pyinfra run)
changes nothing."""

from __future__ import annotations

from e2e.converge import run_converge
from e2e.util import log


def test_a_second_converge_of_every_host_changes_nothing(scenario, multi_state):
    result = run_converge(scenario=scenario, label="converge-2")
    log(f"  second converge of the {len(scenario.servers())} hosts: {result.seconds:.1f}s, log {result.log}")
    assert result.returncode == 0, result.tail(60)
    assert result.table, "no results table in the converge's output"
    assert result.changed == [], result.changed
