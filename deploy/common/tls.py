"""TLS between hosts: the private CA's certificate on the hosts that connect over the network, and
a db host's certificate and key for each service that answers them (deploy/common/private_ca.py
makes them on the controller). Only where hosts talk across the network: one server has none."""

from __future__ import annotations

from io import StringIO

from pyinfra import host
from pyinfra.api import HiddenValue
from pyinfra.operations import files

from deploy.common import hostdata, private_ca
from deploy.common.controller import local_path
from deploy.common.operations import private_file, put
from deploy.common.paths import ETC

CA_CERT = f"{ETC}/ca.crt"  # on the hosts, and at the same path inside the app's containers
TLS_DIR = f"{ETC}/tls"


def cert_path(service: str) -> str:
    return f"{TLS_DIR}/{service}.crt"


def key_path(service: str) -> str:
    return f"{TLS_DIR}/{service}.key"


def ca_certificate() -> str:
    """The private CA's certificate (PEM), made on the controller first when absent."""
    return private_ca.ensure_ca(local_path(hostdata.of().ca_dir)).cert


def paths(service: str) -> dict:
    """The service's certificate and key, for its settings' context."""
    return {"cert": cert_path(service), "key": key_path(service)}


def install_ca_certificate():
    """The private CA's certificate, which clients verify the db hosts' certificates against."""
    return put(
        name="Install the private CA's certificate", src=StringIO(ca_certificate()), dest=CA_CERT, mode="644"
    )


def install_server_certificate(service: str, group: str) -> list:
    """This db host's certificate (for its private address) and key, the key readable by root and
    the service's group only; the operations, for what they restart."""
    address = hostdata.of().private_address
    pair, reason = private_ca.ensure_server_certificate(local_path(hostdata.of().ca_dir), host.name, address)
    files.directory(name=f"Create {TLS_DIR}", path=TLS_DIR, user="root", group="root", mode="755")
    return [
        put(
            name=f"Install {service}'s TLS certificate for {address}"
            + (f" (issued: {reason})" if reason else ""),
            src=StringIO(pair.cert),
            dest=cert_path(service),
            mode="644",
        ),
        private_file(
            name=f"Install {service}'s TLS key (root:{group} 0640)",
            dest=key_path(service),
            content=HiddenValue(pair.key),
            mode="640",
            owner=f"root:{group}",
        ),
    ]
