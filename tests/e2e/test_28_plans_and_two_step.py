"""Plans and two-step sign-in on the converged server: the operator ends a studio's trial and then
gives it a plan with `scripts/plans` over SSH (the app's CLI in the live container), and the
studio's pages over HTTPS turn read-only and back; a staff member turns on two-step sign-in and
signs in with a code."""

from __future__ import annotations

import re
import secrets
import time

import pyotp
import pytest

from e2e.browser import Browser
from e2e.demo import operator_script
from e2e.util import wait_for

PASSWORD = "plans e2e owner password"
# The serving processes see an operator's change within TENANT_CACHE_SECONDS (5 by default).
CHANGE_SEEN_WITHIN = 30
READ_ONLY_NOTICE = "Your trial ended on"


@pytest.fixture(scope="module")
def trial(e2e_state):
    """A new studio on its trial, made by the operator as the demo is; its subdomain and base URL."""
    subdomain = f"plans{secrets.token_hex(3)}"
    operator_script(
        e2e_state,
        "tenants",
        "create",
        "--name",
        "Plans E2E",
        "--subdomain",
        subdomain,
        "--owner-name",
        "Plans Owner",
        "--owner-email",
        f"owner@{subdomain}.example.com",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    return subdomain, f"https://{subdomain}.{e2e_state['domain']}"


def browser(e2e_state) -> Browser:
    return Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])


def password_sign_in(e2e_state, trial):
    """A new browser posting the owner's email and password: the browser and the answer."""
    subdomain, base = trial
    owner = browser(e2e_state)
    form = owner.get(base + "/login")
    response = owner.post(
        base + "/login",
        data={
            "csrf_token": form.csrf_token(),
            "email": f"owner@{subdomain}.example.com",
            "password": PASSWORD,
        },
    )
    return owner, response


def signed_in(e2e_state, trial) -> Browser:
    owner, response = password_sign_in(e2e_state, trial)
    assert response.status == 302, (response.status, response.body[:300])
    return owner


def add_client(owner: Browser, base: str) -> int:
    form = owner.get(base + "/clients/new")
    return owner.post(
        base + "/clients/new",
        data={"csrf_token": form.csrf_token(), "name": f"Client {secrets.token_hex(2)}"},
    ).status


def test_an_ended_trial_makes_the_studio_read_only_and_a_plan_lifts_it(e2e_state, trial):
    subdomain, base = trial
    owner = signed_in(e2e_state, trial)
    assert add_client(owner, base) == 302
    ended = operator_script(e2e_state, "plans", "end-trial", subdomain)
    assert ended.stdout.strip().endswith(", read-only")
    page = wait_for(
        "the read-only notice",
        lambda: READ_ONLY_NOTICE in (body := owner.get(base + "/dashboard").body) and body,
        CHANGE_SEEN_WITHIN,
    )
    assert "choose a plan" in page
    assert owner.get(base + "/clients").status == 200
    # Each gunicorn process sees the change within its own cache time: the notice above came from one.
    wait_for("writes refused", lambda: add_client(owner, base) == 403, CHANGE_SEEN_WITHIN, interval=2)
    operator_script(e2e_state, "plans", "set", subdomain, "studio")
    wait_for("writes again", lambda: add_client(owner, base) == 302, CHANGE_SEEN_WITHIN, interval=2)
    # The dashboard may come from another process, whose cached answer lives its own cache time.
    wait_for(
        "the notice gone",
        lambda: READ_ONLY_NOTICE not in owner.get(base + "/dashboard").body,
        CHANGE_SEEN_WITHIN,
        interval=2,
    )


def test_plans_list_shows_the_studio_on_its_plan(e2e_state, trial):
    subdomain, _ = trial
    operator_script(e2e_state, "plans", "set", subdomain, "studio")
    listed = operator_script(e2e_state, "plans", "list").stdout.splitlines()
    assert any(line.startswith(f"studio\t{subdomain}\tstudio\tactive\t") for line in listed), listed


def test_the_cli_refuses_an_unknown_plan(e2e_state, trial):
    subdomain, _ = trial
    refused = operator_script(e2e_state, "plans", "set", subdomain, "gold", check=False)
    assert refused.returncode != 0
    assert "no plan 'gold'; the plans are: trial, studio, pro" in refused.stdout + refused.stderr


def test_two_step_sign_in_over_https(e2e_state, trial):
    _, base = trial
    owner = signed_in(e2e_state, trial)
    page = owner.get(base + "/account/two-step")
    assert page.status == 200 and "<svg" in page.body
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page.body).group(1).replace(" ", "")
    totp = pyotp.TOTP(secret)
    enrolled = owner.post(
        base + "/account/two-step", data={"csrf_token": page.csrf_token(), "code": totp.now()}
    )
    assert (
        enrolled.status == 200
        and len(re.findall(r"<li><code>[0-9a-f]{5}-[0-9a-f]{5}</code>", enrolled.body)) == 10
    )

    again, password = password_sign_in(e2e_state, trial)
    assert password.status == 302 and password.location.endswith("/login/code")
    assert again.get(base + "/dashboard").status == 302, "signed in before the code"
    code_form = again.get(base + "/login/code")
    # The next step's code: the one used to enrol is never accepted twice.
    signed = again.post(
        base + "/login/code",
        data={"csrf_token": code_form.csrf_token(), "code": totp.at(time.time() + 30)},
    )
    assert signed.status == 302, (signed.status, signed.body[:300])
    assert again.get(base + "/dashboard").status == 200
