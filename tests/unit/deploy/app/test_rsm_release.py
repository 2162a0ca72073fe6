"""rsm-release's pure layer (deploy/app/files/rsm-release): the upstream file, the slot, the
history, which releases are kept, what a rollback goes back to, redaction, `list`, by exact output.
Its host mechanics (Docker, nginx) are exercised by tests/e2e/test_35_releases.py."""

import pytest

from deploy.app.release import helper as h

pytestmark = pytest.mark.unit

A, B, C, D = "aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc", "dddddddddddd"


def entries(*pairs):
    return [h.Entry(f"2025-11-30T09:0{i}:00Z", release, event) for i, (release, event) in enumerate(pairs)]


def test_upstream_conf_and_its_port():
    text = h.upstream_conf(A, 8002)
    assert text == f"# Written by rsm-release: the live release is {A}.\nserver 127.0.0.1:8002;\n"
    assert h.upstream_port(text) == 8002
    assert h.upstream_port("") is None


def test_a_new_release_takes_the_slot_the_live_one_does_not_use():
    assert h.free_slot(None) == 8001
    assert h.free_slot(8001) == 8002
    assert h.free_slot(8002) == 8001


def test_each_slot_publishes_its_own_metrics_port_which_prometheus_finds_in_the_target_file():
    assert [h.metrics_port(port) for port in h.SLOTS] == [9201, 9202]
    assert h.metrics_target(A, 8002) == (
        '[{"targets": ["127.0.0.1:9202"], "labels": {"release": "aaaaaaaaaaaa"}}]\n'
    )


def test_containers_and_the_live_one():
    found = h.parse_containers(
        [
            f"rsm-app-{A}\t{A}\t8001\t70\trunning",
            f"rsm-{B}-app-run-0a1b\t{B}\t8002\t70\trunning",  # a migration one-off: never the live one
            f"rsm-app-{B}\t{B}\t8002\t\texited",
            "unrelated\t\t\t\trunning",
        ]
    )
    assert found == [
        h.Container(f"rsm-app-{A}", A, 8001, "running", 70),
        h.Container(f"rsm-{B}-app-run-0a1b", B, 8002, "running", 70),
        h.Container(f"rsm-app-{B}", B, 8002, "exited", h.DRAIN_SECONDS),
    ]
    assert h.live_container(found, 8001) == found[0]
    assert h.live_container(found, 8002) == found[2]
    assert h.live_container(found, None) is None


def test_history_round_trip():
    line = h.history_line("2025-11-30T09:00:00Z", A, "release")
    assert line == f"2025-11-30T09:00:00Z\t{A}\trelease\n"
    assert h.parse_history(line + "garbage\n") == [h.Entry("2025-11-30T09:00:00Z", A, "release")]


def test_recent_releases_newest_first_the_live_one_first():
    history = entries((A, "release"), (B, "release"), (A, "rollback"), (C, "release"))
    assert h.recent(history, C) == [C, A, B]
    assert h.recent(history, D) == [D, C, A, B]  # live but not recorded (interrupted after the switch)


def test_rollback_goes_to_the_most_recently_live_kept_release():
    history = entries((A, "release"), (B, "release"), (C, "release"))
    assert h.previous(history, C, {A, B, C}) == B
    assert h.previous(history, C, {A, C}) == A  # B's description was pruned
    assert h.previous(history, C, {C}) is None
    # rolling back twice goes back and forth
    assert h.previous(history + entries((B, "rollback")), B, {A, B, C}) == C


def test_kept_releases():
    history = entries((A, "release"), (B, "release"), (C, "release"), (D, "release"))
    assert h.kept(history, D, 3) == [D, C, B]
    assert h.kept(history, D, 0) == [D]  # the live one always stays


def test_env_values_and_redaction():
    values = h.env_values(
        "# comment\nSECRET_KEY='0123456789abcdef'\nAI_TRIAL_CREDITS='5'\n"
        "MASTER_DATABASE_URL='postgresql://rsm:pw0123456@rsm-db:5432/rsm'\n"
    )
    assert values == {
        "SECRET_KEY": "0123456789abcdef",
        "AI_TRIAL_CREDITS": "5",
        "MASTER_DATABASE_URL": "postgresql://rsm:pw0123456@rsm-db:5432/rsm",
    }
    values["secret postgres_password"] = "pw0123456"
    text = "url postgresql://rsm:pw0123456@rsm-db:5432/rsm key 0123456789abcdef pw pw0123456 credits 5"
    assert h.redact(text, values) == (
        "url <MASTER_DATABASE_URL> key <SECRET_KEY> pw <secret postgres_password> credits 5"
    )


def test_image_of_a_compose_file():
    assert h.image_of("services:\n  app:\n    image: rsm-app:0123456789ab\n") == "rsm-app:0123456789ab"
    assert h.image_of("") is None


def test_stale_images_are_neither_kept_nor_used():
    assert h.stale_images(["rsm-app:1", "rsm-app:2", "rsm-app:3"], {"rsm-app:1"}, {"rsm-app:3"}) == [
        "rsm-app:2"
    ]


PROC_NET_TCP = """\
  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
   1: 0100007F:D431 0100007F:1F41 01 00000000:00000000 00:00000000 00000000    33        0 2 1
   2: 0100007F:1F41 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 3 1
   3: 0100007F:D432 0100007F:1F42 06 00000000:00000000 00:00000000 00000000    33        0 4 1
"""


def test_established_connections_of_a_port():
    assert h.established(8001, PROC_NET_TCP) == 2  # both ends of nginx's connection; not the listener
    assert h.established(8002, PROC_NET_TCP) == 0  # TIME_WAIT is not a connection


def test_list_lines():
    history = entries((A, "release"), (B, "release"), (A, "rollback"))
    images = {A: "rsm-app:111111111111", B: "rsm-app:222222222222"}
    assert h.list_lines(history + entries((C, "release"))[:0], A, images) == [
        "  RELEASE       SWITCHED TO (UTC)     BY        IMAGE",
        f"* {A}  2025-11-30 09:02:00   rollback  rsm-app:111111111111",
        f"  {B}  2025-11-30 09:01:00   release   rsm-app:222222222222",
    ]
    assert h.list_lines([], None, {})[-1] == "(no live release)"


def test_log_excerpt_names_the_errors_then_the_last_lines():
    log = (
        "\n".join(
            [
                "[2025-11-30 09:40:14 +0000] [1] [INFO] Starting gunicorn 27.0.1",
                "Traceback (most recent call last):",
                '  File "/srv/app/wsgi.py", line 1, in <module>',
                "RuntimeError: the cause",
                "Traceback (most recent call last):",
                "RuntimeError: the cause",
                "[2025-11-30 09:40:15 +0000] [1] [ERROR] Worker (pid:7) exited with code 3",
                "gunicorn.errors.HaltServer: <HaltServer 'Worker failed to boot.' 3>",
                "    raise HaltServer(reason, self.WORKER_BOOT_ERROR)",
                "Error: the app failed to load (gunicorn --preload)",
            ]
        )
        + "\n"
    )
    assert h.log_excerpt(log, tail=2) == [
        "  ! RuntimeError: the cause",
        "  ! [2025-11-30 09:40:15 +0000] [1] [ERROR] Worker (pid:7) exited with code 3",
        "  ! gunicorn.errors.HaltServer: <HaltServer 'Worker failed to boot.' 3>",
        "  ! Error: the app failed to load (gunicorn --preload)",
        "  |     raise HaltServer(reason, self.WORKER_BOOT_ERROR)",
        "  | Error: the app failed to load (gunicorn --preload)",
    ]
    assert h.log_excerpt("") == ["  | (no output)"]
