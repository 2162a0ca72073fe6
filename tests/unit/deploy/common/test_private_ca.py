"""The private CA and the db hosts' certificates: made once, issued again only when they must be."""

import datetime
import ipaddress
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from deploy.common import private_ca

pytestmark = pytest.mark.unit

NOW = datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC)


def test_the_ca_is_made_once_with_a_key_only_its_owner_reads(tmp_path):
    first = private_ca.ensure_ca(tmp_path / "ca")
    assert (tmp_path / "ca" / "ca.key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "ca").stat().st_mode & 0o777 == 0o700
    assert private_ca.ensure_ca(tmp_path / "ca") == first
    assert "KEY" not in repr(first)
    cert = x509.load_pem_x509_certificate(first.cert.encode())
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_a_server_certificate_names_the_private_address_and_openssl_verifies_it(tmp_path):
    ca = private_ca.ensure_ca(tmp_path)
    issued = private_ca.issue(ca, "db-2", "10.0.0.22")
    cert = x509.load_pem_x509_certificate(issued.cert.encode())
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("10.0.0.22")]
    (tmp_path / "db-2.crt").write_text(issued.cert)
    result = subprocess.run(
        [
            "openssl",
            "verify",
            "-x509_strict",  # as Python 3.13's default TLS context (redis-py in the app) checks
            "-CAfile",
            str(tmp_path / "ca.crt"),
            "-verify_ip",
            "10.0.0.22",
            str(tmp_path / "db-2.crt"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    wrong_ip = ["openssl", "verify", "-CAfile", str(tmp_path / "ca.crt"), "-verify_ip", "10.0.0.21"]
    assert subprocess.run([*wrong_ip, str(tmp_path / "db-2.crt")], capture_output=True).returncode != 0


def test_reasons_to_issue_again(tmp_path):
    ca = private_ca.new_ca("test", NOW)
    good = private_ca.issue(ca, "db-1", "10.0.0.21", NOW).cert
    assert private_ca.reissue_reason(ca.cert, good, "10.0.0.21", NOW) == ""
    assert private_ca.reissue_reason(ca.cert, None, "10.0.0.21", NOW) == "none yet"
    assert (
        private_ca.reissue_reason(ca.cert, good, "10.0.0.31", NOW) == "names another address than 10.0.0.31"
    )
    later = NOW + datetime.timedelta(days=private_ca.SERVER_DAYS - 29)
    assert private_ca.reissue_reason(ca.cert, good, "10.0.0.21", later) == "expires within 30 days"
    other = private_ca.new_ca("another", NOW)
    assert private_ca.reissue_reason(other.cert, good, "10.0.0.21", NOW) == "signed by another CA"


def test_the_server_certificate_is_kept_until_its_address_changes(tmp_path):
    first, reason = private_ca.ensure_server_certificate(tmp_path, "db-1", "10.0.0.21")
    assert reason == "none yet"
    assert (tmp_path / "hosts" / "db-1.key").stat().st_mode & 0o777 == 0o600
    assert private_ca.ensure_server_certificate(tmp_path, "db-1", "10.0.0.21") == (first, "")
    moved, reason = private_ca.ensure_server_certificate(tmp_path, "db-1", "10.0.0.41")
    assert reason == "names another address than 10.0.0.41" and moved != first


def test_the_fingerprint_is_openssls(tmp_path):
    ca = private_ca.ensure_ca(tmp_path)
    out = subprocess.run(
        ["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", str(tmp_path / "ca.crt")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip().split("=", 1)[1] == private_ca.fingerprint(ca.cert)


def test_a_ca_made_without_a_key_identifier_is_made_anew(tmp_path):
    ca = private_ca.ensure_ca(tmp_path)
    old = x509.load_pem_x509_certificate(ca.cert.encode())
    key = serialization.load_pem_private_key(ca.key.encode(), password=None)
    builder = (
        x509.CertificateBuilder()
        .subject_name(old.subject)
        .issuer_name(old.subject)
        .public_key(old.public_key())
        .serial_number(old.serial_number)
        .not_valid_before(old.not_valid_before_utc)
        .not_valid_after(old.not_valid_after_utc)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
    )
    (tmp_path / "ca.crt").write_bytes(
        builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    )
    anew = private_ca.ensure_ca(tmp_path)
    assert anew.key != ca.key
    cert = x509.load_pem_x509_certificate(anew.cert.encode())
    assert cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
