"""rsm-certificate-expiry: a real certificate's notAfter, as the node exporter's textfile metric."""

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deploy.monitoring import config

pytestmark = pytest.mark.unit

SCRIPT = Path(config.__file__).parent / "files" / Path(config.CERTIFICATE_METRIC_SCRIPT).name


def test_the_metric_is_the_certificate_s_not_after(tmp_path):
    cert = tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(cert),
            "-days",
            "10",
            "-subj",
            "/CN=studio.test",
        ],
        check=True,
        capture_output=True,
    )
    end = (
        subprocess.run(
            ["openssl", "x509", "-enddate", "-noout", "-in", str(cert)],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .split("=", 1)[1]
    )
    expected = int(datetime.strptime(end, "%b %d %H:%M:%S %Y %Z").replace(tzinfo=UTC).timestamp())
    out = tmp_path / "rsm_certificate.prom"
    subprocess.run([str(SCRIPT), str(cert), str(out)], check=True)
    assert out.read_text().splitlines()[-1] == f"rsm_certificate_expiry_timestamp_seconds {expected}"


def test_without_a_certificate_the_metric_is_removed(tmp_path):
    out = tmp_path / "rsm_certificate.prom"
    out.write_text("stale\n")
    subprocess.run([str(SCRIPT), str(tmp_path / "missing.pem"), str(out)], check=True)
    assert not out.exists()
