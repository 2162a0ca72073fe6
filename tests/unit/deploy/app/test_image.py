"""The app image's build context and its content tag."""

import pytest

from deploy.app import image
from deploy.common.hashing import content_hash

pytestmark = pytest.mark.unit


def test_image_tag_is_a_content_hash_independent_of_order():
    files = [("app/a.py", b"print(1)\n"), ("Dockerfile", b"FROM x\n")]
    tag = image.image_tag(files)
    assert tag == image.image_tag(list(reversed(files)))
    assert tag == "rsm-app:" + content_hash(files)[:12]
    assert image.image_tag([("app/a.py", b"print(2)\n"), ("Dockerfile", b"FROM x\n")]) != tag
    assert image.image_tag([("app/b.py", b"print(1)\n"), ("Dockerfile", b"FROM x\n")]) != tag


def test_app_source_filter():
    assert image.is_app_source("app/x/y.py")
    assert not image.is_app_source("app/__pycache__/y.cpython-313.pyc")
    assert not image.is_app_source("app/y.pyc")


def test_context_holds_the_rendered_dockerfile_the_lock_and_the_app():
    files = dict(image.context_files())
    dockerfile = files["Dockerfile"].decode()
    assert "FROM debian:trixie-slim\n" in dockerfile
    assert 'CMD ["gunicorn", "app.wsgi:app", "--bind=0.0.0.0:8000"]\n' in dockerfile
    assert "requirements/app.lock" in files and "app/__init__.py" in files
    assert all(name in ("Dockerfile", "requirements/app.lock") or name.startswith("app/") for name in files)
