"""What Docker and the release files on a web host say about the app's images and releases.

pyinfra's DockerContainer fact is not used because `docker inspect` shows the container's
environment, which holds secrets.
"""

from __future__ import annotations

from pyinfra.api import FactBase

from deploy.app.release import helper
from deploy.common.factcache import kept
from deploy.common.shell import q


# asked when the deploy is planned and again by the image's operation
@kept
class DockerImageId(FactBase):
    def requires_command(self, *args, **kwargs):
        return "docker"

    def command(self, ref):
        return f"docker image inspect --format '{{{{.Id}}}}' {q(ref)} 2>/dev/null || true"

    def process(self, output):
        return output[0].strip() if output and output[0].strip() else None


# the port in the upstream file rsm-release writes (helper.upstream_conf)
UPSTREAM_PORT_SED = r"s/^server 127\.0\.0\.1:\([0-9][0-9]*\);$/\1/p"


# one line per mail worker (templates/app/compose.yaml.j2): "worker RELEASE STATE"
WORKERS_FORMAT = 'worker {{.Label "rsm.worker"}} {{.State}}'


class AppReleases(FactBase):
    """{"upstream": the port nginx's upstream file names (or None), "containers": the app's
    containers (rsm-release's Container: name, release, port, state, drain seconds), "workers":
    {release: docker's state of its mail worker}}."""

    def requires_command(self, *args, **kwargs):
        return "docker"

    def command(self):
        return (
            f'port=$(sed -n {q(UPSTREAM_PORT_SED)} {q(helper.UPSTREAM)} 2>/dev/null); echo "upstream ${{port:--}}"; '
            f"docker ps -a --filter label=rsm.release --format {q(helper.CONTAINERS_FORMAT)}; "
            f"docker ps -a --filter label=rsm.worker --format {q(WORKERS_FORMAT)}"
        )

    def process(self, output):
        upstream = next((line.split()[1] for line in output if line.startswith("upstream ")), "-")
        return {
            "upstream": int(upstream) if upstream.isdigit() else None,
            "containers": helper.parse_containers([line for line in output if "\t" in line]),
            "workers": {
                parts[1]: parts[2]
                for parts in (line.split() for line in output if line.startswith("worker "))
                if len(parts) == 3
            },
        }
