"""Plan changes, trials and the monthly AI credit grant, on the real master database."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import master_db
from app.models.master import AiCreditEntry, Organization, OrganizationStatus, Subscription
from app.periodic import run_jobs
from app.plans import operations
from app.plans.operations import PlanError

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def grants(app, organization) -> list[tuple[int, date]]:
    with app.app_context():
        return [
            tuple(row)
            for row in master_db.session.execute(
                select(AiCreditEntry.delta, AiCreditEntry.grant_month)
                .where(
                    AiCreditEntry.organization_id == organization.id, AiCreditEntry.grant_month.is_not(None)
                )
                .order_by(AiCreditEntry.grant_month)
            )
        ]


@pytest.fixture
def paying(app, make_studio):
    """abbey on the studio plan (2000 credits a month), olympic still on its trial."""
    abbey, olympic = make_studio("abbey"), make_studio("olympic")
    with app.app_context():
        operations.set_plan(master_db.session, "abbey", "studio")
    return abbey, olympic


def test_credits_are_granted_once_per_month_even_if_run_twice(app, paying):
    abbey, olympic = paying
    with app.app_context():
        assert operations.grant_monthly_credits(master_db.session, NOW) == {"abbey": 2000}
        assert operations.grant_monthly_credits(master_db.session, NOW + timedelta(hours=1)) == {}
    assert grants(app, abbey) == [(2000, date(2026, 11, 1))]
    assert grants(app, olympic) == [], "a trial has its trial grant, not a monthly one"


def test_the_next_month_grants_again(app, paying):
    abbey, _ = paying
    with app.app_context():
        operations.grant_monthly_credits(master_db.session, NOW)
        assert operations.grant_monthly_credits(master_db.session, NOW + timedelta(days=1)) == {"abbey": 2000}
        assert operations.credit_balance(master_db.session, abbey) == 200 + 2000 + 2000
    assert grants(app, abbey) == [(2000, date(2026, 11, 1)), (2000, date(2026, 12, 1))]


def test_two_grants_at_once_grant_once(app, paying):
    abbey, _ = paying
    results, barrier = [], threading.Barrier(2)

    def grant():
        with app.app_context():
            session = master_db.new_session()
            try:
                barrier.wait()
                results.append(operations.grant_monthly_credits(session, NOW))
            finally:
                session.close()

    threads = [threading.Thread(target=grant) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results, key=len) == [{}, {"abbey": 2000}]
    assert grants(app, abbey) == [(2000, date(2026, 11, 1))]


def test_a_suspended_studio_gets_no_credits(app, paying):
    abbey, _ = paying
    with app.app_context():
        master_db.session.get(Organization, abbey.id).status = OrganizationStatus.SUSPENDED
        master_db.session.commit()
        assert operations.grant_monthly_credits(master_db.session, NOW) == {}


def test_set_plan_ends_the_trial_on_the_row_and_the_subscription(app, paying):
    abbey, _ = paying
    with app.app_context():
        studio = master_db.session.get(Organization, abbey.id)
        subscription = master_db.session.scalar(
            select(Subscription).where(Subscription.organization_id == abbey.id)
        )
        assert (studio.status, studio.plan.code, studio.trial_ends_at) == (
            OrganizationStatus.ACTIVE,
            "studio",
            None,
        )
        assert (subscription.status, subscription.plan_id, subscription.trial_ends_at) == (
            "active",
            studio.plan_id,
            None,
        )


def test_extend_trial_counts_from_its_end_or_from_now_once_ended(app, make_studio):
    abbey = make_studio("abbey")
    with app.app_context():
        db = master_db.session
        end = db.get(Organization, abbey.id).trial_ends_at
        assert operations.extend_trial(db, "abbey", 7, NOW).trial_ends_at == end + timedelta(days=7)
        operations.end_trial(db, "abbey", NOW)
        assert db.get(Organization, abbey.id).trial_ended(NOW)
        later = NOW + timedelta(days=3)
        assert operations.extend_trial(db, "abbey", 2, later).trial_ends_at == later + timedelta(days=2)
        assert not db.get(Organization, abbey.id).trial_ended(later)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda db: operations.set_plan(db, "nosuch", "studio"), "no studio with subdomain 'nosuch'"),
        (
            lambda db: operations.set_plan(db, "abbey", "gold"),
            "no plan 'gold'; the plans are: trial, studio, pro",
        ),
        (lambda db: operations.set_plan(db, "abbey", "trial"), "give more trial time with extend-trial"),
        (
            lambda db: operations.extend_trial(db, "abbey", 3, NOW),
            "abbey is not on a trial (status ACTIVE, plan studio)",
        ),
        (lambda db: operations.end_trial(db, "abbey", NOW), "abbey is not on a trial"),
    ],
)
def test_impossible_changes_say_why(app, paying, change, message):
    with app.app_context():
        with pytest.raises(PlanError) as refused:
            change(master_db.session)
        assert message in str(refused.value)


def test_the_periodic_timer_grants_the_months_credits_once(app, paying):
    abbey, _ = paying
    with app.app_context():
        assert run_jobs(["monthly-credits"], now=NOW) == {"monthly-credits": 1}
        assert run_jobs(["monthly-credits"], now=NOW + timedelta(minutes=5)) == {"monthly-credits": 0}
    assert grants(app, abbey) == [(2000, date(2026, 11, 1))]
