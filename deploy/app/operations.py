"""Operations that build and release the app on a web host; each yields nothing when the host is
already as wanted."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import FileUploadCommand, StringCommand, operation

from deploy.app import release as releases
from deploy.app.facts import AppReleases, DockerImageId
from deploy.common.shell import q


@operation()
def base_image(ref: str, archive: str | None = None):
    """The base image, used as present; loaded from a local archive when given, else pulled."""
    if host.get_fact(DockerImageId, ref=ref):
        return
    if archive:
        remote = "/var/tmp/rsm-base-image.tar"
        yield FileUploadCommand(archive, remote, remote_temp_filename=host.get_temp_filename(remote))
        yield StringCommand(f"docker load -i {remote} && rm -f {remote}")
    else:
        yield StringCommand(f"docker pull {q(ref)}")


@operation()
def app_image(tag: str, context_tar: str):
    """Build the app image from an uploaded context unless an image with this tag exists."""
    if host.get_fact(DockerImageId, ref=tag):
        return
    remote = f"/var/tmp/rsm-build-{tag.split(':')[-1]}.tar"
    yield FileUploadCommand(context_tar, remote, remote_temp_filename=host.get_temp_filename(remote))
    yield StringCommand(
        f"docker build --pull=false --label rsm.image={q(tag)} -t {q(tag)} - < {remote}; "
        f"status=$?; rm -f {remote}; exit $status"
    )


@operation()
def release(release: str, keep: int):
    """Release `release` with rsm-release (migrations, the new container beside the old one, nginx
    switched once it is ready, the old one drained and stopped) unless it is live, running and alone.

    A new container that never becomes ready fails the deploy with its last log lines; the live
    release keeps serving and nginx keeps pointing at it.
    """
    if releases.needs_release(host.get_fact(AppReleases), release):
        yield StringCommand(releases.release_command(release, keep))
