"""Facts read together give each fact's own answer, and a kept answer lasts until the host runs
a command: checked on this machine through pyinfra's local connector and a real shell."""

from __future__ import annotations

import subprocess

import pytest
from pyinfra.api import Config, Inventory, State
from pyinfra.api.connect import connect_all
from pyinfra.api.facts import get_fact
from pyinfra.facts.deb import DebPackages
from pyinfra.facts.files import Directory, File, FindFiles, Sha1File, Sha256File
from pyinfra.facts.systemd import SystemdStatus

from deploy.common import factcache
from deploy.common.facts import NonEmptyFile, PrivateDigest
from deploy.common.hashing import salted_digest


@pytest.fixture
def local_host():
    inventory = Inventory((["@local"], {}))
    state = State(inventory, Config())
    connect_all(state)
    factcache.install()
    host = inventory.get_host("@local")
    yield host
    factcache._kept.pop(host.name, None)
    factcache._wanted.pop(host.name, None)


def alone(host, cls, kwargs):
    """pyinfra's own answer: the fact's command run by itself (pyinfra's get_fact, not kept)."""
    return get_fact(host.state, host, cls, kwargs=kwargs)


def batch(facts):
    command, instances = factcache.batch_command(facts)
    run = subprocess.run(["sh", "-c", command], capture_output=True, text=True)
    assert run.returncode == 0
    return factcache.split_batch(instances, run.stdout.splitlines())


def test_read_together_each_fact_answers_as_it_does_alone(tmp_path, local_host):
    present = tmp_path / "rsm.conf"
    present.write_text("listen 127.0.0.1\n")
    empty = tmp_path / "empty"
    empty.write_text("")
    secret = tmp_path / "secret"
    secret.write_text("s3cret")
    secret.chmod(0o600)
    facts = [
        (File, {"path": str(present)}),
        (Sha1File, {"path": str(present)}),
        (File, {"path": str(tmp_path / "absent")}),
        (Sha1File, {"path": str(tmp_path / "absent")}),
        (Sha1File, {"path": str(empty)}),
        (Directory, {"path": str(tmp_path)}),
        (Directory, {"path": str(tmp_path / "absent")}),
        (PrivateDigest, {"path": str(secret)}),
        (PrivateDigest, {"path": str(tmp_path / "absent")}),
        (DebPackages, {}),
        (Sha256File, {"path": str(present)}),
        (FindFiles, {"path": str(tmp_path), "quote_path": True}),
        (NonEmptyFile, {"path": str(present)}),
        (NonEmptyFile, {"path": str(empty)}),
    ]
    answers = batch(facts)
    assert answers == {index: alone(local_host, cls, kwargs) for index, (cls, kwargs) in enumerate(facts)}
    assert answers[1] and answers[2] is None and answers[6] is None
    assert answers[7] == (salted_digest("s3cret"), "600 root:root")
    assert "dpkg" in answers[9]
    assert answers[10] and str(present) in answers[11] and answers[12] and not answers[13]


def test_a_fact_whose_command_is_missing_is_left_to_be_asked_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    command, instances = factcache.batch_command([(SystemdStatus, {"services": ["rsm.service"]})])
    run = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True)
    assert factcache.split_batch(instances, run.stdout.splitlines()) == {}


def test_an_answer_is_kept_until_the_host_runs_a_command(tmp_path, local_host):
    path = tmp_path / "unit.conf"
    path.write_text("a\n")
    first = local_host.get_fact(Sha1File, path=str(path))
    path.write_text("b\n")  # changed behind pyinfra's back: the kept answer stands
    assert local_host.get_fact(Sha1File, path=str(path)) == first
    local_host.run_shell_command("true")
    assert (
        local_host.get_fact(Sha1File, path=str(path))
        == alone(local_host, Sha1File, {"path": str(path)})
        != first
    )


def test_wanted_facts_are_read_with_the_first_one_asked(tmp_path, local_host):
    paths = [tmp_path / name for name in ("one", "two", "three")]
    for path in paths:
        path.write_text(path.name)
        factcache.want(local_host, Sha1File, path=str(path))
    before = [alone(local_host, Sha1File, {"path": str(path)}) for path in paths]
    assert local_host.get_fact(Sha1File, path=str(paths[0])) == before[0]
    for path in paths[1:]:
        path.write_text("changed")  # after the batch: its answers were read with the first
    assert [local_host.get_fact(Sha1File, path=str(path)) for path in paths[1:]] == before[1:]
    assert factcache._wanted[local_host.name] == {}


def test_a_kept_answer_is_a_copy(local_host):
    packages = local_host.get_fact(DebPackages)
    packages.clear()
    assert local_host.get_fact(DebPackages)
