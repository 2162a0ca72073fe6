"""The app (web): env template from app.settings.SETTINGS, image built on the server, and each
release described (Compose file, root-only env file) and run by rsm-release beside the live one:
migrations in a one-off container, nginx switched once the new container is ready, the old one
drained and stopped."""

from __future__ import annotations

import sys
from io import StringIO
from pathlib import Path

from pyinfra import host, inventory
from pyinfra.api import HiddenValue, deploy
from pyinfra.operations import apt

from app.settings import SETTINGS
from deploy.app import config, env, image, lock, operations, release, sizing
from deploy.app.facts import DockerImageId
from deploy.common import hostdata, private_ca, tls
from deploy.common.controller import local_path
from deploy.common.facts import host_size
from deploy.common.operations import (
    directory,
    ensure_secret,
    private_file,
    put,
    rendered_file,
    systemd_service,
    timer_units,
)
from deploy.common.render import render
from deploy.common.secrets import operator_secrets_in, secret_names_in
from deploy.monitoring import config as monitoring

GROUPS = ("web",)
PACKAGES = ("python3",)  # rsm-release's; the app itself runs on Docker (the docker concern's packages)


def sizing_of(web, operator: dict[str, str]) -> sizing.AppSizing:
    """gunicorn sizing of one web host, from its facts, its data and the app's settings."""
    size, data = host_size(web), hostdata.of(web)
    return sizing.app_sizing(
        size["cores"],
        size["memory_mb"],
        float(env.setting_value("ANTHROPIC_TIMEOUT_SECONDS", operator)),
        int(env.setting_value("MASTER_POOL_SIZE", operator)),
        int(env.setting_value("TENANT_ENGINE_CACHE_SIZE", operator)),
        int(env.setting_value("TENANT_POOL_SIZE", operator)),
        data.gunicorn_workers,
        data.gunicorn_threads,
    )


def web_sizing(operator: dict[str, str]) -> tuple[int, sizing.AppSizing]:
    """(gunicorn processes over every web host, one process's sizing: the settings are the same on all)."""
    processes, app = 0, None
    for web in inventory.get_group("web", default=[]):
        app = sizing_of(web, operator)
        processes += app.workers
    return processes, app


@deploy("Deploy the app")
def deploy_app():
    data, operator, topo = hostdata.of(), hostdata.operator_values(), hostdata.topology()
    app = sizing_of(host, operator)

    apt.packages(name="Install Python for rsm-release", packages=list(PACKAGES), no_recommends=True)
    put(
        name=f"Install {Path(release.INSTALLED).name}",
        src=str(release.SCRIPT),
        dest=release.INSTALLED,
        user="root",
        group="root",
        mode="755",
    )

    # The environment: placeholders for server-side secrets, filled in on the server (each
    # release keeps its own template and env file, below).
    env_template = render(
        "app/app.env.j2",
        env.env_template_context(env.env_values(SETTINGS, data.domain, operator, topo.db_servers)),
    )
    for name in secret_names_in(env_template):
        ensure_secret(name)

    # The image: tagged by its content; built on the server only when that tag is absent.
    context = list(image.context_files())
    tag = image.image_tag(context)
    archive = str(local_path(data.base_image_archive)) if data.base_image_archive else None
    operations.base_image(
        name=f"Make the base image {config.BASE_IMAGE} present", ref=config.BASE_IMAGE, archive=archive
    )
    if not host.get_fact(DockerImageId, ref=tag):
        wheels = lock.ensure_wheelhouse(python=sys.executable)
        context_tar = str(image.write_context_tar(tag, context, wheels))
    else:
        context_tar = ""
    operations.app_image(name=f"Build the app image {tag}", tag=tag, context_tar=context_tar)

    # The release: named by what it is made of (image, settings, Compose file), so a converge with
    # nothing changed finds it live and does nothing, and a changed setting or image makes one.
    metrics_address = monitoring.exporter_address(
        host.name, [h.name for h in inventory.get_group("monitoring", default=[])], data.private_address
    )
    # Another host's database or Redis: over TLS, verified against the deploy's CA (in the containers).
    ca_file = tls.CA_CERT if any(server.tls for server in topo.db_servers) else ""
    ca_fingerprint = private_ca.fingerprint(tls.ca_certificate()) if ca_file else ""
    if ca_file:
        tls.install_ca_certificate()
    ca = (ca_file, ca_fingerprint)
    compose = config.compose_context(
        tag, app.workers, app.threads, app.timeout, topo.db_address, "", metrics_address, *ca
    )
    shared = operator_secrets_in(env_template, operator)
    rid = release.release_id(tag, env_template, render("app/compose.yaml.j2", compose), shared)
    compose_file, env_file = release.compose_path(rid), release.env_path(rid)
    directory(name=f"Create {Path(compose_file).parent}", path=str(Path(compose_file).parent), mode="755")
    put(
        name=f"Write release {rid}'s Compose file ({app.workers} workers × {app.threads} threads, "
        f"timeout {app.timeout}s)",
        src=StringIO(
            render(
                "app/compose.yaml.j2",
                config.compose_context(
                    tag, app.workers, app.threads, app.timeout, topo.db_address, rid, metrics_address, *ca
                ),
            )
        ),
        dest=compose_file,
        mode="644",
    )
    directory(
        name=f"Create the root-only {Path(env_file).parent.parent}",
        path=str(Path(env_file).parent.parent),
        user="root",
        group="root",
        mode="700",
    )
    directory(
        name=f"Create {Path(env_file).parent}",
        path=str(Path(env_file).parent),
        user="root",
        group="root",
        mode="700",
    )
    private_file(
        name=f"Upload release {rid}'s environment template (root-only, never shown)",
        dest=release.env_template_path(rid),
        content=HiddenValue(env_template),
    )
    rendered_file(
        name=f"Write release {rid}'s root-only env file",
        template=release.env_template_path(rid),
        dest=env_file,
    )
    operations.release(
        name=f"Release {rid} (migrate, start beside the live one, switch nginx when ready)",
        release=rid,
        keep=data.app_releases_kept,
    )
    periodic_jobs()


def periodic_jobs() -> None:
    """The timer running `flask periodic run` in the live release's container."""
    timer_units(config.PERIODIC_UNIT, "app/periodic", config.periodic_context())
    systemd_service(
        name=f"Enable and start {config.PERIODIC_UNIT}.timer ({config.PERIODIC_SCHEDULE})",
        service=f"{config.PERIODIC_UNIT}.timer",
        running=True,
        enabled=True,
    )
