"""A disposable server: a systemd + sshd container reached over SSH like a fresh cloud host.

Functions take the container's name (a scenario's, see scenario.py); its volume is NAME-docker."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

from .engine import docker
from .util import E2E_DIR, CommandError, wait_for

SSH_DIR = E2E_DIR / "ssh"
SSH_KEY = SSH_DIR / "id_ed25519"

# capability(7) numbers -> names, as `docker run --cap-add` spells them
_CAPS = [
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
]
# Docker 20.10 (Debian 12's docker.io) rejects these names
_NEWER_CAPS = {"PERFMON", "BPF", "CHECKPOINT_RESTORE"}


def capabilities() -> list[str]:
    """Every capability this machine's bounding set has and the engine knows.

    `--privileged` fails on VMs whose bounding set lacks one (e.g. CAP_SYS_RESOURCE): "unable to
    apply caps". So add each available capability by name instead."""
    bnd = 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("CapBnd:"):
            bnd = int(line.split()[1], 16)
    server_version = docker("version", "--format", "{{.Server.Version}}").stdout.strip()
    try:
        major = int(server_version.split(".")[0])
    except ValueError:
        major = 20
    caps = []
    for bit, name in enumerate(_CAPS):
        if not bnd >> bit & 1:
            continue
        if name in _NEWER_CAPS and major < 23:
            continue
        caps.append(name)
    return caps


def ensure_ssh_key() -> tuple[Path, str]:
    """An ed25519 key pair under .e2e/ssh (git-ignored), made once."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pub_path = SSH_KEY.with_suffix(".pub")
    if not SSH_KEY.exists() or not pub_path.exists():
        SSH_DIR.mkdir(parents=True, exist_ok=True)
        os.chmod(SSH_DIR, 0o700)
        key = Ed25519PrivateKey.generate()
        private = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        )
        fd = os.open(SSH_KEY, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(private)
        pub_path.write_bytes(public + b" e2e-harness\n")
    return SSH_KEY, pub_path.read_text().strip()


def container_state(name: str) -> str | None:
    proc = subprocess.run(
        ["docker", "inspect", "--format", "{{.State.Status}}", name], capture_output=True, text=True
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def container_ip(name: str) -> str:
    ip = docker(
        "inspect", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", name
    ).stdout.split()
    if not ip:
        raise CommandError(f"{name} has no IP address")
    return ip[0]


def ensure_network(network: str, subnet: str) -> None:
    """A Docker bridge network of its own (a scenario's private network), made once."""
    if docker("network", "inspect", network, check=False).returncode != 0:
        docker("network", "create", "--subnet", subnet, "--label", "rsm-e2e=network", network)


def remove_network(network: str) -> None:
    docker("network", "rm", network, check=False)


def connect(name: str, network: str) -> str:
    """Attach the server to NETWORK too; returns its address there."""
    docker("network", "connect", network, name)
    return docker(
        "inspect", "--format", f'{{{{(index .NetworkSettings.Networks "{network}").IPAddress}}}}', name
    ).stdout.strip()


def start(name: str, image: str, *, volume: str, hostname: str) -> str:
    """Start a fresh server container (removing any previous one of that name) and return its IP."""
    destroy(name, volume)
    args = [
        "run",
        "-d",
        "--name",
        name,
        "--hostname",
        hostname,
        "--label",
        "rsm-e2e=server",
        "--security-opt",
        "seccomp=unconfined",
        "--security-opt",
        "apparmor=unconfined",
        "--security-opt",
        "systempaths=unconfined",
        "--cgroupns=host",
        "-v",
        "/sys/fs/cgroup:/sys/fs/cgroup:rw",
        "--tmpfs",
        "/run",
        "--tmpfs",
        "/run/lock",
        "--tmpfs",
        "/tmp",
        "-e",
        "container=docker",
        "-v",
        f"{volume}:/var/lib/docker",
    ]
    for cap in capabilities():
        args += ["--cap-add", cap]
    docker(*args, image)
    return container_ip(name)


def exec_(name: str, cmd: list[str], *, input: str | None = None, check: bool = True, timeout: float = 120):
    args = ["exec"] + (["-i"] if input is not None else []) + [name, *cmd]
    return docker(*args, input=input, check=check, timeout=timeout)


def wait_booted(name: str, timeout: float = 120) -> str:
    def booted():
        proc = exec_(name, ["systemctl", "is-system-running"], check=False, timeout=20)
        state = proc.stdout.strip()
        return state if state in ("running", "degraded") else None

    return wait_for(f"systemd in {name}", booted, timeout, 0.5)


def install_authorized_key(name: str, public_key: str) -> None:
    exec_(
        name,
        ["sh", "-c", "umask 077; mkdir -p /root/.ssh; cat > /root/.ssh/authorized_keys"],
        input=public_key + "\n",
    )


def wait_sshd(ip: str, timeout: float = 60) -> None:
    def banner():
        with socket.create_connection((ip, 22), timeout=3) as sock:
            return sock.recv(64).startswith(b"SSH-")

    wait_for(f"sshd on {ip}:22", banner, timeout, 0.5)


def ssh_answers(ip: str, key: Path, timeout: float = 10) -> bool:
    import paramiko

    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(
            ip,
            username="root",
            key_filename=str(key),
            timeout=timeout,
            allow_agent=False,
            look_for_keys=False,
        )
        _, stdout, _ = client.exec_command("true", timeout=timeout)
        return stdout.channel.recv_exit_status() == 0
    except Exception:  # noqa: BLE001
        return False
    finally:
        client.close()


def destroy(name: str, volume: str) -> None:
    if container_state(name) is not None:
        docker("rm", "-f", "-v", name, timeout=300, check=False)
        for _ in range(50):
            if container_state(name) is None:
                break
            time.sleep(0.2)
    docker("volume", "rm", "-f", volume, check=False)
