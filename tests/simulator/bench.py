"""``make bench``: how many sequential requests per second each simulator answers on loopback, and
how long the access_review role takes for 10,000 accounts per platform.
``make bench-bulk`` (``bench.py --bulk``): the ``*_info`` modules and the bulk modules on 10,000
accounts per platform against their floors, the raw list read and an empty playbook (issue 12).

The rate run starts the simulators over HTTPS in this process, sends a bounded number of
sequential requests to a typical read endpoint of each (one keep-alive session), and prints the
rate; then it seeds REVIEW_ACCOUNTS accounts on each platform, runs the msp.accounts.access_review
role once with ansible-playbook and prints its wall time, split into its steps. The bulk run uses
the functions of ``benchkit`` (simulators in a child process, seeding, floors, one Ansible task per
row) and prints a table. Figures to watch, not timed tests: a run fails only if a request, a task
or the role fails.
"""

import argparse
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

import benchkit  # noqa: E402  pylint: disable=wrong-import-position
import run  # noqa: E402  pylint: disable=wrong-import-position

COUNT = 300  # requests per simulator: bounded in count ...
MAX_SECONDS = 30  # ... and in time
BULK_COUNT = 10000  # accounts per kind in the bulk run
REVIEW_ACCOUNTS = 10000  # accounts per platform for the access review (0 leaves it out)
REVIEW_AIM = 30  # seconds the issue "Access review across the three platforms" asks for

# The *_info module of each kind, with its arguments, compared with the raw read of the same kind.
INFO_ROWS = (
    ("ahsay_users", "msp.accounts.ahsay_user_info", {}),
    ("ahsay_sysusers", "msp.accounts.ahsay_sysuser_info", {}),
    ("veeam_users", "msp.accounts.veeam_user_info", {"organization": "Acme Corp"}),
    ("aaa_users", "msp.accounts.aaa_user_profile_info", {}),
)


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


def seed_review(session, info, count):
    """``count`` accounts on each platform (AhsayCBS backup users, VSPC portal users, Unified Assurance users)."""
    now_ms = int(time.time() * 1000)
    users = [{"LoginName": "bench%05d" % n, "Password": "Bench-Pass-%05d!" % n, "Email": "bench%05d@example.test" % n,
              "LastBackupDate": now_ms - (n % 200) * 86400000} for n in range(count)]
    for name, body in (("ahsay", {"users": users}),
                       ("veeam", {"generate_users": {"count": count, "organization": "Acme Corp", "prefix": "bench"}}),
                       ("aaa", {"generate_users": {"count": count, "prefix": "bench", "email_domain": "example.invalid"}})):
        session.post(info[name] + "/_sim/seed", json=body, timeout=1800).raise_for_status()


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


def measure_review(session, info, count):
    started = time.monotonic()
    seed_review(session, info, count)
    seeded = time.monotonic() - started
    work = tempfile.mkdtemp(prefix="msp-accounts-bench-")
    try:
        wall, durations, summary = run_review(info, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return review_line(count, wall, durations, summary, seeded)


def rates():
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
            print(measure_review(session, info, REVIEW_ACCOUNTS), flush=True)
        else:
            print("access_review: left out (REVIEW_ACCOUNTS is 0)")
    finally:
        for server in servers.values():
            server.shutdown()


def ratio_note(task, raw, empty, floor):
    """How a task compares with its floors, as figures."""
    if task.rc != 0:
        return task.note
    return "wall = %.1f x raw read; wall - empty playbook = %.1f x raw read; wall - Ansible floor = %.1f x raw read" % (
        task.wall / raw.wall, (task.wall - empty.wall) / raw.wall, (task.wall - floor.wall) / raw.wall)


def goal_note(task, empty, raw, floor):
    """The issue's wall-time goal for a no-op bulk task (the empty playbook plus 1.5 x the raw read), and
    what the task costs beyond Ansible's own floor for the same argument."""
    if task.rc != 0:
        return task.note
    goal = empty.wall + 1.5 * raw.wall
    return "goal wall <= empty + 1.5 x raw = %.1f s: %s; beyond the Ansible floor: %.1f s = %.1f x raw" % (
        goal, "met" if task.wall <= goal else "not met", task.wall - floor.wall, (task.wall - floor.wall) / raw.wall)


def converge_rows(sims, count, empty, changed=1000, sampled=30):
    """The bulk modules (issue 12): no-op runs of ahsay_users and veeam_users over ``count`` seeded
    accounts, each beside the floor of Ansible's own cost for the same argument (a module that does
    nothing with it); the same no-op with the list in a vars file; ``changed`` backup users suspended
    with parallel 8 and the re-run; the same change as a per-user loop of ahsay_user over ``sampled``
    users, extrapolated; ``count`` new users with passwords in check mode (no write)."""
    rows = []
    names = ["bulk%05d" % n for n in range(count)]  # as benchkit.seed_accounts names backup users
    wanted = [{"name": name, "client_type": "obm", "status": "enabled"} for name in names]
    raw = benchkit.raw_read(sims, "ahsay_users")
    floor = benchkit.floor_task(sims, "Ansible floor: the %d elements to a module doing nothing" % count, users=wanted)
    noop = benchkit.run_task(sims, "msp.accounts.ahsay_users", {"users": wanted},
                             label="ahsay_users, %d backup users, no change" % count)
    noop.note = goal_note(noop, empty, raw, floor)
    from_vars = benchkit.run_task(sims, "msp.accounts.ahsay_users", {"users": wanted}, large_args="vars_files",
                                  label="ahsay_users, the same, users from a vars file")
    from_vars.note = "the list in a play's vars file instead of lookup('file') | from_json"
    suspend = [dict(user, status="suspended") if n < changed else user for n, user in enumerate(wanted)]
    bulk_run = benchkit.run_task(sims, "msp.accounts.ahsay_users", {"users": suspend, "parallel": 8},
                                 label="ahsay_users, %d of them suspended, parallel 8" % changed)
    bulk_run.note = "expected %d writes" % changed
    again = benchkit.run_task(sims, "msp.accounts.ahsay_users", {"users": suspend, "parallel": 8},
                              label="ahsay_users, the same again")
    again.note = "expected 0 writes"
    # The same writes by a plain client (setting the 1,000 back to enabled): with the floors above, the least a
    # bulk task of this change can take.
    writes = benchkit.raw_updates(sims, names[:changed], "ENABLE", parallel=8)
    least = floor.wall + raw.wall + writes.wall
    writes.note = "Ansible floor + raw read + these = %.1f s: the least the bulk task above can take" % least
    loop = benchkit.run_task(sims, "msp.accounts.ahsay_user", {"name": "{{ item }}", "status": "suspended"},
                             task_options={"loop": names[changed:changed + sampled]},
                             label="ahsay_user loop, %d users suspended" % sampled)
    if loop.rc == 0 and bulk_run.rc == 0:
        extrapolated = loop.wall / sampled * changed
        loop.note = "per user %.2f s; %d users ~ %.0f s = %.0f x the bulk task (goal >= 100 x; at best %.0f x)" % (
            loop.wall / sampled, changed, extrapolated, extrapolated / bulk_run.wall, extrapolated / least)
    fresh = [{"name": "new%05d" % n, "password": "Bench-New-User-Pass-%05d-4f7a!" % n, "client_type": "obm",
              "quota_type": "total", "storage_quota": 10} for n in range(count)]
    created = benchkit.run_task(sims, "msp.accounts.ahsay_users", {"users": fresh}, check_mode=True,
                                label="ahsay_users, %d new users with passwords, check" % count)
    created.note = "expected 0 writes; every element's password is a no_log value"
    rows.extend([raw, floor, noop, from_vars, bulk_run, again, writes, loop, created])

    vspc_raw = benchkit.raw_read(sims, "veeam_users", organization="Acme Corp")
    vspc_users = [{"name": "bulk%04d" % n, "role": "company_administrator"} for n in range(1, count + 1)]
    vspc_floor = benchkit.floor_task(sims, "Ansible floor: the %d VSPC elements to a module doing nothing" % count,
                                     users=vspc_users)
    vspc = benchkit.run_task(sims, "msp.accounts.veeam_users", {"users": vspc_users, "scope": {"organization": "Acme Corp"}},
                             label="veeam_users, %d portal users of one company, no change" % count)
    vspc.note = goal_note(vspc, empty, vspc_raw, vspc_floor) + "; goal reads: 20 pages + the organization lookup"
    rows.extend([vspc_raw, vspc_floor, vspc])
    return rows


def bulk(count=BULK_COUNT, workdir=None, kinds=None, out=sys.stdout):
    """Seed ``count`` accounts of each kind, then print each *_info module's row beside its floors.
    Returns the rows (a failed task has ``rc`` other than 0 and its output in ``output``)."""
    workdir = workdir or tempfile.mkdtemp(prefix="msp-accounts-bench-")
    rows = []
    with benchkit.Simulators(workdir) as sims:
        wanted = [row for row in INFO_ROWS if kinds is None or row[0] in kinds]
        seeds = [benchkit.seed_accounts(sims, kind, count) for kind, _module, _args in wanted]
        empty = benchkit.empty_playbook(sims)
        rows.extend(seeds + [empty])
        for kind, module, args in wanted:
            raw = benchkit.raw_read(sims, kind, keep=True, **({"organization": args["organization"]} if "organization" in args else {}))
            floor = benchkit.floor_task(sims, "Ansible floor: a module returning those %d as read" % len(raw.data), result=raw.data)
            task = benchkit.run_task(sims, module, args, label="%s (%d accounts)" % (module.rsplit(".", 1)[-1], count))
            task.note = ratio_note(task, raw, empty, floor)
            rows.extend([raw, floor, task])
        if kinds is None:
            rows.extend(converge_rows(sims, count, empty))
    title = "%d accounts per kind; figures to watch, not checked (lower on a busy machine)" % count
    print(benchkit.format_table(rows, title=title), file=out)
    for row in rows:
        if row.rc != 0:
            print("\n%s failed:\n%s" % (row.label, row.output), file=out)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulk", action="store_true", help="the *_info modules on many accounts against their floors")
    parser.add_argument("--count", type=int, default=BULK_COUNT, help="accounts per kind with --bulk (default %(default)s)")
    parser.add_argument("--workdir", help="where --bulk keeps its ports file, playbooks and logs (default: a new temporary folder)")
    args = parser.parse_args(argv)
    if not args.bulk:
        rates()
        return 0
    rows = bulk(args.count, args.workdir)
    return 1 if any(row.rc != 0 for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
