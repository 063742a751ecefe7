"""``make bench``: how many sequential requests per second each simulator answers on loopback.
``make bench-bulk`` (``bench.py --bulk``): the ``*_info`` modules and the bulk modules on 10,000
accounts per platform against their floors, the raw list read and an empty playbook (issue 12).

The rate run starts the simulators over HTTPS in this process, sends a bounded number of
sequential requests to a typical read endpoint of each (one keep-alive session), and prints the
rate. The bulk run uses the functions of ``benchkit`` (simulators in a child process, seeding,
floors, one Ansible task per row) and prints a table. Figures to watch, not timed tests: a run
fails only if a request or a task fails.
"""

import argparse
import os
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import benchkit  # noqa: E402  pylint: disable=wrong-import-position
import run  # noqa: E402  pylint: disable=wrong-import-position

COUNT = 300  # requests per simulator: bounded in count ...
MAX_SECONDS = 30  # ... and in time
BULK_COUNT = 10000  # accounts per kind in the bulk run

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
    finally:
        for server in servers.values():
            server.shutdown()


def ratio_note(task, raw, empty):
    """How a task compares with its floors, as figures."""
    if task.rc != 0:
        return task.note
    return "wall = %.1f x raw read; wall - empty playbook = %.1f x raw read" % (
        task.wall / raw.wall, (task.wall - empty.wall) / raw.wall)


def goal_note(task, empty, raw):
    """The issue's wall-time goal for a no-op bulk task: the empty playbook plus 1.5 x the raw read."""
    if task.rc != 0:
        return task.note
    goal = empty.wall + 1.5 * raw.wall
    return "goal wall <= empty + 1.5 x raw = %.1f s: %s" % (goal, "met" if task.wall <= goal else "not met")


def converge_rows(sims, count, empty, changed=1000, sampled=30):
    """The bulk modules (issue 12): no-op runs of ahsay_users and veeam_users over ``count`` seeded
    accounts, ``changed`` backup users suspended with parallel 8 and the re-run, and the same change
    as a per-user loop of ahsay_user over ``sampled`` users, extrapolated."""
    rows = []
    names = ["bulk%05d" % n for n in range(count)]  # as benchkit.seed_accounts names backup users
    wanted = [{"name": name, "client_type": "obm", "status": "enabled"} for name in names]
    raw = benchkit.raw_read(sims, "ahsay_users")
    noop = benchkit.run_task(sims, "msp.accounts.ahsay_users", {"users": wanted},
                             label="ahsay_users, %d backup users, no change" % count)
    noop.note = goal_note(noop, empty, raw)
    suspend = [dict(user, status="suspended") if n < changed else user for n, user in enumerate(wanted)]
    bulk_run = benchkit.run_task(sims, "msp.accounts.ahsay_users", {"users": suspend, "parallel": 8},
                                 label="ahsay_users, %d of them suspended, parallel 8" % changed)
    bulk_run.note = "expected %d writes" % changed
    again = benchkit.run_task(sims, "msp.accounts.ahsay_users", {"users": suspend, "parallel": 8},
                              label="ahsay_users, the same again")
    again.note = "expected 0 writes"
    loop = benchkit.run_task(sims, "msp.accounts.ahsay_user", {"name": "{{ item }}", "status": "suspended"},
                             task_options={"loop": names[changed:changed + sampled]},
                             label="ahsay_user loop, %d users suspended" % sampled)
    if loop.rc == 0 and bulk_run.rc == 0:
        extrapolated = loop.wall / sampled * changed
        loop.note = "per user %.2f s; %d users ~ %.0f s = %.0f x the bulk task (goal >= 100 x)" % (
            loop.wall / sampled, changed, extrapolated, extrapolated / bulk_run.wall)
    rows.extend([raw, noop, bulk_run, again, loop])

    vspc_raw = benchkit.raw_read(sims, "veeam_users", organization="Acme Corp")
    vspc_users = [{"name": "bulk%04d" % n, "role": "company_administrator"} for n in range(1, count + 1)]
    vspc = benchkit.run_task(sims, "msp.accounts.veeam_users", {"users": vspc_users, "scope": {"organization": "Acme Corp"}},
                             label="veeam_users, %d portal users of one company, no change" % count)
    vspc.note = goal_note(vspc, empty, vspc_raw) + "; goal reads: 20 pages + the organization lookup"
    rows.extend([vspc_raw, vspc])
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
            raw = benchkit.raw_read(sims, kind, **({"organization": args["organization"]} if "organization" in args else {}))
            task = benchkit.run_task(sims, module, args, label="%s (%d accounts)" % (module.rsplit(".", 1)[-1], count))
            task.note = ratio_note(task, raw, empty)
            rows.extend([raw, task])
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
