"""What certbot's files say about the domain's certificate."""

from __future__ import annotations

from pyinfra.api import FactBase

from deploy.certbot.config import LETSENCRYPT
from deploy.common.shell import q


class CertificateLineage(FactBase):
    """{"server": ACME directory, "domains": [...]} of a certbot lineage, or None."""

    def command(self, domain):
        conf = q(f"{LETSENCRYPT}/renewal/{domain}.conf")
        cert = q(f"{LETSENCRYPT}/live/{domain}/cert.pem")
        return (
            f"if [ -f {conf} ] && [ -f {cert} ]; then sed -n 's/^server *= *//p' {conf}; "
            f"openssl x509 -in {cert} -noout -ext subjectAltName | tail -n +2; fi"
        )

    def process(self, output):
        if not output:
            return None
        domains = [
            name.strip()[len("DNS:") :]
            for line in output[1:]
            for name in line.split(",")
            if name.strip().startswith("DNS:")
        ]
        return {"server": output[0].strip(), "domains": domains}
