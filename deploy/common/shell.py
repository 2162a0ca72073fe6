"""Quoting for the shell commands facts and operations run."""

import shlex


def q(value) -> str:
    return shlex.quote(str(value))
