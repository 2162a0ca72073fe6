# Shared by scripts/dev and scripts/test: a venv with the project, and local PostgreSQL and Redis.
# Sourced, not run. Every step is skipped when already done, so a second run is quick.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"

stage_started=0
stage() {  # stage "name": prints the previous stage's time, then announces the next
    local now; now=$(date +%s)
    if [ -n "${stage_name:-}" ]; then printf '== %-34s %4ss\n' "$stage_name" "$((now - stage_started))"; fi
    stage_name="${1:-}"; stage_started=$now
}

apt_install() {  # apt_install PKG...: installs the missing ones, retrying while dpkg is locked
    local missing=()
    for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || { echo "need root to install: ${missing[*]} (or install them yourself)" >&2; return 1; }
    for attempt in 1 2 3 4 5 6; do
        if [ -z "${APT_UPDATED:-}" ]; then apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null && APT_UPDATED=1; fi
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
            "${missing[@]}" >/dev/null && return 0
        echo "apt-get busy or failing (attempt $attempt); retrying" >&2; sleep 10
    done
    return 1
}

# The venv holds exactly requirements/dev.lock (hash-checked; the app's dependencies at the image's
# versions), then the project itself without resolving anything else. psycopg needs Debian's libpq.
ensure_venv() {
    apt_install libpq5 || return 1
    local stamp="$VENV/.installed-$(cat "$ROOT/pyproject.toml" "$ROOT/requirements/dev.lock" | sha256sum | cut -c1-16)"
    [ -f "$stamp" ] && return 0
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || { apt_install python3-venv && python3 -m venv "$VENV"; }
    "$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1
    { "$VENV/bin/pip" install -q --require-hashes -r "$ROOT/requirements/dev.lock" \
        && "$VENV/bin/pip" install -q --no-deps -e "$ROOT"; } > "$VENV/install.log" 2>&1 \
        || { cat "$VENV/install.log" >&2; return 1; }
    rm -f "$VENV"/.installed-*; touch "$stamp"
}

# PostgreSQL: use TEST_POSTGRES_URL / the local server on 127.0.0.1:5432 when it answers; otherwise
# install Debian's postgresql, start it, and create a password role with CREATEDB for the tests.
ensure_postgres() {
    export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
    "$VENV/bin/python" - "$TEST_POSTGRES_URL" <<'PY' 2>/dev/null && return 0
import sys, psycopg
psycopg.connect(sys.argv[1].replace("+psycopg", ""), connect_timeout=3).close()
PY
    apt_install postgresql postgresql-contrib || return 1
    local version; version=$(ls /etc/postgresql | sort -n | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster "$version" main start || true
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    su postgres -c "psql -qc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='rsm_test') THEN CREATE ROLE rsm_test LOGIN CREATEDB PASSWORD 'rsm_test'; END IF; END \\\$\\\$\"" >/dev/null
    export TEST_POSTGRES_URL="postgresql://rsm_test:rsm_test@127.0.0.1:5432/postgres"
}

# Redis: the tests start a private redis-server per run (tests/redis_server.py), so only the binary is
# needed; scripts/dev uses REDIS_URL or the server on 127.0.0.1:6379, started here when none answers.
ensure_redis_binary() {
    command -v redis-server >/dev/null || apt_install redis-server
}

ensure_redis() {
    export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/1}"
    "$VENV/bin/python" -c "import redis,sys; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()" \
        "$REDIS_URL" 2>/dev/null && return 0
    ensure_redis_binary || return 1
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/rsm-dev.log
    for _ in $(seq 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && return 0; sleep 0.5; done
    echo "redis did not start" >&2; return 1
}
