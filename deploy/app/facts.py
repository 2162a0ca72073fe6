"""What Docker on a web host says about the app's images and containers.

pyinfra's DockerContainer fact is not used because `docker inspect` shows the container's
environment, which holds secrets.
"""

from __future__ import annotations

from pyinfra.api import FactBase

from deploy.common.shell import q


class DockerImageId(FactBase):
    def requires_command(self, *args, **kwargs):
        return "docker"

    def command(self, ref):
        return f"docker image inspect --format '{{{{.Id}}}}' {q(ref)} 2>/dev/null || true"

    def process(self, output):
        return output[0].strip() if output and output[0].strip() else None


class ComposeServiceContainers(FactBase):
    """[(revision label, state, health)] of a compose service's containers."""

    def requires_command(self, *args, **kwargs):
        return "docker"

    def command(self, project, service):
        return (
            f"docker ps -a --filter label=com.docker.compose.project={q(project)} "
            f"--filter label=com.docker.compose.service={q(service)} "
            "--format '{{.Label \"rsm.revision\"}} {{.State}}'"
        )

    def process(self, output):
        return [tuple(line.split()) for line in output if line.strip()]


class AppImageTags(FactBase):
    """Tags of the app's images, and those in use by any container."""

    def requires_command(self, *args, **kwargs):
        return "docker"

    def command(self, repository):
        return (
            f"docker images {q(repository)} --format 'image {{{{.Repository}}}}:{{{{.Tag}}}}'; "
            "docker ps -a --format 'used {{.Image}}'"
        )

    def process(self, output):
        images = [line.split()[1] for line in output if line.startswith("image ")]
        used = {line.split()[1] for line in output if line.startswith("used ")}
        return {"images": images, "used": sorted(used)}
