"""Provisioning is all or nothing: a failure leaves no row and no database; names come from ids."""

import pytest
from sqlalchemy import func, select, text

from app.extensions import master_db, studio_db
from app.inputs import FormError
from app.models.master import AiCreditEntry, Organization, Subscription
from app.tenancy import provisioning
from tests.conftest import PREFIX, databases_with_prefix


@pytest.mark.parametrize("failing_step", ["create_database", "create_owner"])
def test_failed_provisioning_leaves_no_row_and_no_database(
    app, client, monkeypatch, failing_step, walk_wizard
):
    before = databases_with_prefix(PREFIX + "t_")

    def explode(*_args, **_kwargs):
        raise RuntimeError(f"injected failure in {failing_step}")

    monkeypatch.setattr(provisioning, failing_step, explode)
    with pytest.raises(RuntimeError, match="injected failure"):
        walk_wizard(client)
    assert databases_with_prefix(PREFIX + "t_") == before
    with app.app_context():
        assert master_db.session.scalar(select(func.count(Organization.id))) == 0
        assert master_db.session.scalar(select(func.count(AiCreditEntry.id))) == 0
        assert master_db.session.scalar(select(func.count(Subscription.id))) == 0


def test_studio_database_is_named_from_the_id_not_from_user_text(app, make_studio):
    organization = make_studio("robert-drop-table")
    assert "robert" not in organization.database_name
    with app.app_context(), studio_db.studio_engine(organization).connect() as conn:
        assert conn.scalar(text("SELECT current_database()")) == organization.database_name


def test_a_subdomain_taken_during_provisioning_is_a_refusal_that_leaves_nothing(app, make_studio):
    """Two signups for one name both passed the check: the unique index lets one win, the other is refused."""
    make_studio("abbey")
    before = databases_with_prefix(PREFIX + "t_")
    late = provisioning.NewStudio(
        studio_name="Abbey",
        subdomain="abbey",
        owner_name="Ann",
        email="ann@example.com",
        password="correct horse battery",
    )
    with app.app_context(), pytest.raises(FormError) as refused:
        provisioning.provision_studio(late)
    assert refused.value.errors == {"subdomain": "abbey was taken a moment ago. Choose another name."}
    assert databases_with_prefix(PREFIX + "t_") == before
