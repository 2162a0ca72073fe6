"""Facts every concern may need: the host's size, and the state of root-only files.

No fact prints a secret: facts return digests, states and names, never file contents (pyinfra
prints fact output with -vvv).
"""

from __future__ import annotations

from pyinfra.api import FactBase

from deploy.common.hashing import DIGEST_SALT
from deploy.common.paths import RENDER
from deploy.common.shell import q


class HostSize(FactBase):
    """{"cores": int, "memory_mb": int}: CPUs and memory, the cgroup limit if lower."""

    def command(self):
        return (
            "nproc; awk '/^MemTotal:/ {print int($2/1024)}' /proc/meminfo; "
            "cat /sys/fs/cgroup/memory.max 2>/dev/null || echo max"
        )

    def process(self, output):
        cores, memory, limit = (list(output) + ["1", "1024", "max"])[:3]
        memory_mb = int(memory)
        if limit.strip().isdigit():
            memory_mb = min(memory_mb, int(limit) // (1024 * 1024))
        return {"cores": int(cores), "memory_mb": memory_mb}


_sizes: dict[str, dict] = {}


def host_size(host) -> dict:
    """HostSize, asked once per host and run: five steps size themselves from it, and pyinfra 3
    runs a fact's command again on every get_fact."""
    if host.name not in _sizes:
        _sizes[host.name] = host.get_fact(HostSize)
    return _sizes[host.name]


class NonEmptyFile(FactBase):
    """True when path (following symlinks, as certbot's live/ links are) is a non-empty file."""

    def command(self, path):
        return f"test -s {q(path)} && echo yes || echo no"

    def process(self, output):
        return bool(output) and output[0].strip() == "yes"


class PrivateDigest(FactBase):
    """Salted sha256 of a root-only file plus its "mode owner:group", or None when absent."""

    def command(self, path):
        p = q(path)
        return (
            f"if [ -f {p} ]; then {{ printf %s {q(DIGEST_SALT)}; cat {p}; }} | sha256sum | cut -d' ' -f1; "
            f"stat -c '%a %U:%G' {p}; fi"
        )

    def process(self, output):
        return (output[0].strip(), output[1].strip()) if len(output) >= 2 else None


class RenderState(FactBase):
    """ "current" when rsm-render would write nothing new, else "stale"."""

    def requires_command(self, *args, **kwargs):
        return RENDER

    def command(self, template, output, mode, owner):
        return f"{RENDER} --check {q(template)} {q(output)} {q(mode)} {q(owner)}"

    def process(self, output):
        return output[-1].strip() if output else "stale"
