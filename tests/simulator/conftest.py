"""Fixtures for the simulator tests: the three simulators over HTTPS, reset before each test."""

import os
import sys

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import run  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def sims(tmp_path_factory):
    """Start all simulators once; yields the ports-file info (URLs, CA, client cert)."""
    servers, info = run.start(workdir=str(tmp_path_factory.mktemp("sim")))
    yield info
    for server in servers.values():
        server.shutdown()


@pytest.fixture()
def http(sims):
    """A requests session that trusts the simulators' CA."""
    session = requests.Session()
    session.verify = sims["ca"]
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise win over verify
    for name in ("ahsay", "veeam", "aaa"):
        session.post(sims[name] + "/_sim/reset", timeout=10).raise_for_status()
    yield session
    session.close()
