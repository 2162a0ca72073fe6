"""The app on a web host (pure): where its pieces live, and the Dockerfile and Compose contexts."""

from __future__ import annotations

from deploy.common.hashing import content_hash
from deploy.docker.config import NETWORK

ENV_TEMPLATE = "/etc/rsm/app.env.tmpl"
ENV_FILE = "/etc/rsm/app.env"
APP_DIR = "/opt/rsm"
COMPOSE_FILE = "/opt/rsm/compose.yaml"
COMPOSE_PROJECT = "rsm"
APP_SERVICE = "app"
APP_PORT = 8000
IMAGE_REPOSITORY = "rsm-app"
BASE_IMAGE = "debian:trixie-slim"
MIGRATE = ("flask", "--app", "app", "migrate")

# The app's database: created by the postgres step, named in the app's env file.
APP_DATABASE = "rsm"
APP_ROLE = "rsm"
DB_HOSTNAME = "rsm-db"  # resolved inside the containers through compose `extra_hosts`


def dockerfile_context() -> dict:
    return {"base_image": BASE_IMAGE, "port": APP_PORT}


def compose_context(image: str, workers: int, threads: int, timeout: int, db_address: str,
                    revision: str = "") -> dict:
    return {
        "project": COMPOSE_PROJECT,
        "service": APP_SERVICE,
        "image": image,
        "env_file": ENV_FILE,
        "port": APP_PORT,
        "workers": workers,
        "threads": threads,
        "timeout": timeout,
        "network": NETWORK,
        "db_hostname": DB_HOSTNAME,
        "db_address": db_address,
        "revision": revision,
        "log_max_size": "10m",
        "log_max_file": 5,
    }


def revision(image: str, env_template: str, compose_without_revision: str) -> str:
    """What the running container must have been created from; stamped as a label."""
    return content_hash([("image", image.encode()), ("env", env_template.encode()),
                         ("compose", compose_without_revision.encode())])[:16]
