"""Facts and operations this deploy needs beyond pyinfra's own (the thin layer that touches hosts).

Rules kept here:
- No fact prints a secret: facts return digests, states and names, never file contents
  (pyinfra prints fact output with -vvv). pyinfra's DockerContainer fact is not used because
  `docker inspect` shows the container's environment.
- No command line carries a secret: secrets are generated, rendered and fed to programs on the
  server, from root-only files (see deploy/files/rsm-render).
- Secret files are uploaded without diffs (pyinfra's files.put prints one with --diff) into a
  root-only directory, compared by a salted digest.
- Every operation yields nothing when the host is already as wanted: a second run changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import shlex

from pyinfra import host
from pyinfra.api import FactBase, FileUploadCommand, HiddenValue, OperationError, StringCommand, operation

RENDER = "/usr/local/sbin/rsm-render"
NGINX_APPLY = "/usr/local/sbin/rsm-nginx-apply"
DIGEST_SALT = "rsm-digest:"


def q(value) -> str:
    return shlex.quote(str(value))


# --- Facts ------------------------------------------------------------------------------------

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


class HasIpv6(FactBase):
    def command(self):
        return "test -s /proc/net/if_inet6 && echo yes || echo no"

    def process(self, output):
        return output[0].strip() == "yes"


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
    """"current" when rsm-render would write nothing new, else "stale"."""

    def requires_command(self, *args, **kwargs):
        return RENDER

    def command(self, template, output, mode, owner):
        return f"{RENDER} --check {q(template)} {q(output)} {q(mode)} {q(owner)}"

    def process(self, output):
        return output[-1].strip() if output else "stale"


class NonEmptyFile(FactBase):
    """True when path (following symlinks, as certbot's live/ links are) is a non-empty file."""

    def command(self, path):
        return f"test -s {q(path)} && echo yes || echo no"

    def process(self, output):
        return bool(output) and output[0].strip() == "yes"


class DockerImageId(FactBase):
    def requires_command(self, *args, **kwargs):
        return "docker"

    def command(self, ref):
        return f"docker image inspect --format '{{{{.Id}}}}' {q(ref)} 2>/dev/null || true"

    def process(self, output):
        return output[0].strip() if output and output[0].strip() else None


class DockerNetworkSubnets(FactBase):
    """Subnets of a docker network, or None when it does not exist."""

    def requires_command(self, *args, **kwargs):
        return "docker"

    def command(self, network):
        return (
            f"docker network inspect --format '{{{{range .IPAM.Config}}}}{{{{.Subnet}}}} {{{{end}}}}' {q(network)} "
            "2>/dev/null || echo absent"
        )

    def process(self, output):
        text = " ".join(output).strip()
        return None if text == "absent" else text.split()


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


def publishes(ports_text: str, port: int) -> bool:
    return any(chunk.strip().split("->")[0].endswith(f":{port}") for chunk in ports_text.split(",") if "->" in chunk)


class DockerPublishedPorts(FactBase):
    """{container id: (name, ports text)} of running containers."""

    def requires_command(self, *args, **kwargs):
        return "docker"

    def command(self):
        return "docker ps --format '{{.ID}}\t{{.Names}}\t{{.Ports}}'"

    def process(self, output):
        result = {}
        for line in output:
            parts = line.split("\t")
            if len(parts) >= 2:
                result[parts[0]] = (parts[1], parts[2] if len(parts) > 2 else "")
        return result


class StrayNginxMasters(FactBase):
    """[(pid, unit)] of nginx masters on this host (not in a container) outside nginx.service.

    `unit` is the systemd service whose main process it is (e.g. an old custom unit), or "" for
    a master started otherwise (by hand, by cron: it sits in ssh.service's or cron.service's
    cgroup, and disabling that unit would lock the operator out). Containers' processes (another
    PID namespace) are left to Docker.
    """

    def command(self):
        return (
            "init=$(readlink /proc/1/ns/pid 2>/dev/null || true); "
            "for p in $(pgrep -f '^nginx: master process' || true); do "
            "ns=$(readlink /proc/$p/ns/pid 2>/dev/null || true); "
            "[ -z \"$init\" ] || [ -z \"$ns\" ] || [ \"$ns\" = \"$init\" ] || continue; "
            "cg=$(tail -n 1 /proc/$p/cgroup 2>/dev/null); "
            "case \"$cg\" in */nginx.service) continue;; esac; "
            "unit=${cg##*/}; "
            # only a unit whose main process IS this master is disabled: a master started by hand
            # from an SSH login (no logind: ssh.service's cgroup) or by cron is killed instead
            "case \"$unit\" in *.service) "
            "[ \"$(systemctl show -p MainPID --value \"$unit\" 2>/dev/null)\" = \"$p\" ] || unit=-;; "
            "*) unit=-;; esac; "
            "echo \"$p $unit\"; done"
        )

    def process(self, output):
        result = []
        for line in output:
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit():
                result.append((int(parts[0]), "" if parts[1] == "-" else parts[1]))
        return result


class CertificateLineage(FactBase):
    """{"server": ACME directory, "domains": [...]} of a certbot lineage, or None."""

    def command(self, domain):
        conf = q(f"/etc/letsencrypt/renewal/{domain}.conf")
        cert = q(f"/etc/letsencrypt/live/{domain}/cert.pem")
        return (
            f"if [ -f {conf} ] && [ -f {cert} ]; then sed -n 's/^server *= *//p' {conf}; "
            f"openssl x509 -in {cert} -noout -ext subjectAltName | tail -n +2; fi"
        )

    def process(self, output):
        if not output:
            return None
        domains = [
            name.strip()[len("DNS:"):]
            for line in output[1:]
            for name in line.split(",")
            if name.strip().startswith("DNS:")
        ]
        return {"server": output[0].strip(), "domains": domains}


class PostgresAppRoleOk(FactBase):
    """True when the app role logs in over TCP with its password and has CREATEDB, no superuser."""

    def requires_command(self, *args, **kwargs):
        return "psql"

    def command(self, role, database, pgpass):
        sql = "select rolcreatedb and not rolsuper from pg_roles where rolname = current_user"
        return (
            f"PGPASSFILE={q(pgpass)} PGCONNECT_TIMEOUT=5 psql -X -w -h 127.0.0.1 -U {q(role)} "
            f"-d {q(database)} -tAc {q(sql)} 2>/dev/null || echo no"
        )

    def process(self, output):
        return bool(output) and output[0].strip() == "t"


# --- Operations -------------------------------------------------------------------------------

@operation()
def secret(path: str, nbytes: int = 32):
    """A random hex secret in a root-only file, generated on the server once and kept."""
    if host.get_fact(PrivateDigest, path=path) is None:
        p = q(path)
        yield StringCommand(
            f"umask 077 && od -An -N{int(nbytes)} -tx1 /dev/urandom | tr -d ' \\n' > {p}.new && mv -f {p}.new {p}"
        )


@operation()
def private_file(dest: str, content: HiddenValue, mode: str = "600", owner: str = "root:root"):
    """Upload content that may be secret: no diff printed, compared by a salted digest.

    `content` is a HiddenValue, so pyinfra's debug output of operation arguments shows it masked.
    The file is created empty with umask 077 before the upload writes into it: never readable.
    """
    content = content.unmask()
    digest = hashlib.sha256((DIGEST_SALT + content).encode()).hexdigest()
    if host.get_fact(PrivateDigest, path=dest) == (digest, f"{mode} {owner}"):
        return
    temp = f"{dest}.upload"
    yield StringCommand(f"umask 077 && : > {q(temp)}")
    yield FileUploadCommand(io.BytesIO(content.encode()), temp, remote_temp_filename=host.get_temp_filename(temp))
    yield StringCommand(f"chown {q(owner)} {q(temp)} && chmod {q(mode)} {q(temp)} && mv -f {q(temp)} {q(dest)}")


@operation()
def rendered_file(template: str, dest: str, mode: str = "600", owner: str = "root:root"):
    """Write dest from a template on the server, filling in server-side secrets (rsm-render)."""
    if host.get_fact(RenderState, template=template, output=dest, mode=mode, owner=owner) != "current":
        yield StringCommand(f"{RENDER} {q(template)} {q(dest)} {q(mode)} {q(owner)}")


@operation()
def docker_network(network: str, subnet: str, gateway: str, bridge: str):
    """A bridge network with a fixed subnet, so PostgreSQL and Redis can listen on its gateway."""
    name = network
    subnets = host.get_fact(DockerNetworkSubnets, network=name)
    if subnets is None:
        yield StringCommand(
            f"docker network create --driver bridge --subnet {q(subnet)} --gateway {q(gateway)} "
            f"--opt com.docker.network.bridge.name={q(bridge)} {q(name)}"
        )
    elif subnet not in subnets:
        raise OperationError(
            f"docker network {name} has subnet {' '.join(subnets)}, not {subnet}: remove it "
            f"(docker compose -p rsm down; docker network rm {name}) or set host data app_network_subnet"
        )


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


@operation()
def prune_app_images(repository: str, keep: list[str]):
    """Remove the app's images other than `keep` that no container uses."""
    tags = host.get_fact(AppImageTags, repository=repository) or {"images": [], "used": []}
    stale = [t for t in tags["images"] if t not in keep and t not in tags["used"]]
    if stale:
        yield StringCommand("docker image rm " + " ".join(q(t) for t in stale))


@operation()
def stop_containers_publishing(ports: list[int]):
    """Stop, and keep from restarting, any container publishing these host ports (a leftover web server)."""
    for cid, (name, ports_text) in (host.get_fact(DockerPublishedPorts) or {}).items():
        if any(publishes(ports_text, port) for port in ports):
            yield StringCommand(f"docker update --restart=no {q(cid)} && docker stop {q(cid)}")


@operation()
def stop_stray_nginx():
    """Stop, and disable, nginx masters that systemd's nginx.service does not manage."""
    for pid, unit in host.get_fact(StrayNginxMasters) or []:
        if unit:
            yield StringCommand(f"systemctl disable --now {q(unit)}")
        else:
            yield StringCommand(f"kill -QUIT {pid}; sleep 2; if kill -0 {pid} 2>/dev/null; then kill -KILL {pid}; fi")


@operation()
def nginx_config(files: dict[str, str], tls_files: dict[str, str], certificate: str):
    """nginx.conf and /etc/nginx/rsm/*, tested as a candidate with `nginx -t` before going live.

    `tls_files` join `files` once `certificate` exists (checked when the operation runs), so
    nginx serves the HTTP redirect before the first certificate and HTTPS after it.
    """
    from pyinfra.facts.files import FindFiles, Sha256File

    wanted = dict(files)
    if host.get_fact(NonEmptyFile, path=certificate):
        wanted.update(tls_files)
    live = "/etc/nginx"
    differs = [
        rel for rel, content in wanted.items()
        if host.get_fact(Sha256File, path=f"{live}/{rel}") != hashlib.sha256(content.encode()).hexdigest()
    ]
    present = {p[len(live) + 1:] for p in host.get_fact(FindFiles, path=f"{live}/rsm", quote_path=True) or []}
    extra = present - {rel for rel in wanted if rel.startswith("rsm/")}
    if not differs and not extra:
        return
    candidate = f"{live}/.rsm-candidate"
    yield StringCommand(f"rm -rf {candidate} && mkdir -p {candidate}/rsm")
    for rel, content in sorted(wanted.items()):
        dest = f"{candidate}/{rel}"
        yield FileUploadCommand(io.BytesIO(content.encode()), dest, remote_temp_filename=host.get_temp_filename(dest))
    yield StringCommand(f"{NGINX_APPLY} {candidate}")


@operation()
def certificate(domain: str, email: str, acme_directory: str, plugin: str, propagation_seconds: int,
                ca_bundle: str | None = None):
    """Obtain the certificate unless a lineage for these names from this ACME server exists."""
    from deploy.plan import certbot_command, certificate_is_current

    lineage = host.get_fact(CertificateLineage, domain=domain)
    if certificate_is_current(lineage, domain, acme_directory):
        return
    command = certbot_command(domain, email, acme_directory, plugin, propagation_seconds, force=bool(lineage))
    env = f"REQUESTS_CA_BUNDLE={q(ca_bundle)} " if ca_bundle else ""
    yield StringCommand(env + " ".join(q(part) for part in command))


@operation()
def postgres_app_role(role: str, database: str, password_file: str, pgpass: str, sql_file: str):
    """Create or update the app role (LOGIN CREATEDB, password from a root-only file) and its database.

    The password goes to psql on stdin, never on a command line.
    """
    if host.get_fact(PostgresAppRoleOk, role=role, database=database, pgpass=pgpass):
        return
    yield StringCommand(
        f"{{ printf \"\\\\set pw '%s'\\n\" \"$(cat {q(password_file)})\"; cat {q(sql_file)}; }} "
        f"| runuser -u postgres -- psql -X -q -d postgres"
    )
