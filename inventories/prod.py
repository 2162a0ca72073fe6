"""Production inventory: a documented example. Copy it, then replace every <PLACEHOLDER>.

    pyinfra -y inventories/prod.py deploy.py

Groups: `web` runs Docker, the app (Compose), nginx and the certificate; `db` runs PostgreSQL and
PgBouncer, and the first db host Redis and the master database. On one server, put the same host
in both (the default below). With several hosts (any number of web and db hosts), give each a
`private_address` (they reach each other there, over TLS from the deploy's private CA in
secrets/ca), and give them all the same database and Redis passwords in the secrets file
(RSM_POSTGRES_PASSWORD, RSM_REDIS_PASSWORD); the app names each database server by its db host's
name. For example:

    web = ([("web-1.example.com", {"private_address": "10.0.0.11"}),
            ("web-2.example.com", {"private_address": "10.0.0.12"})], _data)
    db = ([("db-1.example.com", {"private_address": "10.0.0.21"}),
           ("db-2.example.com", {"private_address": "10.0.0.22", "studio_weight": 2})], _data)

`monitoring` runs Prometheus and Alertmanager: the web and db host (its exporters then listen on
the loopback), or a host of its own, which scrapes each web and db host at its `private_address`.

Host data (per host, or for all hosts in the group data below), written from
deploy/common/hostdata.py by `python -m deploy.common.hostdata`:

    domain                   required; read on web and db hosts
        the apex domain, e.g. studio.example.com: studios live on SUBDOMAIN.domain (the app's
        PLATFORM_DOMAIN)
    admin_email              required; read on web hosts
        the ACME account's contact address
    acme_directory           required; read on web hosts
        the ACME directory URL (Let's Encrypt production/staging or a test CA)
    dns_plugin               required; read on web hosts
        the certbot DNS plugin name, e.g. rfc2136 or cloudflare (installed as Debian's
        python3-certbot-dns-<name>)
    dns_credentials_file     optional; read on web hosts
        local path of the DNS plugin's credentials ini, kept outside git (e.g.
        secrets/cloudflare.ini with `dns_cloudflare_api_token = ...`); this or dns_credentials is
        required
    dns_credentials          optional; read on web hosts
        the same credentials as a mapping {"dns_rfc2136_server": ..., ...}
    dns_propagation_seconds  default 60; read on web hosts
        seconds certbot waits for the DNS update to propagate
    acme_ca_bundle           optional; read on web hosts
        local path of a CA bundle the server trusts for the ACME server (test CAs only; also given
        to certbot.timer's renewals)
    secrets_file             optional; read on web and db hosts
        local env file outside git with the app's operator settings, e.g. ANTHROPIC_API_KEY=..., and
        RSM_POSTGRES_PASSWORD/RSM_REDIS_PASSWORD; the environment overrides it; when named, it must
        exist and be readable
    app_settings             optional; read on web and db hosts
        non-secret app settings, e.g. {"AI_TRIAL_CREDITS": "100"}
    app_network_subnet       default 172.28.213.0/24; read on web and db hosts
        the app's docker network; PostgreSQL and Redis listen on its gateway
    base_image_archive       optional; read on web hosts
        local `docker save` tarball of debian:trixie-slim, for servers without a registry (otherwise
        it is pulled once, if absent)
    gunicorn_workers         optional; read on web hosts
        gunicorn workers, instead of the sizing from cores and memory
    gunicorn_threads         optional; read on web hosts
        threads per gunicorn worker, instead of 8
    app_releases_kept        default 3; read on web hosts
        app releases kept on the host for `scripts/release HOST rollback`, the live one included;
        older ones and their images are removed
    nginx_ipv6               optional; read on web hosts
        listen on IPv6 too (default: when the host has an IPv6 address)
    postgres_version         default 17; read on db hosts
        PostgreSQL major version Debian installs (its cluster and unit)
    backup_secrets_dir       default secrets/backup; read on db and backup hosts
        local directory outside git where the deploy keeps the backups' own secrets, made once: the
        repository's cipher passphrase and the SFTP key pair (keep a copy: without the passphrase no
        backup can be read)
    ca_dir                   default secrets/ca; read on web and db hosts
        local directory outside git where the deploy keeps its private CA, made once (ca.key,
        ca.crt) and the db hosts' certificates it signs (hosts/NAME.crt/.key): TLS between hosts;
        keep a copy
    studio_weight            default 1; read on db hosts
        this database server's share of new studios against the other db hosts' (signup places a
        studio where studios per weight is lowest)
    backup_full_schedule     default Sun *-*-* 01:30:00; read on db hosts
        systemd OnCalendar of the full pgBackRest backup
    backup_diff_schedule     default Mon..Sat *-*-* 01:30:00; read on db hosts
        systemd OnCalendar of the differential pgBackRest backup
    backup_retention_full    default 2; read on db hosts
        full backups kept (with the WAL to replay from the oldest: the point-in-time window)
    backup_retention_diff    default 6; read on db hosts
        differential backups kept
    dump_schedule            default *-*-* 02:30:00; read on db hosts
        systemd OnCalendar of the nightly logical dump of every database (rsm-dump)
    dump_retention_days      default 14; read on db and backup hosts
        days the logical dumps are kept, on the db host and on the backup host
    alert_webhook_url        optional; read on monitoring hosts
        the URL Alertmanager posts alerts (and their resolution) to, as JSON: a chat's or a pager's
        incoming webhook; empty: alerts show only in Prometheus and Alertmanager
    alert_for                optional; read on monitoring hosts
        how long every alert's condition must hold before it fires, instead of each rule's own (e.g.
        "10s" on a test server)
    private_address          optional; read on web and db and backup hosts
        the host's private address; with separate web and db hosts (web containers reach the db host
        there), with the monitoring host elsewhere (it scrapes this host's exporters there) and on
        the backup host (the db host reaches it there; else its inventory name)

pyinfra's own keys (ssh_user, ssh_key, ssh_port, ssh_known_hosts_file, _sudo, ...) may be given
too. Secrets never go in this file or in git: `secrets/` is git-ignored. The deploy refuses to
start, naming every item, when something required is absent or a key is unknown (a misspelling).
"""

SERVER = "<SERVER_ADDRESS>"  # PLACEHOLDER: e.g. 203.0.113.10 or studio-1.example.com
# PLACEHOLDER: a second server for the backups (another disk, ideally another site), e.g. 203.0.113.20
BACKUP_SERVER = "<BACKUP_SERVER_ADDRESS>"

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
    # PLACEHOLDER: "false" runs without the assistant; "true" needs ANTHROPIC_API_KEY (preflight checks)
    "app_settings": {"ASSISTANT_ENABLED": "<true|false>"},
    # Where Alertmanager posts alerts (README "Alerts"); without it they show only on its own page:
    # "alert_webhook_url": "https://hooks.example.com/services/...",
}

# (hosts, group data). Separate hosts: web = (["web-1.example.com"], {..., "private_address": ...}).
web = ([SERVER], _data)
db = ([SERVER], _data)
backup = ([BACKUP_SERVER], _data)
monitoring = ([SERVER], _data)
