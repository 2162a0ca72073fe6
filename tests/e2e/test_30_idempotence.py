"""A second converge of the converged server changes nothing."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def second_converge(e2e_state, converge):
    return converge(label="converge-idempotence")


def test_second_converge_succeeds(second_converge):
    assert second_converge.returncode == 0, f"exit {second_converge.returncode}; log {second_converge.log}\n" \
                                            + second_converge.tail(60)


def test_second_converge_reports_its_operations(second_converge):
    assert second_converge.table, f"no results table in pyinfra's output; log {second_converge.log}"


def test_second_converge_changes_nothing(second_converge):
    changed = second_converge.changed
    assert not changed, (
        f"{len(changed)} operations changed on the second converge (log {second_converge.log}):\n  "
        + "\n  ".join(changed)
    )
