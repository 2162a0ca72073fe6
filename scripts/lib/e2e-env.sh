# Sourced by scripts/e2e*: be at the repository root with a Python venv that has the project and
# its dev dependencies (pyinfra, pytest, testinfra, paramiko). Installs what a fresh Debian
# machine lacks (apt-get update once, retried on the dpkg lock).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

_e2e_apt_updated=""
e2e_apt_install() {
    local attempt
    for attempt in 1 2 3 4 5; do
        if { [ -n "$_e2e_apt_updated" ] || apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null; } &&
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q \
                --no-install-recommends "$@" >/dev/null; then
            _e2e_apt_updated=1
            return 0
        fi
        echo "[e2e] apt-get failed (attempt $attempt), retrying" >&2
        sleep 10
    done
    return 1
}

if [ "$(id -u)" != 0 ]; then
    echo "[e2e] run as root: it starts dockerd, installs packages and binds a DNS server" >&2
    exit 2
fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import pyinfra, testinfra, paramiko, pytest, app.settings' 2>/dev/null; then
    _t=$SECONDS
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        e2e_apt_install python3-venv python3-pip
    fi
    [ -x .venv/bin/python ] || python3 -m venv .venv
    mkdir -p .e2e/logs
    if ! { .venv/bin/python -m pip install -q --upgrade pip &&
           .venv/bin/python -m pip install -q -e '.[dev]'; } >.e2e/logs/pip-install.log 2>&1; then
        tail -40 .e2e/logs/pip-install.log >&2
        echo "[e2e] pip install failed (full log: .e2e/logs/pip-install.log)" >&2
        exit 1
    fi
    echo "[e2e] python venv (.venv)                         $((SECONDS - _t))s"
fi
