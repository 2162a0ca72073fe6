"""Operations for root-only files, which every concern that holds a secret uses.

- No command line carries a secret: secrets are generated, rendered and fed to programs on the
  server, from root-only files (see files/rsm-render).
- Secret files are uploaded without diffs (pyinfra's files.put prints one with --diff) into a
  root-only directory, compared by a salted digest.
- Every operation yields nothing when the host is already as wanted: a second run changes nothing.
"""

from __future__ import annotations

import io
import posixpath

from pyinfra import host
from pyinfra.api import FileUploadCommand, HiddenValue, StringCommand, operation
from pyinfra.facts.files import Directory, File, Sha1File
from pyinfra.facts.systemd import SystemdEnabled, SystemdStatus
from pyinfra.operations import files, systemd
from pyinfra.operations.util import any_changed

from deploy.common import factcache, hostdata
from deploy.common.facts import PrivateDigest, RenderState
from deploy.common.hashing import salted_digest
from deploy.common.paths import ETC, RENDER, SECRETS_DIR
from deploy.common.render import render
from deploy.common.secrets import OPERATOR_SECRET_OVERRIDES
from deploy.common.shell import q

# Every deploy imports this module: its operations' facts are kept and read together from here on.
factcache.install()

# Directories every host has before the deploy (Debian with systemd) or that the base step makes
# first. A file put in one skips pyinfra's check of its parent directory: one SSH round trip per
# file on every converge, about 35 of a no-op converge's 280 commands.
PRESENT_DIRS = frozenset(
    {"/etc/systemd/system", "/usr/local/sbin", "/etc/default", "/etc/apt/apt.conf.d", ETC}
)


def parent_always_present(dest: str) -> bool:
    return posixpath.dirname(dest) in PRESENT_DIRS


def put(**kwargs):
    """files.put (keyword arguments), without the parent directory's check where it always exists;
    the facts it reads are read together with the deploy's others (factcache)."""
    dest = kwargs["dest"]
    kwargs.setdefault("create_remote_dir", not parent_always_present(dest))
    factcache.want(host, File, path=dest)
    factcache.want(host, Sha1File, path=dest)
    if kwargs["create_remote_dir"]:
        factcache.want(host, Directory, path=posixpath.dirname(dest))
    return files.put(**kwargs)


def directory(**kwargs):
    """files.directory (keyword arguments), its fact read together with the deploy's others."""
    factcache.want(host, Directory, path=kwargs["path"])
    return files.directory(**kwargs)


def systemd_service(**kwargs):
    """systemd.service (keyword arguments, a system unit), its facts read together with the
    deploy's others."""
    unit = kwargs["service"]
    # systemd.service's own naming: a unit without a type is a .service
    unit = unit if "." in unit else f"{unit}.service"
    for fact in (SystemdStatus, SystemdEnabled):
        factcache.want(host, fact, user_mode=False, machine=None, user_name=None, services=[unit])
    return systemd.service(**kwargs)


def timer_units(unit: str, templates: str, context: dict) -> list:
    """`unit`.service and `unit`.timer from the templates `templates`.service.j2 and .timer.j2, and
    systemd reloaded when either changed; the written files' operations, for what they restart."""
    units = [
        put(
            name=f"Write {unit}.{kind}",
            src=io.StringIO(render(f"{templates}.{kind}.j2", context)),
            dest=f"/etc/systemd/system/{unit}.{kind}",
            mode="644",
        )
        for kind in ("service", "timer")
    ]
    systemd.daemon_reload(name="Reload systemd units", _if=any_changed(*units))
    return units


@operation()
def _secret(path: str, nbytes: int = 32):
    """A random hex secret in a root-only file, generated on the server once and kept."""
    if host.get_fact(PrivateDigest, path=path) is None:
        p = q(path)
        yield StringCommand(
            f"umask 077 && od -An -N{int(nbytes)} -tx1 /dev/urandom | tr -d ' \\n' > {p}.new && mv -f {p}.new {p}"
        )


def secret(*, path: str, **kwargs):
    factcache.want(host, PrivateDigest, path=path)
    return _secret(path=path, **kwargs)


@operation()
def _private_file(dest: str, content: HiddenValue, mode: str = "600", owner: str = "root:root"):
    """Upload content that may be secret: no diff printed, compared by a salted digest.

    `content` is a HiddenValue, so pyinfra's debug output of operation arguments shows it masked.
    The file is created empty with umask 077 before the upload writes into it: never readable.
    """
    content = content.unmask()
    if host.get_fact(PrivateDigest, path=dest) == (salted_digest(content), f"{mode} {owner}"):
        return
    temp = f"{dest}.upload"
    yield StringCommand(f"umask 077 && : > {q(temp)}")
    yield FileUploadCommand(
        io.BytesIO(content.encode()), temp, remote_temp_filename=host.get_temp_filename(temp)
    )
    yield StringCommand(
        f"chown {q(owner)} {q(temp)} && chmod {q(mode)} {q(temp)} && mv -f {q(temp)} {q(dest)}"
    )


def private_file(*, dest: str, **kwargs):
    factcache.want(host, PrivateDigest, path=dest)
    return _private_file(dest=dest, **kwargs)


@operation()
def _rendered_file(template: str, dest: str, mode: str = "600", owner: str = "root:root"):
    """Write dest from a template on the server, filling in server-side secrets (rsm-render)."""
    if host.get_fact(RenderState, template=template, output=dest, mode=mode, owner=owner) != "current":
        yield StringCommand(f"{RENDER} {q(template)} {q(dest)} {q(mode)} {q(owner)}")


def rendered_file(*, template: str, dest: str, mode: str = "600", owner: str = "root:root", **kwargs):
    factcache.want(host, RenderState, template=template, output=dest, mode=mode, owner=owner)
    return _rendered_file(template=template, dest=dest, mode=mode, owner=owner, **kwargs)


def ensure_secret(name: str):
    """The server-side secret `name`: the operator's when given (RSM_..._PASSWORD), else generated once."""
    override = OPERATOR_SECRET_OVERRIDES.get(name)
    value = hostdata.operator_values().get(override) if override else None
    path = f"{SECRETS_DIR}/{name}"
    if value:
        return private_file(
            name=f"Install the operator's {name.replace('_', ' ')}", dest=path, content=HiddenValue(value)
        )
    return secret(name=f"Generate the {name.replace('_', ' ')} once", path=path)
