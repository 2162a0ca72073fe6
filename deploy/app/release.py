"""The app's releases (pure): a release's id, where it is described, the command that runs it,
and whether the host needs it.

The mechanics on the host are files/rsm-release, which the deploy installs and the operator's
scripts/release runs too. Its names, paths and parsers are used here as they are (`helper`), so
the deploy and the script cannot disagree on where a release lives or which one is live.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path

from deploy.common.hashing import content_hash

SCRIPT = Path(__file__).resolve().parent / "files" / "rsm-release"
INSTALLED = "/usr/local/sbin/rsm-release"


def _load_helper():
    if "rsm_release" in sys.modules:
        return sys.modules["rsm_release"]
    loader = importlib.machinery.SourceFileLoader("rsm_release", str(SCRIPT))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    sys.modules[loader.name] = module  # its dataclasses look their module up there
    loader.exec_module(module)
    return module


helper = _load_helper()


def release_id(
    image: str, env_template: str, compose_without_id: str, shared_secrets: Mapping[str, str] | None = None
) -> str:
    """What a release is made of (image, settings, run description); equal content, same release.

    `shared_secrets`: the operator's values of the secrets the env template names only by
    placeholder (RSM_REDIS_PASSWORD, ...): a new value is a new release, so the containers never
    keep one the server no longer accepts. The generated ones never change once made.
    """
    parts = [
        ("image", image.encode()),
        ("env", env_template.encode()),
        ("compose", compose_without_id.encode()),
    ]
    parts += [(f"secret:{name}", value.encode()) for name, value in sorted((shared_secrets or {}).items())]
    return content_hash(parts)[:12]


def compose_path(release: str) -> str:
    return str(helper.compose_file(release))


def env_path(release: str) -> str:
    return str(helper.env_file(release))


def env_template_path(release: str) -> str:
    """The env file with `@@secret@@` placeholders, from which the server writes env_path (rsm-render)."""
    return env_path(release) + ".tmpl"


def release_command(release: str, keep: int) -> str:
    return f"{INSTALLED} deploy {release} --keep {int(keep)}"


def needs_release(state: dict | None, release: str) -> bool:
    """Unless `release` is live (nginx's upstream names its port), running, and alone, with its
    mail worker running: the AppReleases fact's {"upstream": port or None, "containers":
    [helper.Container], "workers": {release: state}}."""
    if not state:
        return True
    live = helper.live_container(state["containers"], state["upstream"])
    return not (
        live
        and live.release == release
        and live.state == "running"
        and len(state["containers"]) == 1
        and state.get("workers", {}).get(release) == "running"
    )
