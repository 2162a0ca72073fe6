import pytest


@pytest.fixture
def abbey(staff_client):
    """Here abbey is a browser: its owner, signed in (`abbey.organization` is the studio)."""
    return staff_client("abbey")
