"""Step 5 (web): the app: env file from app.settings.SETTINGS, image built on the server,
migrations in a one-off container, then Compose switches the service over."""

from __future__ import annotations

import sys
from io import StringIO

from pyinfra import host
from pyinfra.api import HiddenValue, deploy
from pyinfra.operations import files

from app.settings import SETTINGS
from deploy import appenv, buildctx, hostdata, lock, ops, plan, render


@deploy("Deploy the app")
def deploy_app():
    operator = hostdata.operator_values()
    topo = hostdata.topology()
    app = hostdata.app_sizing(host, operator)

    # The environment: placeholders for server-side secrets, filled in on the server.
    env_template = appenv.render_env_template(appenv.env_values(SETTINGS, host.data.domain, operator))
    for name in appenv.secret_names_in(env_template):
        hostdata.ensure_secret(name)
    ops.private_file(name="Upload the app's environment template (root-only, never shown)",
                     dest=plan.ENV_TEMPLATE, content=HiddenValue(env_template))
    ops.rendered_file(name=f"Write the app's root-only env file {plan.ENV_FILE}",
                      template=plan.ENV_TEMPLATE, dest=plan.ENV_FILE)

    # The image: tagged by its content; built on the server only when that tag is absent.
    context = list(buildctx.context_files())
    tag = plan.image_tag(context)
    archive = host.data.get("base_image_archive")
    ops.base_image(name=f"Make the base image {plan.BASE_IMAGE} present", ref=plan.BASE_IMAGE,
                   archive=str(hostdata.local_path(archive)) if archive else None)
    if not host.get_fact(ops.DockerImageId, ref=tag):
        wheels = lock.ensure_wheelhouse(python=sys.executable)
        context_tar = str(buildctx.write_context_tar(tag, context, wheels))
    else:
        context_tar = ""
    ops.app_image(name=f"Build the app image {tag}", tag=tag, context_tar=context_tar)

    # Compose: the revision label ties the container to this image, env and compose file.
    context = plan.compose_context(tag, app.workers, app.threads, app.timeout, topo.db_address)
    revision = plan.revision(tag, env_template, render.compose_file(context))
    files.directory(name=f"Create {plan.APP_DIR}", path=plan.APP_DIR, mode="755")
    files.put(
        name=f"Write the Compose file ({app.workers} workers × {app.threads} threads, timeout {app.timeout}s)",
        src=StringIO(render.compose_file({**context, "revision": revision})),
        dest=plan.COMPOSE_FILE,
        mode="644",
    )
    ops.compose_release(
        name=f"Migrate, then run release {revision}",
        compose_file=plan.COMPOSE_FILE,
        project=plan.COMPOSE_PROJECT,
        service=plan.APP_SERVICE,
        revision=revision,
        migrate=["flask", "--app", "app", "migrate"],
    )
    ops.prune_app_images(name="Remove app images no container uses", repository=plan.IMAGE_REPOSITORY,
                         keep=[tag])
