"""Several platform instances side by side (issue 12): ``run.py`` started three times, one ports file each.

Each run listens on ports of its own and keeps its own state and request log; with ``--ca-dir`` the
three share one CA, so one ``ca_path`` verifies every instance.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(HERE, "run.py")


@pytest.fixture()
def three(tmp_path):
    """Three simulator runs started at once with a shared CA folder; yields their ports-file contents."""
    ca_dir = tmp_path / "ca"
    runs = []
    for n in range(3):
        ports = tmp_path / ("ports-%d.json" % n)
        log = open(tmp_path / ("sim-%d.log" % n), "w", encoding="utf-8")  # pylint: disable=consider-using-with
        process = subprocess.Popen([sys.executable, RUN, "--ports-file", str(ports), "--ca-dir", str(ca_dir)],  # pylint: disable=consider-using-with
                                   stdout=log, stderr=subprocess.STDOUT)
        runs.append((process, ports, log))
    try:
        infos = []
        for process, ports, _log in runs:
            started = time.monotonic()
            while not ports.exists():
                assert process.poll() is None, "a simulator run stopped at start"
                assert time.monotonic() - started < 60, "no ports file within 60 s"
                time.sleep(0.1)
            infos.append(json.loads(ports.read_text(encoding="utf-8")))
        yield infos
    finally:
        for process, _ports, log in runs:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=20)
            log.close()
    assert (ca_dir / "ca.pem").exists(), "the shared CA stays after the runs stop"


def test_three_instances_run_side_by_side_with_one_ca(three):
    urls = [info[name] for info in three for name in ("ahsay", "veeam", "aaa")]
    assert len(set(urls)) == 9 and all(url.startswith("https://127.0.0.1:") for url in urls)
    assert len({info["pid"] for info in three}) == 3
    assert len({info["ca"] for info in three}) == 1  # one ca_path for every instance
    assert len({info["client_cert"] for info in three}) == 3  # each run has certificates of its own

    http = requests.Session()
    http.verify = three[0]["ca"]
    http.trust_env = False
    for n, info in enumerate(three):  # a different set of backup users on each AhsayCBS instance
        users = [{"LoginName": "region%d-user%d" % (n, k), "Password": "Region-User-Pass-1!"} for k in range(n + 1)]
        http.post(info["ahsay"] + "/_sim/seed", json={"users": users}, timeout=30).raise_for_status()
    for n, info in enumerate(three):
        http.delete(info["ahsay"] + "/_sim/requests", timeout=10).raise_for_status()
        answer = http.post(info["ahsay"] + "/obs/api/json/2/ListUsers.do", timeout=30,
                           json={"SysUser": "system", "SysPwd": "system1", "LoginNameOnly": True}).json()
        assert [u["LoginName"] for u in answer["User"]] == ["region%d-user%d" % (n, k) for k in range(n + 1)]
        assert len(http.get(info["ahsay"] + "/_sim/requests", timeout=10).json()) == 1  # its own request log
        # The UA client certificate of each run is issued by the shared CA too.
        whoami = http.get(info["aaa"] + "/api/AAA/Users", cert=(info["client_cert"], info["client_key"]),
                          params={"limit": 1}, timeout=10)
        assert whoami.status_code == 200 and whoami.json()["success"] is True


def test_one_instance_stops_alone(three):
    os.kill(three[1]["pid"], signal.SIGTERM)
    http = requests.Session()
    http.verify = three[0]["ca"]
    http.trust_env = False
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            http.get(three[1]["veeam"] + "/api/v3/about", timeout=2)
        except requests.exceptions.ConnectionError:
            break
        time.sleep(0.2)
    else:
        pytest.fail("the stopped instance still answers")
    for info in (three[0], three[2]):
        assert http.get(info["veeam"] + "/api/v3/about", timeout=10).status_code == 401  # up (and asks for a token)
