# Sourced by the operator scripts: run things on a deployed server over SSH.
# The deploy installs rsm-release on web hosts (deploy/app/files/rsm-release); it names the live
# release's container.
set -euo pipefail

# Extra ssh options, e.g. SSH_OPTS="-i ~/.ssh/deploy_key" (split on spaces).
read -r -a SSH_OPTS_ARRAY <<< "${SSH_OPTS:-}"
rsm_ssh() { ssh "${SSH_OPTS_ARRAY[@]}" "$@"; }
rsm_scp() { scp "${SSH_OPTS_ARRAY[@]}" "$@"; }

usage_target() {
    if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
        echo "usage: $(basename "$0") SSH_TARGET ...   (e.g. root@studio.example.com)" >&2
        exit 2
    fi
}

# A terminal only when we have one, so prompts (passwords) work interactively and scripts stay quiet.
ssh_flags() { if [ -t 0 ]; then echo "-t"; else echo "-T"; fi; }

in_app_container() {  # in_app_container TARGET ARGS...: `flask --app app ARGS` in the live release's container
    local target=$1; shift
    local quoted; quoted=$(printf ' %q' "$@")
    # shellcheck disable=SC2029 # expanded here on purpose: the arguments travel quoted
    rsm_ssh $(ssh_flags) "$target" \
        "container=\$(/usr/local/sbin/rsm-release container) && docker exec -i $( [ -t 0 ] && echo -t ) \"\$container\" flask --app app$quoted"
}
