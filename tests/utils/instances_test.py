"""Many AhsayCBS servers as inventory hosts, converged at once with forks.

Starts three simulator instances (three ``run.py`` processes, each on its own loopback ports),
writes an inventory of the shape of docs/examples/many-servers/inventory.yml whose three hosts
carry their own ``api_url`` and users, and runs docs/examples/many-servers/converge.yml with
``--forks 3``. Checks: each server holds exactly its own users (no host's users reached another
server) and a second run sends reads only; how far the three servers' requests overlapped is printed.

Run: .venv/bin/python tests/utils/instances_test.py   (make instances)
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import requests
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.dirname(sys.executable)
EXAMPLE = os.path.join(ROOT, "docs", "examples", "many-servers")
HOSTS = ("backup-eu", "backup-us", "backup-apac")
PASSWORD = "Instances-Test-User-Pass-8c3e5a1f9d7b!"


def start(workdir, name):
    ports = os.path.join(workdir, name + ".json")
    process = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "simulator", "run.py"), "--ports-file", ports],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while not os.path.exists(ports):
        if process.poll() is not None or time.time() > deadline:
            sys.exit("simulator %s did not start" % name)
        time.sleep(0.2)
    time.sleep(0.2)  # the file is written whole before it is renamed into place; be lenient anyway
    with open(ports) as handle:
        return process, json.load(handle)


def requests_of(sim):
    answer = requests.get(sim["ahsay"] + "/_sim/requests", verify=sim["ca"], timeout=10)
    answer.raise_for_status()
    return answer.json()


def clear(sim):
    requests.delete(sim["ahsay"] + "/_sim/requests", verify=sim["ca"], timeout=10).raise_for_status()


def backup_users(sim):
    answer = requests.get(sim["ahsay"] + "/_sim/state", verify=sim["ca"], timeout=10)
    return sorted(user["LoginName"] for user in answer.json()["users"])


def run_playbook(workdir, inventory):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(ROOT, ".tmp", "checkout-collections"),
               ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", ANSIBLE_NOCOLOR="1")
    for key in list(env):
        if key.startswith("AHSAY_"):
            del env[key]  # the inventory alone says where each server is
    started = time.time()
    done = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "-i", inventory, "--forks", "3",
                           os.path.join(EXAMPLE, "converge.yml")], env=env, cwd=workdir, capture_output=True, text=True,
                          timeout=300, check=False)
    print(done.stdout[-1500:])
    if done.returncode != 0:
        sys.exit("the playbook failed:\n%s\n%s" % (done.stdout[-3000:], done.stderr[-3000:]))
    if PASSWORD in done.stdout + done.stderr:
        sys.exit("a password appeared in the output")
    return time.time() - started


def main():
    with open(os.path.join(EXAMPLE, "inventory.yml")) as handle:
        example = yaml.safe_load(handle)
    workdir = tempfile.mkdtemp(prefix="msp-instances-")
    processes, sims = [], {}
    try:
        for host in HOSTS:
            process, sims[host] = start(workdir, host)
            processes.append(process)
        group = example["ahsay_servers"]
        group["vars"].update(ahsay_api_username="system", ahsay_api_password="system1")
        for index, host in enumerate(HOSTS):
            group["hosts"][host] = dict(
                ahsay_api_url=sims[host]["ahsay"], ahsay_ca_path=sims[host]["ca"],
                ahsay_backup_users=[{"name": "%s-user-%d" % (host, n), "password": PASSWORD, "quota_type": "total",
                                     "storage_quota": 10} for n in range(index + 2)])
        inventory = os.path.join(workdir, "inventory.yml")
        with open(inventory, "w") as handle:
            yaml.safe_dump(example, handle)

        first = run_playbook(workdir, inventory)
        spans = []
        for index, host in enumerate(HOSTS):
            log = requests_of(sims[host])
            wanted = sorted("%s-user-%d" % (host, n) for n in range(index + 2))
            assert backup_users(sims[host]) == wanted, (host, backup_users(sims[host]))
            paths = [entry["path"].rsplit("/", 1)[-1] for entry in log]
            assert paths == ["ListUsers.do"] + ["AddUser.do"] * (index + 2), (host, paths)
            stamps = [entry.get("time") for entry in log if entry.get("time") is not None]
            if stamps:
                spans.append((min(stamps), max(stamps)))
            clear(sims[host])
        if len(spans) == len(HOSTS):
            overlap = min(end for start, end in spans) - max(start for start, end in spans)
            # Printed, not asserted: how closely forks start the hosts depends on the machine's load.
            print("request spans of the three servers overlap by %.2f s (negative: a gap)" % overlap)

        second = run_playbook(workdir, inventory)
        for host in HOSTS:
            paths = [entry["path"].rsplit("/", 1)[-1] for entry in requests_of(sims[host])]
            assert paths == ["ListUsers.do"], (host, paths)
        print("three servers, forks=3: first run %.1f s, second run (reads only) %.1f s" % (first, second))
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
