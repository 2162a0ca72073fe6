"""The app (web): env file from app.settings.SETTINGS, image built on the server, migrations in a
one-off container, then Compose switches the service over."""

from __future__ import annotations

import sys
from io import StringIO

from pyinfra import host
from pyinfra.api import HiddenValue, deploy
from pyinfra.operations import files

from app.settings import SETTINGS
from deploy.app import config, env, image, lock, operations, sizing
from deploy.app.facts import DockerImageId
from deploy.common import hostdata
from deploy.common.controller import local_path
from deploy.common.facts import HostSize
from deploy.common.operations import ensure_secret, private_file, rendered_file
from deploy.common.render import render
from deploy.common.secrets import secret_names_in

GROUPS = ("web",)
PACKAGES: tuple[str, ...] = ()  # it runs on Docker (the docker concern's packages)


def sizing_of(web, operator: dict[str, str]) -> sizing.AppSizing:
    """gunicorn sizing of one web host, from its facts, its data and the app's settings."""
    size, data = web.get_fact(HostSize), hostdata.of(web)
    return sizing.app_sizing(
        size["cores"], size["memory_mb"],
        float(env.setting_value("ANTHROPIC_TIMEOUT_SECONDS", operator)),
        int(env.setting_value("MASTER_POOL_SIZE", operator)),
        int(env.setting_value("TENANT_CONNECTIONS_PER_PROCESS", operator)),
        data.gunicorn_workers, data.gunicorn_threads,
    )


@deploy("Deploy the app")
def deploy_app():
    data, operator, topo = hostdata.of(), hostdata.operator_values(), hostdata.topology()
    app = sizing_of(host, operator)

    # The environment: placeholders for server-side secrets, filled in on the server.
    env_template = render("app/app.env.j2", env.env_template_context(
        env.env_values(SETTINGS, data.domain, operator)))
    for name in secret_names_in(env_template):
        ensure_secret(name)
    private_file(name="Upload the app's environment template (root-only, never shown)",
                 dest=config.ENV_TEMPLATE, content=HiddenValue(env_template))
    rendered_file(name=f"Write the app's root-only env file {config.ENV_FILE}",
                  template=config.ENV_TEMPLATE, dest=config.ENV_FILE)

    # The image: tagged by its content; built on the server only when that tag is absent.
    context = list(image.context_files())
    tag = image.image_tag(context)
    archive = str(local_path(data.base_image_archive)) if data.base_image_archive else None
    operations.base_image(name=f"Make the base image {config.BASE_IMAGE} present", ref=config.BASE_IMAGE,
                          archive=archive)
    if not host.get_fact(DockerImageId, ref=tag):
        wheels = lock.ensure_wheelhouse(python=sys.executable)
        context_tar = str(image.write_context_tar(tag, context, wheels))
    else:
        context_tar = ""
    operations.app_image(name=f"Build the app image {tag}", tag=tag, context_tar=context_tar)

    # Compose: the revision label ties the container to this image, env and compose file.
    compose = config.compose_context(tag, app.workers, app.threads, app.timeout, topo.db_address)
    revision = config.revision(tag, env_template, render("app/compose.yaml.j2", compose))
    files.directory(name=f"Create {config.APP_DIR}", path=config.APP_DIR, mode="755")
    files.put(
        name=f"Write the Compose file ({app.workers} workers × {app.threads} threads, timeout {app.timeout}s)",
        src=StringIO(render("app/compose.yaml.j2", {**compose, "revision": revision})),
        dest=config.COMPOSE_FILE,
        mode="644",
    )
    operations.compose_release(
        name=f"Migrate, then run release {revision}",
        compose_file=config.COMPOSE_FILE,
        project=config.COMPOSE_PROJECT,
        service=config.APP_SERVICE,
        revision=revision,
        migrate=list(config.MIGRATE),
    )
    operations.prune_app_images(name="Remove app images no container uses", repository=config.IMAGE_REPOSITORY,
                                keep=[tag])
