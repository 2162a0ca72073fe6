"""Backups (db): pgBackRest from Debian archives every WAL segment and takes scheduled full and
differential backups into an encrypted repository on the backup host (over SFTP), for
point-in-time recovery of the whole cluster; rsm-dump takes a nightly logical dump of every
database, for one studio's restore (rsm-restore). The backup host's side is deploy/backup_host.

Why pgBackRest: Debian packages it (WAL-G it does not), and it brings encryption, retention,
point-in-time recovery, parallelism and an SFTP repository of its own.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from pyinfra import host, inventory
from pyinfra.api import HiddenValue, deploy
from pyinfra.operations import apt, systemd
from pyinfra.operations.util import any_changed

from deploy.backup import config, operations
from deploy.backup.facts import SshHostKeys
from deploy.backup.keys import ensure_backup_secrets
from deploy.backup_host import config as repo
from deploy.common import hostdata
from deploy.common.controller import local_path
from deploy.common.facts import host_size
from deploy.common.operations import directory, private_file, put, systemd_service
from deploy.common.render import render
from deploy.postgres import config as postgres_config

GROUPS = ("db",)
PACKAGES = ("pgbackrest", "openssh-client", "python3")  # python3: rsm-restore

FILES = Path(__file__).resolve().parent / "files"


def backup_host():
    """The backup host (preflight: exactly one) and the address the db host reaches it at."""
    backup = inventory.get_group("backup")[0]
    return backup, hostdata.of(backup).private_address or backup.name


@deploy("Configure backups")
def configure_backups():
    data, topo = hostdata.of(), hostdata.topology()
    version = data.postgres_version
    unit = postgres_config.unit(version)
    secrets = ensure_backup_secrets(local_path(data.backup_secrets_dir))
    backup, address = backup_host()

    apt.packages(name="Install pgBackRest", packages=list(PACKAGES), no_recommends=True)
    directory(
        name=f"Create {config.PGBACKREST_DIR}",
        path=config.PGBACKREST_DIR,
        user="root",
        group="postgres",
        mode="750",
    )
    private_file(
        name="Install the SFTP key of the backup repository (postgres-only)",
        dest=config.PRIVATE_KEY,
        content=HiddenValue(secrets.private_key),
        owner="postgres:postgres",
    )
    put(
        name="Install its public half",
        src=StringIO(secrets.public_key + "\n"),
        dest=config.PUBLIC_KEY,
        mode="644",
    )
    put(
        name=f"Pin the SSH host keys of the backup host {address}",
        src=StringIO(config.known_hosts(address, backup.get_fact(SshHostKeys))),
        dest=config.KNOWN_HOSTS,
        mode="644",
    )
    private_file(
        name="Configure pgBackRest (encrypted repository on the backup host; root:postgres 0640)",
        dest=config.PGBACKREST_CONF,
        content=HiddenValue(
            render(
                "backup/pgbackrest.conf.j2",
                config.pgbackrest_context(
                    address,
                    repo.USER,
                    repo.repository_of(host.name, topo.db_host),
                    secrets.cipher_pass,
                    data.backup_retention_full,
                    data.backup_retention_diff,
                    host_size(host)["cores"],
                    version,
                ),
            )
        ),
        mode="640",
        owner="root:postgres",
    )
    for script in (config.DUMP_SCRIPT, config.RESTORE_SCRIPT, config.DONE_SCRIPT):
        put(
            name=f"Install {Path(script).name}",
            src=str(FILES / Path(script).name),
            dest=script,
            user="root",
            group="root",
            mode="755",
        )
    # The stanza first, then archiving: no WAL segment is ever pushed to a repository without it.
    operations.stanza(name=f"Create the pgBackRest stanza {config.STANZA}", stanza=config.STANZA)
    archive = put(
        name="Archive every WAL segment with pgBackRest",
        src=StringIO(render("backup/archive.conf.j2", config.archive_context())),
        dest=config.archive_conf_path(version),
        user="postgres",
        group="postgres",
        mode="644",
    )
    systemd_service(
        name="Restart PostgreSQL to start archiving", service=unit, restarted=True, _if=archive.did_change
    )
    operations.first_full_backup(
        name="Check archiving and take the first full backup",
        stanza=config.STANZA,
        done=config.done_command("full"),
    )

    directory(
        name=f"Create the root-only {config.DUMPS}", path=config.DUMPS, user="root", group="root", mode="700"
    )
    put(
        name="Write the settings of rsm-dump and rsm-restore",
        src=StringIO(
            render(
                "backup/backup.conf.j2",
                config.settings_context(
                    version,
                    data.dump_retention_days,
                    address,
                    repo.USER,
                    repo.dumps_of(host.name, topo.db_host),
                    topo.server_name(host.name),
                    topo.home,
                ),
            )
        ),
        dest=config.SETTINGS,
        mode="644",
    )

    timers = config.timers(data.backup_full_schedule, data.backup_diff_schedule, data.dump_schedule)
    units = []
    for timer in timers:
        units.append(
            put(
                name=f"Write {timer.unit}.service",
                src=StringIO(render("backup/backup.service.j2", config.service_context(timer))),
                dest=f"/etc/systemd/system/{timer.unit}.service",
                mode="644",
            )
        )
        units.append(
            put(
                name=f"Write {timer.unit}.timer ({timer.schedule})",
                src=StringIO(render("backup/backup.timer.j2", config.timer_context(timer))),
                dest=f"/etc/systemd/system/{timer.unit}.timer",
                mode="644",
            )
        )
    systemd.daemon_reload(name="Reload systemd units", _if=any_changed(*units))
    for timer in timers:
        systemd_service(
            name=f"Enable and start {timer.unit}.timer",
            service=f"{timer.unit}.timer",
            running=True,
            enabled=True,
        )


@deploy("Take the first dump")
def take_first_dump():
    """After the app's release, which creates the master database's tables rsm-dump reads."""
    data = hostdata.of()
    timers = config.timers(data.backup_full_schedule, data.backup_diff_schedule, data.dump_schedule)
    dump = next(timer for timer in timers if timer.kind == "dump")
    operations.first_dump(
        name="Dump every database once (no dump recorded yet)",
        unit=f"{dump.unit}.service",
        metric=config.done_metric(dump.kind),
    )
