"""The Docker engine on the test machine, and the images the harness builds from the Debian mirror."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .util import (
    E2E_DIR,
    CommandError,
    apt_install,
    debian_mirror,
    have,
    log,
    run,
    spawn_daemon,
    wait_for,
    which,
)

BASE_IMAGE = "debian:trixie-slim"
SERVER_IMAGE_REPO = "rsm-e2e-server"
SERVER_DOCKERFILE_DIR = Path(__file__).resolve().parent / "images" / "server"
LOCAL_CA_DIR = Path("/usr/local/share/ca-certificates")
IMAGES_DIR = E2E_DIR / "images"


def docker(*args: str, **kw) -> subprocess.CompletedProcess:
    return run(["docker", *args], **kw)


def engine_answers() -> bool:
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


def ensure_engine() -> None:
    """Install docker.io if needed, start dockerd detached when it doesn't answer, wait for it."""
    if not have("dockerd") or not have("docker"):
        log("installing docker.io")
        apt_install(["docker.io"])
    if engine_answers():
        return
    # no systemd on the test machine: start the daemon by hand, detached from us
    if have("systemctl") and Path("/run/systemd/system").exists():
        run(["systemctl", "start", "docker"], check=False)
    if not engine_answers():
        pidfile = Path("/var/run/e2e-dockerd.pid")
        spawn_daemon([which("dockerd")], pidfile, Path("/var/log/dockerd.log"))
    wait_for("docker info", engine_answers, 120, 1)


def docker0_gateway() -> str:
    out = docker(
        "network", "inspect", "bridge", "--format", "{{range .IPAM.Config}}{{.Gateway}} {{end}}"
    ).stdout
    for word in out.split():
        if "." in word:
            return word
    # older engines leave the gateway out of IPAM when it is the default: read docker0
    out = run(["ip", "-4", "-o", "addr", "show", "docker0"]).stdout
    return out.split("inet ")[1].split("/")[0]


def image_id(tag: str) -> str | None:
    proc = subprocess.run(
        ["docker", "image", "inspect", "--format", "{{.Id}}", tag], capture_output=True, text=True
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def ensure_base_image() -> bool:
    """debian:trixie-slim stand-in: debootstrap minbase from the Debian mirror, `docker import`.

    Returns True when it was built now (False: cached)."""
    if image_id(BASE_IMAGE):
        return False
    if not have("debootstrap"):
        apt_install(["debootstrap"])
    mirror = debian_mirror()
    with tempfile.TemporaryDirectory(prefix="e2e-rootfs-", dir="/var/tmp") as tmp:
        rootfs = Path(tmp) / "rootfs"
        run([which("debootstrap"), "--variant=minbase", "trixie", str(rootfs), mirror], timeout=1800)
        # what the official image also does: no apt cache, no recommends-free surprises
        for leftover in (rootfs / "var/cache/apt/archives").glob("*.deb"):
            leftover.unlink()
        shutil.rmtree(rootfs / "var/lib/apt/lists", ignore_errors=True)
        (rootfs / "var/lib/apt/lists/partial").mkdir(parents=True, exist_ok=True)
        # this machine's network may intercept TLS with a local CA: give containers the same trust
        _copy_local_cas(rootfs / "usr/local/share/ca-certificates")
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
        imp = subprocess.run(
            ["docker", "import", "--change", 'CMD ["bash"]', "-", BASE_IMAGE],
            stdin=tar.stdout,
            capture_output=True,
            text=True,
        )
        tar.stdout.close()
        tar.wait()
        if imp.returncode != 0 or tar.returncode != 0:
            raise CommandError(f"docker import failed: {imp.stderr[-2000:]}")
    return True


def _copy_local_cas(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    if LOCAL_CA_DIR.exists():
        for crt in sorted(LOCAL_CA_DIR.rglob("*.crt")):
            target = dest / crt.name
            shutil.copy2(crt, target)
            copied.append(target)
    return copied


def server_image_tag() -> str:
    digest = hashlib.sha256()
    for path in sorted(SERVER_DOCKERFILE_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(SERVER_DOCKERFILE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    if LOCAL_CA_DIR.exists():
        for crt in sorted(LOCAL_CA_DIR.rglob("*.crt")):
            digest.update(crt.read_bytes())
    digest.update((image_id(BASE_IMAGE) or "").encode())
    return f"{SERVER_IMAGE_REPO}:{digest.hexdigest()[:12]}"


def ensure_server_image() -> tuple[str, bool]:
    """Debian 13 + systemd + sshd + python3, cached by a hash of its Dockerfile (and base)."""
    tag = server_image_tag()
    if image_id(tag):
        return tag, False
    with tempfile.TemporaryDirectory(prefix="e2e-server-ctx-") as tmp:
        ctx = Path(tmp)
        shutil.copytree(SERVER_DOCKERFILE_DIR, ctx, dirs_exist_ok=True)
        _copy_local_cas(ctx / "local-ca")
        env = dict(os.environ, DOCKER_BUILDKIT="0")
        run(["docker", "build", "-q", "-t", tag, str(ctx)], env=env, timeout=1800)
    return tag, True


def save_base_image() -> Path:
    """`docker save debian:trixie-slim` to a tarball, redone only when the image changed."""
    IMAGES_DIR.mkdir(parents=True, exist_ok=True)
    tarball = IMAGES_DIR / "debian-trixie-slim.tar"
    stamp = IMAGES_DIR / "debian-trixie-slim.id"
    current = image_id(BASE_IMAGE)
    if tarball.exists() and stamp.exists() and stamp.read_text().strip() == current:
        return tarball
    tmp = tarball.with_suffix(".tar.part")
    docker("save", "-o", str(tmp), BASE_IMAGE, timeout=600)
    tmp.replace(tarball)
    stamp.write_text(current + "\n")
    return tarball
