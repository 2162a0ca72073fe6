"""The deploy's private certificate authority, kept on the controller, and the db hosts' server
certificates it signs (for PostgreSQL, PgBouncer and Redis toward the other hosts).

The CA is made once in the operator's CA directory (host data ca_dir, outside git): ca.key (0600,
never printed) and ca.crt, which every web host trusts (/etc/rsm/ca.crt, mounted into the app's
containers). A db host's certificate names its private address (SAN IP); it is issued again only
when missing, expiring within RENEW_DAYS, naming another address, or signed by another CA: a second
converge leaves it as it is.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

CA_KEY = "ca.key"
CA_CERT = "ca.crt"
CA_DAYS = 3650
SERVER_DAYS = 397
RENEW_DAYS = 30


@dataclass(frozen=True)
class KeyPair:
    cert: str  # PEM
    key: str  # PEM, unencrypted

    def __repr__(self) -> str:  # never the key, even in a traceback
        return "KeyPair(...)"


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _pem_key(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _pem_cert(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _write_private(path: Path, text: str) -> None:
    """Write path 0600 from its creation (a key is never readable by others, even for a moment)."""
    temp = path.with_name(path.name + ".new")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
    temp.replace(path)


def new_ca(name: str, now: datetime.datetime | None = None) -> KeyPair:
    now = now or _now()
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(_pem_cert(cert), _pem_key(key))


def _has_key_identifier(ca_cert: str) -> bool:
    try:
        x509.load_pem_x509_certificate(ca_cert.encode()).extensions.get_extension_for_class(
            x509.SubjectKeyIdentifier
        )
    except x509.ExtensionNotFound:
        return False
    return True


def ensure_ca(directory: Path) -> KeyPair:
    """The CA in directory, made there first when absent (directory 0700, key 0600)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not (directory / CA_KEY).exists() or not _has_key_identifier((directory / CA_CERT).read_text()):
        # A CA without a subject key identifier (made before it had one) fails strict TLS
        # clients: made anew, so every server certificate is issued again ("signed by another CA").
        ca = new_ca("Recording Studio Manager private CA")
        _write_private(directory / CA_KEY, ca.key)
        (directory / CA_CERT).write_text(ca.cert)
    return KeyPair((directory / CA_CERT).read_text(), (directory / CA_KEY).read_text())


def issue(ca: KeyPair, host_name: str, address: str, now: datetime.datetime | None = None) -> KeyPair:
    """A server certificate for host_name at its private address (SAN IP), signed by the CA."""
    now = now or _now()
    ca_cert = x509.load_pem_x509_certificate(ca.cert.encode())
    ca_key = serialization.load_pem_private_key(ca.key.encode(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_name)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=SERVER_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(address))]), critical=False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        # Python 3.13's default TLS context (VERIFY_X509_STRICT; redis-py in the app) refuses a
        # server certificate without them: "Missing Authority Key Identifier".
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return KeyPair(_pem_cert(cert), _pem_key(key))


def reissue_reason(ca_cert: str, cert: str | None, address: str, now: datetime.datetime | None = None) -> str:
    """Why a server certificate must be issued again ("" when it is still good)."""
    if not cert:
        return "none yet"
    now = now or _now()
    parsed = x509.load_pem_x509_certificate(cert.encode())
    issuer = x509.load_pem_x509_certificate(ca_cert.encode())
    try:
        parsed.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return "signed by another CA"
    try:
        parsed.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    except x509.ExtensionNotFound:
        return "no authority key identifier (strict TLS clients refuse it)"
    names = parsed.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    if names.get_values_for_type(x509.IPAddress) != [ipaddress.ip_address(address)]:
        return f"names another address than {address}"
    if parsed.not_valid_after_utc - now < datetime.timedelta(days=RENEW_DAYS):
        return f"expires within {RENEW_DAYS} days"
    return ""


def fingerprint(cert: str) -> str:
    """A certificate's SHA-256 fingerprint (of its DER form), as openssl prints it."""
    der = x509.load_pem_x509_certificate(cert.encode()).public_bytes(serialization.Encoding.DER)
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def ensure_server_certificate(directory: Path, host_name: str, address: str) -> tuple[KeyPair, str]:
    """The db host's certificate and key, kept beside the CA (hosts/NAME.crt/.key), issued again
    only when they must be; with the reason it was issued ("" when kept)."""
    ca = ensure_ca(directory)
    hosts = directory / "hosts"
    hosts.mkdir(exist_ok=True, mode=0o700)
    cert_path, key_path = hosts / f"{host_name}.crt", hosts / f"{host_name}.key"
    current = cert_path.read_text() if cert_path.exists() and key_path.exists() else None
    reason = reissue_reason(ca.cert, current, address)
    if reason:
        issued = issue(ca, host_name, address)
        _write_private(key_path, issued.key)
        cert_path.write_text(issued.cert)
    return KeyPair(cert_path.read_text(), key_path.read_text()), reason
