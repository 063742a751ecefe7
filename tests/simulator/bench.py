"""Measure how many sequential requests per second each simulator answers on loopback, and how long
the access_review role takes for 10,000 accounts per platform.

Starts the simulators over HTTPS in this process, sends a bounded number of sequential
requests to a typical read endpoint of each (one keep-alive session), and prints the
rate. Then seeds REVIEW_ACCOUNTS accounts on each platform, runs the msp.accounts.access_review
role once with ansible-playbook and prints its wall time, split into its steps. Figures to
watch, not timed tests: it fails only if a request or the role fails.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import aaa  # noqa: E402  pylint: disable=wrong-import-position
import run  # noqa: E402  pylint: disable=wrong-import-position

COUNT = 300  # requests per simulator: bounded in count ...
MAX_SECONDS = 30  # ... and in time
REVIEW_ACCOUNTS = 10000  # accounts per platform for the access review (0 leaves it out)
REVIEW_AIM = 30  # seconds the issue "Access review across the three platforms" asks for


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


# The role's tasks by what they do, for the split of the wall time.
REVIEW_STEPS = (
    ("AhsayCBS backup users", r"AhsayCBS \| Read the backup users"),
    ("AhsayCBS system users", r"AhsayCBS \| Read the system users"),
    ("VSPC users", r"VSPC \| Read the portal users"),
    ("Unified Assurance users", r"Unified Assurance \| Read the users"),
    ("correlation and rendering", r"Correlate the accounts"),
    ("writing the files", r"Write the report files"),
)

REVIEW_PLAY = """- name: Access review benchmark
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  roles:
    - role: msp.accounts.access_review
      access_review_dest: %s
"""


def seed_review(session, info, servers, count):
    """``count`` accounts on each platform (AhsayCBS backup users, VSPC portal users, Unified Assurance users)."""
    now_ms = int(time.time() * 1000)
    users = [{"LoginName": "bench%05d" % n, "Password": "Bench-Pass-%05d!" % n, "Email": "bench%05d@example.test" % n,
              "LastBackupDate": now_ms - (n % 200) * 86400000} for n in range(count)]
    for name, body in (("ahsay", {"users": users}),
                       ("veeam", {"generate_users": {"count": count, "organization": "Acme Corp", "prefix": "bench"}})):
        session.post(info[name] + "/_sim/seed", json=body, timeout=1800).raise_for_status()
    seed_aaa_users(servers["aaa"].app.config["SIM"], count)


def seed_aaa_users(sim, count):
    """Unified Assurance users as ``generate_users`` of ``POST /_sim/seed`` makes them (Operators, no password), put
    into the simulator's state directly: the endpoint checks each new name against every stored one, which takes
    minutes for 10,000 users and is not what this measures."""
    with sim.lock:
        state = sim.state
        for number in range(count):
            user = aaa.blank_user(state)
            user.update(UserID=aaa.next_id(state, "user"), UserName="bench%05d" % number, FullName="Bench user %d" % number,
                        EmailAddress="bench%05d@example.invalid" % number)
            state["users"].append(user)


def review_env(info, work):
    """ansible-playbook's environment: the collection from this checkout, connections from the environment."""
    collections = os.path.join(work, "collections")
    os.makedirs(os.path.join(collections, "ansible_collections", "msp"))
    os.symlink(ROOT, os.path.join(collections, "ansible_collections", "msp", "accounts"))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_HOME=os.path.join(work, "ansible-home"),
               ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="false", ANSIBLE_INVENTORY_UNPARSED_WARNING="false")
    for name, user, password in (("AHSAY", "system", "system1"), ("VEEAM", "vspcadmin", "Vspc-Admin-Pass-2026!"),
                                 ("AAA", "api", "Ua-Api-Pass-2026!")):
        env.update({name + "_API_URL": info[name.lower()], name + "_API_USERNAME": user, name + "_API_PASSWORD": password,
                    name + "_CA_PATH": info["ca"]})
    return env


def run_review(info, work):
    """Run the role; returns (wall seconds, {task name: seconds}, the report's summary)."""
    dest = os.path.join(work, "report")
    playbook = os.path.join(work, "review.yml")
    with open(playbook, "w", encoding="utf-8") as handle:
        handle.write(REVIEW_PLAY % json.dumps(dest))
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", playbook]
    started = time.monotonic()
    durations, output = {}, []
    current, since = None, started
    with subprocess.Popen(command, env=review_env(info, work), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as process:
        for line in process.stdout:
            output.append(line)
            if line.startswith(("TASK [", "PLAY RECAP")):
                now = time.monotonic()
                if current:
                    durations[current] = durations.get(current, 0) + now - since
                current, since = line.split(" : ", 1)[-1].split("]")[0] if line.startswith("TASK") else None, now
    wall = time.monotonic() - started
    if process.returncode:
        sys.stdout.write("".join(output[-40:]))
        raise RuntimeError("the access_review role failed (rc %d), output above" % process.returncode)
    with open(os.path.join(dest, "access-review.json"), encoding="utf-8") as handle:
        summary = json.load(handle)["summary"]
    return wall, durations, summary


def review_line(count, wall, durations, summary, seeded):
    """The figure: wall time of one review, split into its steps; nothing checked against it."""
    steps = []
    for label, pattern in REVIEW_STEPS:
        seconds = sum(value for task, value in durations.items() if re.search(pattern, task))
        steps.append("%s %.1f s" % (label, seconds))
    return ("access_review: %d accounts a platform (%d accounts, %d people, %d findings) reviewed in %.1f s: %s "
            "(the issue asks for under %d s; a figure to watch, from one run on loopback, lower on an idle machine; "
            "seeding the simulators before it: %.0f s)"
            % (count, summary["accounts"], summary["people"], summary["findings"], wall, ", ".join(steps), REVIEW_AIM,
               seeded))


def measure_review(session, info, servers, count):
    started = time.monotonic()
    seed_review(session, info, servers, count)
    seeded = time.monotonic() - started
    work = tempfile.mkdtemp(prefix="msp-accounts-bench-")
    try:
        wall, durations, summary = run_review(info, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return review_line(count, wall, durations, summary, seeded)


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
        if REVIEW_ACCOUNTS:
            print(measure_review(session, info, servers, REVIEW_ACCOUNTS), flush=True)
        else:
            print("access_review: left out (REVIEW_ACCOUNTS is 0)")
    finally:
        for server in servers.values():
            server.shutdown()


if __name__ == "__main__":
    main()
