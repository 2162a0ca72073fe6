"""The operator's values: precedence and the env file format, by exact output."""

import pytest

from app.settings import SETTINGS
from deploy.common import operator

pytestmark = pytest.mark.unit


def test_operator_values_precedence_environ_then_secrets_file_then_host_data():
    values = operator.operator_values(
        SETTINGS,
        environ={"ANTHROPIC_API_KEY": "from-env", "AI_TRIAL_CREDITS": "", "PATH": "/bin"},
        secrets_file={
            "ANTHROPIC_API_KEY": "from-file",
            "AI_TRIAL_CREDITS": "50",
            "RSM_REDIS_PASSWORD": "r" * 20,
        },
        host_settings={"AI_TRIAL_CREDITS": "10", "ANTHROPIC_MODEL": "claude-x", "PLATFORM_DOMAIN": "ignored"},
    )
    assert values == {
        "ANTHROPIC_API_KEY": "from-env",
        "ANTHROPIC_MODEL": "claude-x",
        "AI_TRIAL_CREDITS": "50",
        "RSM_REDIS_PASSWORD": "r" * 20,
    }


def test_parse_env_file():
    text = "# c\n\nexport A=1\nB='two words'\nC=\"x=y\"\n"
    assert operator.parse_env_file(text) == {"A": "1", "B": "two words", "C": "x=y"}
    with pytest.raises(ValueError, match="line 1"):
        operator.parse_env_file("not a line")
