"""Which files skip pyinfra's check of their parent directory: those in a directory every host has."""

from deploy.common.operations import parent_always_present


def test_files_in_the_systems_own_directories_and_etc_rsm_skip_the_parent_check():
    assert parent_always_present("/etc/systemd/system/rsm-dump.timer")
    assert parent_always_present("/usr/local/sbin/rsm-render")
    assert parent_always_present("/etc/apt/apt.conf.d/20auto-upgrades")
    assert parent_always_present("/etc/rsm/pgpass.template")


def test_files_in_directories_a_step_may_have_to_make_keep_it():
    assert not parent_always_present("/etc/systemd/system/redis-server.service.d/rsm.conf")
    assert not parent_always_present("/etc/rsm/secrets/pgpass")
    assert not parent_always_present("/etc/pgbackrest/pgbackrest.conf")
