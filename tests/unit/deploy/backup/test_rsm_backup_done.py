"""rsm-backup-done: a backup's success as the node exporter's textfile metric, for BackupTooOld."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from deploy.backup import config

pytestmark = pytest.mark.unit

SCRIPT = Path(__file__).resolve().parents[4] / "deploy" / "backup" / "files" / "rsm-backup-done"


def test_the_deploy_installs_it_where_the_units_run_it():
    assert SCRIPT.name == Path(config.DONE_SCRIPT).name


def test_it_writes_the_kind_s_completion_time_and_nothing_else(tmp_path):
    before = int(time.time())
    subprocess.run(["sh", str(SCRIPT), "diff", str(tmp_path / "textfile")], check=True)
    [written] = (tmp_path / "textfile").iterdir()
    assert written.name == "rsm_backup_diff.prom" and written.stat().st_mode & 0o777 == 0o644
    help_line, type_line, sample = written.read_text().splitlines()
    assert type_line == "# TYPE rsm_backup_last_success_timestamp_seconds gauge"
    name, value = sample.split(" ")
    assert name == 'rsm_backup_last_success_timestamp_seconds{kind="diff"}'
    assert before <= int(value) <= int(time.time())


def test_an_unknown_kind_is_refused_and_writes_nothing(tmp_path):
    result = subprocess.run(["sh", str(SCRIPT), "weekly", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 2 and "unknown kind 'weekly'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_each_timer_s_unit_records_its_own_kind():
    timers = config.timers("Sun 01:00", "Mon..Sat 01:00", "02:00")
    assert [config.service_context(t)["done"] for t in timers] == [
        f"/usr/local/sbin/rsm-backup-done {kind} /var/lib/prometheus/node-exporter"
        for kind in ("full", "diff", "dump")
    ]
    assert config.done_metric("dump") == "/var/lib/prometheus/node-exporter/rsm_backup_dump.prom"
