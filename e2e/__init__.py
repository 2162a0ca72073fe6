"""End-to-end harness: a disposable Debian 13 server (systemd + sshd container), a local ACME CA
(pebble), an authoritative DNS server taking RFC 2136 updates (bind9) and a fake Anthropic API,
then the real `pyinfra inventories/e2e.py deploy.py` against it, and a demo studio on the result.

Entry point: `python -m e2e {up,infra,converge,selfcheck,status,down}` (wrapped by scripts/e2e,
scripts/e2e-down and scripts/e2e-test). Everything it generates lives under `.e2e/` (git-ignored).
It never imports from tests/: the tests import from here (browser.py, fakes/, ...).
"""
