"""The backup host (backup): keeps pgBackRest's encrypted repository and the copies of the
logical dumps off the database's disk. The db host writes there over SFTP only, as the user
`pgbackrest`, with the key the deploy keeps on the controller (deploy/backup/keys.py)."""

from __future__ import annotations

from io import StringIO

from pyinfra.api import deploy
from pyinfra.operations import apt, server, systemd
from pyinfra.operations.util import any_changed

from deploy.backup.keys import ensure_backup_secrets
from deploy.backup_host import config
from deploy.common import hostdata
from deploy.common.controller import local_path
from deploy.common.operations import directory, put, systemd_service
from deploy.common.render import render

GROUPS = ("backup",)
PACKAGES = ("openssh-server",)


@deploy("Prepare the backup repository")
def prepare_repository():
    data = hostdata.of()
    secrets = ensure_backup_secrets(local_path(data.backup_secrets_dir))

    apt.packages(name="Install the SSH server", packages=list(PACKAGES), no_recommends=True)
    server.user(
        name=f"Create the repository's user {config.USER}",
        user=config.USER,
        home=config.HOME,
        shell="/usr/sbin/nologin",
        system=True,
    )
    db_hosts = list(hostdata.addresses()["db"])
    for path in config.directories(db_hosts):
        directory(
            name=f"Create {path} (its user's only)",
            path=path,
            user=config.USER,
            group=config.USER,
            mode="700",
        )
    put(
        name="Authorize the db hosts' key, for SFTP only",
        src=StringIO(config.authorized_keys(secrets.public_key)),
        dest=config.AUTHORIZED_KEYS,
        user=config.USER,
        group=config.USER,
        mode="600",
    )
    put(
        name=f"Let {config.USER}'s SFTP sessions open {config.OPEN_FILES} files",
        src=StringIO(render("backup_host/limits.conf.j2", config.limits_context())),
        dest=config.LIMITS,
        mode="644",
    )
    sshd = put(
        name=f"Let {config.USER} transfer files only",
        src=StringIO(render("backup_host/sshd.conf.j2", config.sshd_context())),
        dest=config.SSHD_DROPIN,
        mode="644",
    )
    server.shell(name="Check the SSH server's configuration", commands=["sshd -t"], _if=sshd.did_change)
    # A restart, not a reload: sshd re-executes itself on SIGHUP and may then fail to bind its
    # port again (seen in containers), leaving no SSH server; sessions survive (KillMode=process).
    systemd_service(name="Restart the SSH server", service="ssh", restarted=True, _if=sshd.did_change)

    service = put(
        name=f"Write {config.PRUNE_UNIT}.service ({data.dump_retention_days} days)",
        src=StringIO(
            render(
                "backup_host/prune-dumps.service.j2", config.prune_context(data.dump_retention_days, db_hosts)
            )
        ),
        dest=f"/etc/systemd/system/{config.PRUNE_UNIT}.service",
        mode="644",
    )
    timer = put(
        name=f"Write {config.PRUNE_UNIT}.timer",
        src=StringIO(render("backup/backup.timer.j2", config.prune_timer_context())),
        dest=f"/etc/systemd/system/{config.PRUNE_UNIT}.timer",
        mode="644",
    )
    systemd.daemon_reload(name="Reload systemd units", _if=any_changed(service, timer))
    systemd_service(
        name=f"Enable and start {config.PRUNE_UNIT}.timer",
        service=f"{config.PRUNE_UNIT}.timer",
        running=True,
        enabled=True,
    )
