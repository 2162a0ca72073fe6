"""TLS between hosts, end to end on this machine: the private CA's certificate for a db host's
address, Redis started with the deploy's rendered TLS settings, and the app's client reaching it
with a rediss:// URL and REDIS_CA_FILE (verified), or refused when it trusts another CA."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import redis

from app.extensions import redis_tls_options
from deploy.common import private_ca
from deploy.common.render import render
from deploy.redis import config as redis_config

pytestmark = pytest.mark.templates

ADDRESS = "127.0.0.1"  # the db host's private address in the certificate


def free_port() -> int:
    with socket.socket() as s:
        s.bind((ADDRESS, 0))
        return s.getsockname()[1]


@pytest.fixture
def tls_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed here")
    pair, _reason = private_ca.ensure_server_certificate(tmp_path / "ca", "db-1", ADDRESS)
    (tmp_path / "redis.crt").write_text(pair.cert)
    (tmp_path / "redis.key").write_text(pair.key)
    tls = {"cert": str(tmp_path / "redis.crt"), "key": str(tmp_path / "redis.key")}
    port = free_port()
    text = render("redis/rsm.conf.j2", redis_config.conf_context((ADDRESS,), 64, tls))
    # The deploy's file, on a free TLS port and no plain one; the password filled in as rsm-render does.
    text = text.replace(f"port {redis_config.PORT}\n", "port 0\n").replace(
        f"tls-port {redis_config.TLS_PORT}\n", f"tls-port {port}\n"
    )
    text = text.replace("@@redis_password:redis@@", '"pw"')
    (tmp_path / "redis.conf").write_text(text + f'dir {tmp_path}\nsave ""\n')
    server = subprocess.Popen(["redis-server", str(tmp_path / "redis.conf")], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while socket.socket().connect_ex((ADDRESS, port)) != 0:
        assert time.monotonic() < deadline and server.poll() is None, "redis-server did not start"
        time.sleep(0.1)
    yield f"rediss://:pw@{ADDRESS}:{port}/0", str(tmp_path / "ca" / private_ca.CA_CERT)
    server.terminate()
    server.wait(10)


def test_the_app_reaches_redis_over_tls_verified_against_the_private_ca(tls_redis):
    url, ca_file = tls_redis
    client = redis.Redis.from_url(url, socket_timeout=5, **redis_tls_options(ca_file))
    assert client.ping() is True


def test_a_client_trusting_another_ca_is_refused(tls_redis, tmp_path):
    url, _ca_file = tls_redis
    other = tmp_path / "other-ca.crt"
    other.write_text(private_ca.new_ca("another").cert)
    client = redis.Redis.from_url(url, socket_timeout=5, **redis_tls_options(str(other)))
    with pytest.raises(redis.ConnectionError, match="certificate verify failed"):
        client.ping()
