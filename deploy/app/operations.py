"""Operations that build and run the app's release on a web host; each yields nothing when the
host is already as wanted."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import FileUploadCommand, StringCommand, operation

from deploy.app.facts import AppImageTags, ComposeServiceContainers, DockerImageId
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
def compose_release(compose_file: str, project: str, service: str, revision: str, migrate: list[str]):
    """Migrate with the new image in a one-off container, then switch the service over.

    Runs only when the service's container was not created from this revision (image, env and
    compose file) or is not running; `up --wait` fails the deploy when it does not become healthy.
    """
    containers = host.get_fact(ComposeServiceContainers, project=project, service=service) or []
    if containers == [(revision, "running")]:
        return
    compose = f"docker compose -p {q(project)} -f {q(compose_file)}"
    yield StringCommand(f"{compose} run --rm --no-deps {q(service)} {' '.join(q(a) for a in migrate)}")
    yield StringCommand(f"{compose} up -d --wait --wait-timeout 180 --remove-orphans")


@operation()
def prune_app_images(repository: str, keep: list[str]):
    """Remove the app's images other than `keep` that no container uses."""
    tags = host.get_fact(AppImageTags, repository=repository) or {"images": [], "used": []}
    stale = [t for t in tags["images"] if t not in keep and t not in tags["used"]]
    if stale:
        yield StringCommand("docker image rm " + " ".join(q(t) for t in stale))
