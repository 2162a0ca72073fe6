"""`flask plans`: what the operator types, what it prints, and its refusals (non-zero, with the reason)."""

from __future__ import annotations

import pytest


def plans(runner, *args):
    return runner.invoke(args=["plans", *args])


def test_list_shows_the_plans_and_each_studio(runner, make_studio):
    make_studio("abbey")
    output = plans(runner, "list").output.splitlines()
    assert output[:3] == [
        "plan\ttrial\tTrial\t0.00/month\t200 AI credits/month\t3 staff",
        "plan\tstudio\tStudio\t49.00/month\t2000 AI credits/month\t10 staff",
        "plan\tpro\tPro\t149.00/month\t10000 AI credits/month\t50 staff",
    ]
    assert output[3].startswith("studio\tabbey\ttrial\ttrial ends ") and output[3].endswith("\t200 credits")


def test_end_trial_then_set_plan_then_grant(runner, make_studio):
    make_studio("abbey")
    ended = plans(runner, "end-trial", "abbey")
    assert ended.exit_code == 0 and ended.output.endswith(", read-only\n")
    assert "read-only" in plans(runner, "list").output
    assert plans(runner, "set", "abbey", "pro").output == "abbey: plan pro, active\n"
    first, second = plans(runner, "grant-credits").output, plans(runner, "grant-credits").output
    assert first.splitlines()[0] == "abbey: +10000 credits"
    assert first.splitlines()[1].startswith("granted ") and first.endswith(" credits to 1 studio(s)\n")
    assert second.endswith(" credits to 0 studio(s)\n")
    assert plans(runner, "list").output.splitlines()[-1] == "studio\tabbey\tpro\tactive\t10200 credits"


def test_extend_trial_prints_the_new_end(runner, make_studio):
    make_studio("abbey")
    plans(runner, "end-trial", "abbey")
    result = plans(runner, "extend-trial", "abbey", "30")
    assert result.exit_code == 0 and result.output.startswith("abbey: trial ends ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "nosuch", "pro"), "Error: no studio with subdomain 'nosuch'"),
        (("set", "abbey", "gold"), "Error: no plan 'gold'; the plans are: trial, studio, pro"),
        (("extend-trial", "abbey", "0"), "Invalid value for 'DAYS'"),
        (("extend-trial", "nosuch", "3"), "Error: no studio with subdomain 'nosuch'"),
        (("end-trial", "nosuch"), "Error: no studio with subdomain 'nosuch'"),
    ],
)
def test_refusals_exit_non_zero_with_the_reason(runner, make_studio, args, message):
    make_studio("abbey")
    result = plans(runner, *args)
    assert result.exit_code != 0
    assert message in result.output
