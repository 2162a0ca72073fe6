"""Render the nginx templates and run trixie's `nginx -t` on the result."""

from __future__ import annotations

import pytest

from deploy.app.release import helper as release_helper
from deploy.nginx import config

pytestmark = pytest.mark.templates

DOMAIN = "studio.test"


def write_tree(root, files: dict[str, str]) -> None:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def context(tmp_path, ipv6: bool = False) -> dict:
    ctx = config.nginx_context(DOMAIN, ipv6, 65)
    # A throwaway prefix: certificate, pid and logs under the test's directory.
    ctx.update(
        certificate=str(tmp_path / "cert.pem"),
        certificate_key=str(tmp_path / "key.pem"),
        pid=str(tmp_path / "nginx.pid"),
        log_dir=str(tmp_path),
        upstream_file=str(tmp_path / "upstream.conf"),
    )
    # the live release's address, as rsm-release writes it
    (tmp_path / "upstream.conf").write_text(release_helper.upstream_conf("0123456789ab", 8002))
    return ctx


def self_signed(tools, tmp_path) -> None:
    made = tools.run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-days",
        "1",
        "-subj",
        f"/CN={DOMAIN}",
        "-addext",
        f"subjectAltName=DNS:{DOMAIN},DNS:*.{DOMAIN}",
        "-keyout",
        str(tmp_path / "key.pem"),
        "-out",
        str(tmp_path / "cert.pem"),
    )
    assert made.returncode == 0, made.stderr


def nginx_t(tools, tmp_path):
    return tools.run("nginx", "-t", "-c", str(tmp_path / "nginx.conf"))


@pytest.mark.parametrize("ipv6", [False, True])
def test_before_the_certificate_only_port_80_is_configured_and_valid(tools, tmp_path, ipv6):
    base, _tls = config.nginx_files(context(tmp_path, ipv6))
    write_tree(tmp_path, base)
    result = nginx_t(tools, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "443" not in "".join(base.values())


@pytest.mark.parametrize("ipv6", [False, True])
def test_with_the_certificate_https_is_configured_and_valid(tools, tmp_path, ipv6):
    self_signed(tools, tmp_path)
    base, tls = config.nginx_files(context(tmp_path, ipv6))
    write_tree(tmp_path, {**base, **tls})
    result = nginx_t(tools, tmp_path)
    assert result.returncode == 0, result.stderr


def test_https_vhost_contents(tmp_path):
    _base, tls = config.nginx_files(context(tmp_path))
    https = tls["rsm/https.conf"]
    for line in [
        f"server_name {DOMAIN} *.{DOMAIN};",
        "ssl_reject_handshake on;",
        "ssl_protocols TLSv1.2 TLSv1.3;",
        "ssl_prefer_server_ciphers off;",
        'add_header Strict-Transport-Security "max-age=63072000" always;',
        f"include {tmp_path / 'upstream.conf'};",
        "proxy_pass http://rsm_app;",
        "keepalive 32;",
        "keepalive_timeout 60s;",
        'proxy_set_header Connection "";',
        "proxy_set_header Host $host;",
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
    ]:
        assert line in https, line
    assert "ssl_stapling" not in https
    http = config.nginx_files(context(tmp_path))[0]["rsm/http.conf"]
    assert "return 301 https://$host$request_uri;" in http
    assert "listen 80 default_server;" in http and "return 444;" in http


def test_a_broken_config_fails_nginx_t(tools, tmp_path):
    base, _tls = config.nginx_files(context(tmp_path))
    base["rsm/http.conf"] += "\nthis is not nginx;\n"
    write_tree(tmp_path, base)
    assert nginx_t(tools, tmp_path).returncode != 0
