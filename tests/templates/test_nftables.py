"""The firewall's rulesets, checked by nft itself (`nft -c -f`: parsed and validated, nothing loaded)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from deploy.common.render import render
from deploy.firewall import config
from tests.unit.deploy.firewall.test_config import FOUR_HOSTS, ONE_SERVER, SUBNET

pytestmark = pytest.mark.templates

HOSTS = [("s1", ONE_SERVER), ("b1", ONE_SERVER), *((name, FOUR_HOSTS) for name in ("web-1", "db-1", "db-2"))]


def nft_check(path) -> subprocess.CompletedProcess:
    if shutil.which("nft") is None:
        pytest.skip("nft is not installed here (apt-get install nftables)")
    return subprocess.run(["nft", "-c", "-f", str(path)], capture_output=True, text=True)


@pytest.mark.parametrize(("host_name", "groups"), HOSTS, ids=[name for name, _ in HOSTS])
def test_the_ruleset_passes_nft_check(tmp_path, host_name, groups):
    path = tmp_path / "nftables.conf"
    path.write_text(
        render("firewall/nftables.conf.j2", config.ruleset_context(host_name, groups, 22, SUBNET))
    )
    result = nft_check(path)
    assert result.returncode == 0, result.stderr


def test_nft_check_refuses_a_broken_ruleset(tmp_path):
    """The check can fail: a port set without its closing brace is refused."""
    text = render("firewall/nftables.conf.j2", config.ruleset_context("s1", ONE_SERVER, 22, SUBNET))
    path = tmp_path / "nftables.conf"
    path.write_text(text.replace("{ 80, 443 }", "{ 80, 443"))
    assert nft_check(path).returncode != 0
