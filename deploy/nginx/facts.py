"""What a web host says about IPv6 and about web servers other than systemd's nginx."""

from __future__ import annotations

from pyinfra.api import FactBase


class HasIpv6(FactBase):
    def command(self):
        return "test -s /proc/net/if_inet6 && echo yes || echo no"

    def process(self, output):
        return output[0].strip() == "yes"


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
            '[ -z "$init" ] || [ -z "$ns" ] || [ "$ns" = "$init" ] || continue; '
            "cg=$(tail -n 1 /proc/$p/cgroup 2>/dev/null); "
            'case "$cg" in */nginx.service) continue;; esac; '
            "unit=${cg##*/}; "
            # only a unit whose main process IS this master is disabled: a master started by hand
            # from an SSH login (no logind: ssh.service's cgroup) or by cron is killed instead
            'case "$unit" in *.service) '
            '[ "$(systemctl show -p MainPID --value "$unit" 2>/dev/null)" = "$p" ] || unit=-;; '
            "*) unit=-;; esac; "
            'echo "$p $unit"; done'
        )

    def process(self, output):
        result = []
        for line in output:
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit():
                result.append((int(parts[0]), "" if parts[1] == "-" else parts[1]))
        return result
