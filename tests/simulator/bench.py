"""Measure how many sequential requests per second each simulator answers on loopback.

Starts the simulators over HTTPS in this process, sends a bounded number of sequential
requests to a typical read endpoint of each (one keep-alive session), and prints the
rate. A figure to watch, not a timed test: it fails only if a request fails.
"""

import os
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import run  # noqa: E402  pylint: disable=wrong-import-position

COUNT = 300  # requests per simulator: bounded in count ...
MAX_SECONDS = 30  # ... and in time


def measure(session, method, url, **kwargs):
    started = time.monotonic()
    sent = 0
    while sent < COUNT and time.monotonic() - started < MAX_SECONDS:
        session.request(method, url, timeout=10, **kwargs).raise_for_status()
        sent += 1
    return sent / (time.monotonic() - started)


def rate_line(name, method, path, rate):
    """One figure and what it means: a rate measured here, nothing checked against it."""
    return ("%-6s %s %s: %.0f sequential requests/s over HTTPS (a figure to watch, from one client on loopback; "
            "lower when the machine is busy)" % (name, method, path, rate))


def main():
    servers, info = run.start()
    try:
        session = requests.Session()
        session.verify = info["ca"]
        session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise win over verify
        probes = {
            "ahsay": ("POST", info["ahsay"] + "/obs/api/json/ListSystemUsers.do",
                      {"json": {"SysUser": "system", "SysPwd": "system1"}}),
            "veeam": ("GET", info["veeam"] + "/api/v3/organizations/companies", {"headers": {}}),
            "aaa": ("GET", info["aaa"] + "/api/AAA/UserGroups", {"auth": ("api", "Ua-Api-Pass-2026!")}),
        }
        token = session.post(info["veeam"] + "/api/v3/token", timeout=10, data={
            "grant_type": "password", "username": "vspcadmin", "password": "Vspc-Admin-Pass-2026!"}).json()["access_token"]
        probes["veeam"][2]["headers"]["Authorization"] = "Bearer " + token
        for name, (method, url, kwargs) in probes.items():
            rate = measure(session, method, url, **kwargs)
            print(rate_line(name, method, url.split("/", 3)[3], rate))
    finally:
        for server in servers.values():
            server.shutdown()


if __name__ == "__main__":
    main()
