"""Production inventory: a documented example. Copy it, then replace every <PLACEHOLDER>.

    pyinfra -y inventories/prod.py deploy.py

Groups: `web` runs Docker, the app (Compose), nginx and the certificate; `db` runs PostgreSQL and
Redis. On one server, put the same host in both (the default below). With separate hosts, give
each a `private_address` (web containers reach the db host there), and give both hosts the same
database and Redis passwords in the secrets file (RSM_POSTGRES_PASSWORD, RSM_REDIS_PASSWORD).

Host data (per host, or for all hosts in the group data below):

    domain                  apex domain: studios live on SUBDOMAIN.domain (the app's PLATFORM_DOMAIN)
    admin_email             ACME account contact (expiry notices)
    acme_directory          ACME directory URL, Let's Encrypt production or staging, or a test CA
    acme_ca_bundle          optional local path of a CA bundle the server trusts for the ACME server
                            (test CAs only; also given to certbot.timer's renewals)
    dns_plugin              certbot DNS plugin: rfc2136, cloudflare, or any certbot-dns-<name>
                            (installed as Debian's python3-certbot-dns-<name>)
    dns_credentials_file    local path of the plugin's credentials ini, kept outside git
                            (e.g. secrets/cloudflare.ini with `dns_cloudflare_api_token = ...`)
      or dns_credentials    the same as a mapping {"dns_rfc2136_server": ..., ...}
    dns_propagation_seconds seconds certbot waits for the DNS update to propagate (default 60)
    secrets_file            local env file outside git with the app's operator settings, e.g.
                            ANTHROPIC_API_KEY=sk-ant-...; the environment overrides it
    app_settings            optional non-secret app settings, e.g. {"AI_TRIAL_CREDITS": "100"}
    app_network_subnet      optional, the app's docker network (default 172.28.213.0/24)
    base_image_archive      optional local `docker save` tarball of debian:trixie-slim, for servers
                            without a registry (otherwise it is pulled once, if absent)
    gunicorn_workers/threads optional overrides of the sizing derived from cores and memory
    private_address         only with separate web and db hosts

Secrets never go in this file or in git: `secrets/` is git-ignored. The deploy refuses to start,
naming every missing item, when something required is absent.
"""

SERVER = "<SERVER_ADDRESS>"  # PLACEHOLDER: e.g. 203.0.113.10 or studio-1.example.com

_data = {
    "ssh_user": "root",
    "domain": "<DOMAIN>",  # PLACEHOLDER: e.g. studio.example.com
    "admin_email": "<ADMIN_EMAIL>",  # PLACEHOLDER: e.g. ops@example.com
    # PLACEHOLDER: Let's Encrypt staging while trying things out, then production:
    #   https://acme-staging-v02.api.letsencrypt.org/directory
    #   https://acme-v02.api.letsencrypt.org/directory
    "acme_directory": "<ACME_DIRECTORY_URL>",
    "dns_plugin": "<DNS_PLUGIN>",  # PLACEHOLDER: e.g. cloudflare or rfc2136
    "dns_credentials_file": "secrets/<DNS_PLUGIN>.ini",  # PLACEHOLDER: outside git, mode 0600
    "dns_propagation_seconds": 60,
    "secrets_file": "secrets/prod.env",  # ANTHROPIC_API_KEY=... (outside git)
}

# (hosts, group data). Separate hosts: web = (["web-1.example.com"], {..., "private_address": ...}).
web = ([SERVER], _data)
db = ([SERVER], _data)
