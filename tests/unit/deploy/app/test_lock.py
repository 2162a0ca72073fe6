"""The image's pinned dependencies: pip commands and lock text, by exact output."""

from pathlib import Path

import pytest

from deploy.app import lock

pytestmark = pytest.mark.unit


def test_download_command_targets_trixie_python_wheels_only():
    assert lock.download_command("py", "requirements/app.lock", "/cache") == [
        "py",
        "-m",
        "pip",
        "download",
        "--quiet",
        "--no-deps",
        "--require-hashes",
        "--only-binary=:all:",
        "--python-version",
        "3.13",
        "--implementation",
        "cp",
        "--platform",
        "manylinux2014_x86_64",
        "--platform",
        "manylinux_2_17_x86_64",
        "--platform",
        "manylinux_2_28_x86_64",
        "-r",
        "requirements/app.lock",
        "-d",
        "/cache",
    ]


def test_lock_text_from_a_pip_report():
    report = {
        "install": [
            {
                "metadata": {"name": "Flask", "version": "3.1.3"},
                "download_info": {"archive_info": {"hashes": {"sha256": "aa"}, "hash": "sha256=aa"}},
            },
            {
                "metadata": {"name": "alembic", "version": "1.20.1"},
                "download_info": {"archive_info": {"hash": "sha256=bb"}},
            },
        ]
    }
    assert lock.lock_text(report) == lock.LOCK_HEADER.format(python="3.13") + (
        "alembic==1.20.1 --hash=sha256:bb\nflask==3.1.3 --hash=sha256:aa\n"
    )


def test_wheelhouse_is_named_by_the_lock_content():
    assert lock.wheelhouse_dir(b"x", Path("/c")) == Path("/c/2d711642b726b044")


def test_committed_lock_pins_every_dependency_with_a_hash():
    lines = [line for line in lock.LOCK_PATH.read_text().splitlines() if line and not line.startswith("#")]
    # pip writes a wheel's own spelling (prometheus_client); names compare normalized (PEP 503).
    names = {lock.normalized_name(line.split("==")[0]) for line in lines}
    assert all(" --hash=sha256:" in line for line in lines)
    for dep in lock.project_dependencies((lock.REPO_ROOT / "pyproject.toml").read_text()):
        name = lock.requirement_name(dep)
        assert name in names, f"{name} missing from requirements/app.lock: run scripts/lock-app-deps"


def test_the_dev_lock_holds_the_apps_direct_dependencies_at_the_images_versions():
    app_pins = dict(pin.split("==") for pin in lock.pins_of(lock.LOCK_PATH.read_text(), ["flask", "psycopg"]))
    assert set(app_pins) == {"flask", "psycopg"}
    dev_lines = [line for line in lock.DEV_LOCK_PATH.read_text().splitlines() if line and line[0] != "#"]
    assert all(" --hash=sha256:" in line for line in dev_lines)
    # pip writes a wheel's own spelling (prometheus_client); names compare normalized (PEP 503).
    dev_pins = {
        lock.normalized_name(name): v for name, v in (line.split(" ", 1)[0].split("==") for line in dev_lines)
    }
    app_lines = [line for line in lock.LOCK_PATH.read_text().splitlines() if line and line[0] != "#"]
    image_pins = {
        lock.normalized_name(name): v for name, v in (line.split(" ", 1)[0].split("==") for line in app_lines)
    }
    pyproject = (lock.REPO_ROOT / "pyproject.toml").read_text()
    for requirement in lock.project_dependencies(pyproject):
        name = lock.requirement_name(requirement)
        assert dev_pins[name] == image_pins[name], (
            f"{name}: dev.lock differs from app.lock: run scripts/lock-app-deps --dev"
        )
    for requirement in lock.dev_dependencies(pyproject):
        assert lock.requirement_name(requirement) in dev_pins


def test_requirement_names():
    assert [lock.requirement_name(r) for r in ("Flask-Limiter>=4.1,<5", "psycopg[c]>=3", "ruff")] == [
        "flask-limiter",
        "psycopg",
        "ruff",
    ]
