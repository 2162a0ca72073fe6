"""Where the deploy keeps its own things on every server."""

ETC = "/etc/rsm"
SECRETS_DIR = "/etc/rsm/secrets"
RENDER = "/usr/local/sbin/rsm-render"  # deploy/common/files/rsm-render, installed by the base step
