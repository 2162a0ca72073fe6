# Sourced by scripts/e2e*: as root, at the repository root, with the project's venv (pyinfra, pytest,
# testinfra, paramiko), installed by the same helpers as scripts/test when a fresh machine lacks it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

if [ "$(id -u)" != 0 ]; then
    echo "[e2e] run as root: it starts dockerd, installs packages and binds a DNS server" >&2
    exit 2
fi
ensure_venv
