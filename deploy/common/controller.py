"""Paths on the controller (the machine that runs pyinfra): the repository and its build cache."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = REPO_ROOT / "templates"
BUILD = REPO_ROOT / "build"  # git-ignored
RENDER_SCRIPT = Path(__file__).resolve().parent / "files" / "rsm-render"  # installed as paths.RENDER


def local_path(path: str) -> Path:
    """Local paths in host data are relative to the repository root unless absolute."""
    p = Path(os.path.expanduser(path))
    return p if p.is_absolute() else REPO_ROOT / p
