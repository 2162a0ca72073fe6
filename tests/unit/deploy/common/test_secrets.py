"""Server-side secret placeholders."""

import pytest

from deploy.common import secrets
from deploy.common.secrets import placeholder, secret_names_in

pytestmark = pytest.mark.unit


def test_placeholders_and_the_names_a_template_refers_to_in_first_use_order():
    text = (
        f"a={placeholder('redis_password')} b={placeholder('secret_key')} c={placeholder('redis_password')}"
    )
    assert text == "a=@@redis_password@@ b=@@secret_key@@ c=@@redis_password@@"
    assert secret_names_in(text) == ["redis_password", "secret_key"]


def test_an_encoded_placeholder_names_the_same_secret():
    text = f"{placeholder('postgres_password', 'url')} {placeholder('postgres_password', 'pgpass')}"
    assert text == "@@postgres_password:url@@ @@postgres_password:pgpass@@"
    assert secret_names_in(text + " @@redis_password:redis@@") == ["postgres_password", "redis_password"]
    with pytest.raises(ValueError, match="unknown secret encoding 'shell'"):
        placeholder("postgres_password", "shell")


def test_the_operators_values_of_the_secrets_a_template_refers_to():
    text = "PG=@@postgres_password:url@@ KEY=@@secret_key@@ DB=@@backup_secret@@"
    operator = {"RSM_POSTGRES_PASSWORD": "p", "RSM_REDIS_PASSWORD": "r", "RSM_SECRET_KEY": ""}
    assert secrets.operator_secrets_in(text, operator) == {"RSM_POSTGRES_PASSWORD": "p"}
