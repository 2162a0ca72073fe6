"""The app image's build context: which files, their content hash (the image tag), the tarball.

`context_files` and the tag are pure; `write_context_tar` writes the tarball on the controller
(under build/, git-ignored) that the deploy uploads to the server only when it must build.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from deploy.app.config import IMAGE_REPOSITORY, dockerfile_context
from deploy.common.controller import BUILD, REPO_ROOT
from deploy.common.hashing import content_hash
from deploy.common.render import render

CONTEXT_CACHE = BUILD / "context"
IGNORED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache"}


def is_app_source(relpath: str) -> bool:
    parts = PurePosixPath(relpath).parts
    return not (set(parts) & IGNORED_PARTS) and not relpath.endswith((".pyc", ".pyo"))


def context_files(repo: Path = REPO_ROOT) -> Iterator[tuple[str, bytes]]:
    """(path in the context, content) of everything the image is built from except the wheels."""
    yield "Dockerfile", render("app/Dockerfile.j2", dockerfile_context()).encode()
    yield "requirements/app.lock", (repo / "requirements" / "app.lock").read_bytes()
    for path in sorted((repo / "app").rglob("*")):
        rel = path.relative_to(repo).as_posix()
        if path.is_file() and is_app_source(rel):
            yield rel, path.read_bytes()


def image_tag(files: Iterable[tuple[str, bytes]]) -> str:
    """`rsm-app:<12 hex>` from the build context's contents (app/, lock, Dockerfile)."""
    return f"{IMAGE_REPOSITORY}:{content_hash(files)[:12]}"


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o644, 0
    tar.addfile(info, io.BytesIO(data))


def write_context_tar(tag: str, files: list[tuple[str, bytes]], wheelhouse: Path) -> Path:
    """build/context/<tag>.tar with the files and wheels/; written once per tag."""
    dest = CONTEXT_CACHE / f"{tag.split(':')[-1]}.tar"
    if dest.exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(".partial")
    with tarfile.open(partial, "w") as tar:
        for name, data in files:
            _add(tar, name, data)
        for wheel in sorted(wheelhouse.glob("*.whl")):
            _add(tar, f"wheels/{wheel.name}", wheel.read_bytes())
    partial.rename(dest)
    return dest
