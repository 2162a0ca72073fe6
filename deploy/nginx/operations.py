"""Exactly one nginx, systemd's, with a configuration that passed `nginx -t` before going live."""

from __future__ import annotations

import hashlib
import io

from pyinfra import host
from pyinfra.api import FileUploadCommand, StringCommand, operation
from pyinfra.facts.files import FindFiles, Sha256File

from deploy.common import factcache
from deploy.common.facts import NonEmptyFile
from deploy.common.shell import q
from deploy.nginx.config import APPLY, LIVE, publishes
from deploy.nginx.facts import DockerPublishedPorts, StrayNginxMasters


@operation()
def stop_containers_publishing(ports: list[int]):
    """Stop, and keep from restarting, any container publishing these host ports (a leftover web server)."""
    for cid, (_name, ports_text) in (host.get_fact(DockerPublishedPorts) or {}).items():
        if any(publishes(ports_text, port) for port in ports):
            yield StringCommand(f"docker update --restart=no {q(cid)} && docker stop {q(cid)}")


@operation()
def stop_stray_nginx():
    """Stop, and disable, nginx masters that systemd's nginx.service does not manage."""
    for pid, unit in host.get_fact(StrayNginxMasters) or []:
        if unit:
            yield StringCommand(f"systemctl disable --now {q(unit)}")
        else:
            yield StringCommand(
                f"kill -QUIT {pid}; sleep 2; if kill -0 {pid} 2>/dev/null; then kill -KILL {pid}; fi"
            )


def nginx_config(*, files: dict[str, str], tls_files: dict[str, str], certificate: str, **kwargs):
    """_nginx_config, its facts read together with the deploy's others."""
    factcache.want(host, NonEmptyFile, path=certificate)
    for rel in {**files, **tls_files}:
        factcache.want(host, Sha256File, path=f"{LIVE}/{rel}")
    factcache.want(host, FindFiles, path=f"{LIVE}/rsm", quote_path=True)
    return _nginx_config(files=files, tls_files=tls_files, certificate=certificate, **kwargs)


@operation()
def _nginx_config(files: dict[str, str], tls_files: dict[str, str], certificate: str):
    """nginx.conf and /etc/nginx/rsm/*, tested as a candidate with `nginx -t` before going live.

    `tls_files` join `files` once `certificate` exists (checked when the operation runs), so
    nginx serves the HTTP redirect before the first certificate and HTTPS after it.
    """
    wanted = dict(files)
    if host.get_fact(NonEmptyFile, path=certificate):
        wanted.update(tls_files)
    differs = [
        rel
        for rel, content in wanted.items()
        if host.get_fact(Sha256File, path=f"{LIVE}/{rel}") != hashlib.sha256(content.encode()).hexdigest()
    ]
    present = {
        p[len(LIVE) + 1 :] for p in host.get_fact(FindFiles, path=f"{LIVE}/rsm", quote_path=True) or []
    }
    extra = present - {rel for rel in wanted if rel.startswith("rsm/")}
    if not differs and not extra:
        return
    candidate = f"{LIVE}/.rsm-candidate"
    yield StringCommand(f"rm -rf {candidate} && mkdir -p {candidate}/rsm")
    for rel, content in sorted(wanted.items()):
        dest = f"{candidate}/{rel}"
        yield FileUploadCommand(
            io.BytesIO(content.encode()), dest, remote_temp_filename=host.get_temp_filename(dest)
        )
    yield StringCommand(f"{APPLY} {candidate}")
