"""End-to-end harness: a disposable Debian 13 server (systemd + sshd container), a local ACME CA
(pebble), an authoritative DNS server taking RFC 2136 updates (bind9) and a fake Anthropic API,
then the real `pyinfra inventories/e2e.py deploy.py` against it.

Entry point: `python -m tests.e2e.harness {up,converge,down,status}` (wrapped by scripts/e2e,
scripts/e2e-down and scripts/e2e-test). Everything it generates lives under `.e2e/` (git-ignored).
"""
