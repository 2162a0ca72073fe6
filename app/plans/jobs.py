"""The plans' periodic job: each month's AI credits, granted by the periodic timer (app/periodic.py).

The timer runs every few minutes; the ledger's one-grant-per-month constraint makes every run after
the month's first grant nothing, so a studio gets its credits within minutes of the month turning.
"""

from __future__ import annotations

from datetime import datetime

from app.extensions import master_db
from app.periodic import periodic
from app.plans.operations import grant_monthly_credits


@periodic("monthly-credits")
def monthly_credits(now: datetime) -> int:
    return len(grant_monthly_credits(master_db.session, now))
