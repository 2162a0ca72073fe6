"""Where a payment provider will plug in. None is implemented: today the operator changes plans
with `flask plans` after being paid by other means.

A provider (a card processor's subscriptions and its webhooks) would implement this interface and
be called by `app.plans.operations` after each change the operator or a webhook makes, so the
master database stays the one place the app reads a studio's plan and trial from:
- `plan_changed` when a studio moves to a plan (start or change the provider's subscription);
- `trial_changed` when a trial's end moves (the provider's first charge moves with it).
Its webhooks would call `set_plan` (payment succeeded) or `end_trial` (payment failed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from app.models.master import Organization, Plan


class PaymentProvider(Protocol):
    def plan_changed(self, organization: Organization, plan: Plan) -> None: ...

    def trial_changed(self, organization: Organization, trial_ends_at: datetime) -> None: ...
