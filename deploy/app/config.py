"""The app on a web host (pure): where its pieces live, and the Dockerfile and Compose contexts."""

from __future__ import annotations

from app import metrics
from deploy.app import release
from deploy.docker.config import NETWORK

APP_PORT = 8000  # in the container; each release publishes it on a loopback port of its own
APP_UID = 10001  # the image's `app` user, which runs gunicorn
METRICS_DIR = "/run/rsm-metrics"  # a tmpfs: the workers' metric files, gone with the container
IMAGE_REPOSITORY = release.helper.IMAGE_REPOSITORY
BASE_IMAGE = "debian:trixie-slim"
# Above the longest request nginx lets through (the worker timeout plus nginx's margin): how long
# a release waits for the old container's requests before stopping it.
DRAIN_MARGIN = 10

# How long gunicorn keeps an idle connection: above nginx's upstream keepalive_timeout
# (deploy/nginx/config.py), so nginx never sends a request on a connection gunicorn is closing.
KEEPALIVE_SECONDS = 75

# Above the relay's timeout (app/mail/smtp.py): a stopping worker finishes the mail it is sending.
WORKER_STOP_SECONDS = 40

# The app's database: created by the postgres step, named in the app's env file.
APP_DATABASE = "rsm"
APP_ROLE = "rsm"
DB_HOSTNAME = "rsm-db"  # resolved inside the containers through compose `extra_hosts`
POOLER_PORT = 6432  # PgBouncer beside PostgreSQL (5432), where studio connections go
# The deploy's private CA inside the containers (the host's /etc/rsm/ca.crt, mounted read-only):
# what they verify another host's PostgreSQL, PgBouncer and Redis against.
CONTAINER_CA_FILE = "/etc/rsm/ca.crt"


def dockerfile_context() -> dict:
    return {"base_image": BASE_IMAGE, "port": APP_PORT, "uid": APP_UID}


def compose_context(
    image: str,
    workers: int,
    threads: int,
    timeout: int,
    db_address: str,
    release_id: str = "",
    metrics_address: str = "127.0.0.1",
    ca_file: str = "",
    ca_fingerprint: str = "",
) -> dict:
    """One release's Compose file; `release_id` empty for the text its id is computed from;
    `metrics_address` where the monitoring host scrapes the app (deploy/monitoring/config.py);
    `ca_file`: the host's copy of the deploy's CA, mounted when the app reaches another host; its
    fingerprint in the file makes a new CA a new release, whose containers see the new file."""
    return {
        "ca_file": ca_file,
        "ca_fingerprint": ca_fingerprint,
        "container_ca_file": CONTAINER_CA_FILE,
        "project": f"rsm-{release_id}",
        "service": "app",
        "container": release.helper.container_name(release_id),
        "worker_service": "worker",
        "worker_container": release.helper.worker_name(release_id),
        "worker_stop_seconds": WORKER_STOP_SECONDS,
        "image": image,
        "env_file": str(release.helper.env_file(release_id)) if release_id else "",
        "port": APP_PORT,
        "host_port": f"${{{release.helper.PORT_VARIABLE}:?run by rsm-release}}",
        "metrics_port": metrics.PORT,
        "metrics_host_port": f"${{{release.helper.METRICS_VARIABLE}:?run by rsm-release}}",
        "metrics_address": metrics_address,
        "metrics_dir": METRICS_DIR,
        "uid": APP_UID,
        "workers": workers,
        "threads": threads,
        "timeout": timeout,
        "keepalive": KEEPALIVE_SECONDS,
        "drain_seconds": timeout + DRAIN_MARGIN,
        "network": NETWORK,
        "db_hostname": DB_HOSTNAME,
        "db_address": db_address,
        "release": release_id,
        "log_max_size": "10m",
        "log_max_file": 5,
    }


# The periodic jobs (app/periodic.py: reminders, and whatever registers there): every five minutes.
PERIODIC_UNIT = "rsm-periodic"
PERIODIC_SCHEDULE = "*:0/5"
PERIODIC_TIMEOUT_SECONDS = 15 * 60


def periodic_context() -> dict:
    """templates/app/periodic.service.j2 and periodic.timer.j2."""
    return {
        "description": "Recording Studio Manager periodic jobs (flask periodic run)",
        "command": (
            f"/bin/sh -c 'exec docker exec \"$$({release.INSTALLED} container)\" flask --app app periodic run'"
        ),
        "timeout_seconds": PERIODIC_TIMEOUT_SECONDS,
        "schedule": PERIODIC_SCHEDULE,
    }
