"""Content hashes: what names an image and a release, and how root-only files are compared."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

DIGEST_SALT = "rsm-digest:"


def content_hash(files: Iterable[tuple[str, bytes]]) -> str:
    """sha256 over (path, content) pairs, independent of order."""
    digest = hashlib.sha256()
    for path, content in sorted(files):
        digest.update(f"{path}\0{hashlib.sha256(content).hexdigest()}\n".encode())
    return digest.hexdigest()


def salted_digest(content: str) -> str:
    """What a root-only file's fact reports instead of its content (see facts.PrivateDigest)."""
    return hashlib.sha256((DIGEST_SALT + content).encode()).hexdigest()
