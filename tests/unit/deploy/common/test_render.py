"""The render helper: only the variables given, never an empty string for a missing one."""

import jinja2
import pytest

from deploy.common.render import render

pytestmark = pytest.mark.unit


def test_a_missing_variable_is_an_error():
    with pytest.raises(jinja2.UndefinedError, match="ca_bundle"):
        render("certbot/certbot-service.conf.j2", {})
