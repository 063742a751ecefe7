"""Reusable pieces of the benchmarks (``make bench``, ``make bench-bulk``; issue 12).

* :class:`Simulators` starts the three simulators in a child process (``run.py``), or attaches to
  running ones through their ports file, and knows each module's connection options;
* :func:`seed_accounts` seeds N accounts of a kind (``KINDS``) through ``POST /_sim/seed``;
* the floors, measured in the same run: :func:`raw_read` (the list read by a plain ``requests``
  client, JSON parsing included) and :func:`empty_playbook` (``ansible-playbook`` of a play with no
  tasks, ``gather_facts: false``);
* :func:`run_task` runs one Ansible task (a generated playbook against localhost) and reports its
  wall time, the requests it sent (from the simulators' request logs, split into reads and writes)
  and the peak RSS of the module process;
* :func:`format_table` prints :class:`Row` objects as a table: wall and CPU seconds, the module
  process's own wall seconds (the rest of a task's wall time is Ansible's: start-up, the worker,
  moving and processing the result), reads, writes and the module's peak RSS.

Figures only: nothing here fails on a timing. A row for a new module is one call, e.g.::

    with Simulators(workdir) as sims:
        seed_accounts(sims, "ahsay_users", 10000)
        floor = raw_read(sims, "ahsay_users")
        row = run_task(sims, "msp.accounts.ahsay_users", {"users": users, "parallel": 8}, label="ahsay_users, no change")
        print(format_table([empty_playbook(sims), floor, row]))

How the figures are taken: wall times with ``time.monotonic`` around the whole ``ansible-playbook``
process (start-up, inventory, templating and result handling included: what a user waits for), and
its CPU time (user + system of ansible-playbook, its workers and the module process, from
``RUSAGE_CHILDREN``), which a busy machine disturbs less than the wall time; for a raw read, the CPU
time of the client (the simulators run in their own process and are counted in neither). The
module's peak RSS is ``ru_maxrss`` of the module process, reported by a small interpreter wrapper
(``ansible_python_interpreter``) that forks the real Python, waits for it with ``os.wait4`` and logs
its resource usage; the wrapper adds one short Python start (about 20 ms) to the task's wall time.
Requests are read from ``GET /_sim/requests`` of every simulator after the run (the logs are cleared
before it); a read is a GET, an AhsayCBS ``Get*``/``List*``/``Auth*`` call or a VSPC token request
(a login changes no account), anything else is a write.
"""

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time

from concurrent.futures import ThreadPoolExecutor

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
PLATFORMS = ("ahsay", "veeam", "aaa")

# The seed data's API accounts (tests/simulator/*.py, DESIGN.md).
AHSAY_LOGIN = {"SysUser": "system", "SysPwd": "system1"}
VSPC_LOGIN = {"grant_type": "password", "username": "vspcadmin", "password": "Vspc-Admin-Pass-2026!"}
UA_LOGIN = ("api", "Ua-Api-Pass-2026!")
SEEDED_PASSWORD = "Bench-Seeded-Pass-2026!"

# What seed_accounts can seed, and the raw read of each (the list call a module of that kind makes).
KINDS = {
    "ahsay_users": "AhsayCBS backup users (one ListUsers v2 call)",
    "ahsay_sysusers": "AhsayCBS system users (one ListSystemUsers call)",
    "veeam_users": "VSPC users of one company (token, then GET /api/v3/users in pages of 500 filtered on the company)",
    "aaa_users": "Unified Assurance users (GET /api/AAA/Users in pages of 500, limit/start)",
}
PAGE_SIZE = 500


class Row(object):
    """One line of the table: what was measured and its figures (``None``: not measured)."""

    def __init__(self, label, wall, reads=None, writes=None, rss_mb=None, note="", rc=0, output="", cpu=None,
                 module_wall=None, module_cpu=None):
        self.label, self.wall, self.reads, self.writes, self.rss_mb = label, wall, reads, writes, rss_mb
        self.note, self.rc, self.output, self.cpu = note, rc, output, cpu
        # The module process alone (from the interpreter wrapper): the rest of ``wall`` is Ansible's.
        self.module_wall, self.module_cpu = module_wall, module_cpu
        self.data = None

    def __repr__(self):
        return "Row(%r, wall=%.2f, cpu=%r, module_wall=%r, reads=%r, writes=%r, rss_mb=%r, rc=%r)" % (
            self.label, self.wall, self.cpu, self.module_wall, self.reads, self.writes, self.rss_mb, self.rc)


class Simulators(object):
    """The three simulators in a child process of their own (so that a client measured here does not
    share a Python interpreter with the servers), or running ones: named by ``ports_file`` (what
    ``run.py --ports-file`` wrote) or given as ``info`` (the same content, e.g. from ``run.start``).

    ``workdir`` holds the ports file, the generated playbooks and Ansible's temporary files.
    Use it as a context manager; :meth:`stop` ends only the child started here.
    """

    def __init__(self, workdir, ports_file=None, info=None, plain_http=False):
        self.workdir = os.path.abspath(workdir)
        os.makedirs(self.workdir, exist_ok=True)
        self.process = None
        self.ports_file = ports_file or os.path.join(self.workdir, "ports.json")
        if info is not None:
            self.info = dict(info)
            self.http = session(self.info)
            return
        if ports_file is None:
            if os.path.exists(self.ports_file):
                os.remove(self.ports_file)
            command = [sys.executable, os.path.join(HERE, "run.py"), "--ports-file", self.ports_file]
            if plain_http:
                command.append("--plain-http")
            self.log = open(os.path.join(self.workdir, "simulators.log"), "w", encoding="utf-8")  # pylint: disable=consider-using-with
            self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
            self._wait_for_ports()
        with open(self.ports_file, encoding="utf-8") as handle:
            self.info = json.load(handle)
        self.http = session(self.info)

    def _wait_for_ports(self, timeout=60):
        started = time.monotonic()
        while not os.path.exists(self.ports_file):
            if self.process.poll() is not None:
                raise RuntimeError("the simulators stopped at start (exit %s); see %s" % (
                    self.process.returncode, self.log.name))
            if time.monotonic() - started > timeout:
                self.stop()
                raise RuntimeError("the simulators did not write %s within %d s" % (self.ports_file, timeout))
            time.sleep(0.1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if getattr(self, "http", None) is not None:
            self.http.close()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process is not None:
            self.log.close()
            self.process = None

    def url(self, platform):
        return self.info[platform]

    def sim(self, platform, method, path, **kwargs):
        """A ``/_sim/`` call (``path`` without the prefix); returns the JSON answer."""
        kwargs.setdefault("timeout", 300)
        response = self.http.request(method, self.url(platform) + "/_sim/" + path, **kwargs)
        if response.status_code != 200:
            raise RuntimeError("%s %s/_sim/%s: HTTP %s %s" % (method, platform, path, response.status_code, response.text[:300]))
        return response.json()

    def connection(self, platform):
        """The connection options of a platform's modules for the seed data's API account."""
        options = {"api_url": self.url(platform)}
        if self.info.get("ca"):
            options["ca_path"] = self.info["ca"]
        options.update({
            "ahsay": {"api_username": AHSAY_LOGIN["SysUser"], "api_password": AHSAY_LOGIN["SysPwd"]},
            "veeam": {"api_username": VSPC_LOGIN["username"], "api_password": VSPC_LOGIN["password"]},
            "aaa": {"api_username": UA_LOGIN[0], "api_password": UA_LOGIN[1]},
        }[platform])
        return options

    def clear_requests(self):
        for platform in PLATFORMS:
            self.sim(platform, "DELETE", "requests")

    def count_requests(self):
        """``(reads, writes)`` in the request logs of all three simulators."""
        reads = writes = 0
        for platform in PLATFORMS:
            for entry in self.sim(platform, "GET", "requests"):
                if is_read(platform, entry["method"], entry["path"]):
                    reads += 1
                else:
                    writes += 1
        return reads, writes


def session(info):
    """A requests session that trusts the simulators' CA (and not REQUESTS_CA_BUNDLE)."""
    http = requests.Session()
    http.verify = info.get("ca") or True
    http.trust_env = False
    return http


def is_read(platform, method, path):
    """Whether a logged request changes no account (see the module docstring)."""
    if platform == "ahsay":
        name = path.rsplit("/", 1)[-1]
        return re.match(r"(Get|List|Auth)", name) is not None
    if platform == "veeam" and method == "POST" and path.rstrip("/").endswith("/token"):
        return True
    return method in ("GET", "HEAD", "OPTIONS")


# ---------------------------------------------------------------- seeding

def seed_accounts(sims, kind, count, prefix="bulk", **options):
    """Seed ``count`` accounts of ``kind`` (a key of ``KINDS``) in one ``POST /_sim/seed``; returns a :class:`Row`.

    Names: AhsayCBS backup users ``<prefix>00000``..., system users ``<prefix>-sys00000``... (role
    ``options["role"]``, default API_ONLY); VSPC ``<prefix>0001``... in ``options["organization"]``
    (default Acme Corp, role CompanyAdministrator); UA ``<prefix>0001``... in ``options["group"]``
    (default Operators). Backup users get ``options["owner"]`` (a reseller system user, created when
    missing) and every account the password ``SEEDED_PASSWORD``.
    """
    if kind == "ahsay_users":
        platform = "ahsay"
        payload = {"users": [{"LoginName": "%s%05d" % (prefix, n), "Password": SEEDED_PASSWORD, "ClientType": "OBM",
                              "Email": "%s%05d@example.invalid" % (prefix, n)} for n in range(count)]}
        if options.get("owner"):
            payload["sysusers"] = [{"LoginName": options["owner"], "Password": SEEDED_PASSWORD, "Role": "RESELLER",
                                    "Hostname": "reseller.example.invalid", "IP": "192.0.2.10"}]
            for user in payload["users"]:
                user["Owner"] = options["owner"]
    elif kind == "ahsay_sysusers":
        platform = "ahsay"
        payload = {"sysusers": [{"LoginName": "%s-sys%05d" % (prefix, n), "Password": SEEDED_PASSWORD,
                                 "Role": options.get("role", "API_ONLY")} for n in range(count)]}
    elif kind == "veeam_users":
        platform = "veeam"
        payload = {"generate_users": {"count": count, "prefix": prefix, "organization": options.get("organization", "Acme Corp"),
                                      "role": options.get("role", "CompanyAdministrator")}}
    elif kind == "aaa_users":
        platform = "aaa"
        payload = {"generate_users": {"count": count, "prefix": prefix, "group": options.get("group", "Operators"),
                                      "password": SEEDED_PASSWORD}}
    else:
        raise ValueError("unknown kind %r; known: %s" % (kind, ", ".join(KINDS)))
    started = time.monotonic()
    sims.sim(platform, "POST", "seed", json=payload)
    return Row("seed %d %s (POST /_sim/seed)" % (count, kind), time.monotonic() - started)


# ---------------------------------------------------------------- floors

def raw_read(sims, kind, keep=False, **options):
    """The floor of a list read: what a plain requests client needs to read every account of ``kind``
    (see ``KINDS``), in a new session, JSON parsing included. ``options``: ``organization`` for VSPC
    (default Acme Corp; its UID is looked up before the clock starts). Returns a :class:`Row` whose
    ``reads`` is the number of requests and ``note`` the number of accounts read."""
    info = sims.info
    http = session(info)
    try:
        if kind == "veeam_users":
            company = options.get("organization", "Acme Corp")
            uid = next(o["instanceUid"] for o in sims.sim("veeam", "GET", "state")["organizations"] if o["name"] == company)
        started, cpu = time.monotonic(), time.process_time()
        if kind == "ahsay_users":
            answer = _ok(http.post(info["ahsay"] + "/obs/api/json/2/ListUsers.do", json=AHSAY_LOGIN, timeout=300))
            read, requests_sent = answer["User"], 1
        elif kind == "ahsay_sysusers":
            answer = _ok(http.post(info["ahsay"] + "/obs/api/json/ListSystemUsers.do", json=AHSAY_LOGIN, timeout=300))
            read, requests_sent = answer["Data"], 1
        elif kind == "veeam_users":
            token = _ok(http.post(info["veeam"] + "/api/v3/token", data=VSPC_LOGIN, timeout=60))["access_token"]
            query = {"limit": PAGE_SIZE, "filter": json.dumps([{"property": "organizationUid", "operation": "equals", "value": uid}])}
            read, requests_sent, total = [], 1, None
            while total is None or len(read) < total:
                body = _ok(http.get(info["veeam"] + "/api/v3/users", params=dict(query, offset=len(read)),
                                    headers={"Authorization": "Bearer " + token}, timeout=300))
                requests_sent += 1
                read.extend(body["data"])
                total = body["meta"]["pagingInfo"]["total"]
                if not body["data"]:
                    break
        elif kind == "aaa_users":
            read, requests_sent = [], 0
            while True:
                body = _ok(http.get(info["aaa"] + "/api/AAA/Users", params={"limit": PAGE_SIZE, "start": len(read)},
                                    auth=UA_LOGIN, timeout=300))
                requests_sent += 1
                read.extend(body["data"])
                if len(body["data"]) < PAGE_SIZE:
                    break
        else:
            raise ValueError("unknown kind %r; known: %s" % (kind, ", ".join(KINDS)))
        wall, cpu = time.monotonic() - started, time.process_time() - cpu
    finally:
        http.close()
    row = Row("raw read: %s" % KINDS[kind], wall, reads=requests_sent, writes=0, note="%d accounts" % len(read), cpu=cpu)
    row.data = read if keep else None  # the accounts as the API gave them, for floor_task
    return row


def raw_updates(sims, names, status, parallel=8):
    """The floor of bulk writes: one AhsayCBS ``UpdateUser`` (v2) per name setting ``status``, sent by a
    plain requests client, ``parallel`` threads with a session each. Returns a :class:`Row`."""
    sessions = threading.local()

    def update(name):
        if not hasattr(sessions, "http"):
            sessions.http = session(sims.info)
        body = dict(AHSAY_LOGIN, LoginName=name, Status=status)
        answer = _ok(sessions.http.post(sims.info["ahsay"] + "/obs/api/json/2/UpdateUser.do", json=body, timeout=60))
        if answer.get("Status") != "OK":
            raise RuntimeError("UpdateUser %s: %s" % (name, answer))

    sims.clear_requests()
    started, cpu = time.monotonic(), time.process_time()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(update, names))
    wall, cpu = time.monotonic() - started, time.process_time() - cpu
    reads, writes = sims.count_requests()
    return Row("raw writes: %d UpdateUser, %d threads" % (len(names), parallel), wall, reads=reads, writes=writes, cpu=cpu)


def _ok(response):
    if response.status_code != 200:
        raise RuntimeError("%s %s: HTTP %s %s" % (response.request.method, response.url, response.status_code, response.text[:300]))
    return response.json()


def empty_playbook(sims, label="empty playbook (no tasks, gather_facts: false)"):
    """The floor of every task: ``ansible-playbook`` of a play with no tasks on the same inventory."""
    return _playbook(sims, label, [], {})


# ---------------------------------------------------------------- one Ansible task

def module_platform(module):
    """``msp.accounts.ahsay_users`` -> ``ahsay`` (the connection options the task gets)."""
    short = module.rsplit(".", 1)[-1]
    for platform in PLATFORMS:
        if short.startswith(platform + "_"):
            return platform
    raise ValueError("cannot tell the platform of %r: pass platform=" % module)


def run_task(sims, module, args, label=None, platform=None, check_mode=False, diff=False, connection=True,
             task_options=None, large_args="lookup"):
    """Run one task of ``module`` with ``args`` in a generated playbook and measure it.

    The platform's connection options (:meth:`Simulators.connection`) are added unless
    ``connection`` is false; ``args`` win over them. ``task_options`` are further task keywords
    (``loop`` with ``"{{ item }}"`` in ``args`` for a per-user loop, ``ignore_errors`` ...).
    Arguments and options whose JSON is long (a list of 10,000 users) go to a file, as a user keeps
    such a list: with ``large_args="lookup"`` each reaches the task as ``lookup('ansible.builtin.file',
    path) | from_json``, with ``"vars_files"`` through a variable of a play's vars file (on
    ansible-core 2.19 the slower way: every value read from a vars file is tagged with its origin).
    Returns a :class:`Row`: the whole
    ``ansible-playbook`` wall and CPU time, the module processes' own wall and CPU time (summed over a
    loop's runs), the reads and writes sent, the largest peak RSS of a module process, ``rc`` and,
    when ``rc`` is not 0, the end of the playbook's output.
    """
    task_args = dict(sims.connection(platform or module_platform(module))) if connection else {}
    task_args.update(args)
    task = {"name": "bench", module: {}}
    bulky = {}

    def place(key, value):
        if len(json.dumps(value)) <= 2000:
            return value
        if large_args == "vars_files":
            bulky["bench_" + key] = value
            return "{{ bench_%s }}" % key
        path = os.path.join(sims.workdir, "ansible", "bench-%s.json" % key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _write_json(path, value)
        return "{{ lookup('ansible.builtin.file', %s) | from_json }}" % json.dumps(path)

    for key, value in task_args.items():
        task[module][key] = place(key, value)
    for key, value in (task_options or {}).items():
        task[key] = place("task_" + key, value)
    if check_mode:
        task["check_mode"] = True
    if diff:
        task["diff"] = True
    return _playbook(sims, label or module.rsplit(".", 1)[-1], [task], bulky)


FLOOR_MODULE = '''#!/usr/bin/python
# A module that does nothing with what it is given (benchkit): Ansible's own cost of a task.
import json
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(users=dict(type="list", elements="dict"), result_file=dict(type="path")),
                           supports_check_mode=True)
    result = dict(changed=False, count=len(module.params["users"] or []))
    if module.params["result_file"]:
        with open(module.params["result_file"]) as handle:
            result["users"] = json.load(handle)
    module.exit_json(**result)


main()
'''


def floor_task(sims, label, users=None, result=None):
    """The floor of a task's own Ansible cost, measured like :func:`run_task`: a module that does nothing,
    given ``users`` (the same list a bulk task gets, passed the same way) or returning ``result`` (a
    list as large as an info module's answer) unchanged."""
    library = os.path.join(sims.workdir, "ansible", "library")
    os.makedirs(library, exist_ok=True)
    with open(os.path.join(library, "bench_floor.py"), "w", encoding="utf-8") as handle:
        handle.write(FLOOR_MODULE)
    args = {}
    if users is not None:
        args["users"] = users
    if result is not None:
        args["result_file"] = os.path.join(sims.workdir, "ansible", "bench-floor-result.json")
        _write_json(args["result_file"], result)
    return run_task(sims, "bench_floor", args, label=label, connection=False)


def _playbook(sims, label, tasks, bulky):
    work = os.path.join(sims.workdir, "ansible")
    os.makedirs(work, exist_ok=True)
    rss_log = os.path.join(work, "module-rusage.jsonl")
    wrapper = _interpreter_wrapper(work, rss_log)
    inventory = os.path.join(work, "inventory.json")
    _write_json(inventory, {"all": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": wrapper}}}})
    play = {"name": "bench", "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    if bulky:
        _write_json(os.path.join(work, "bench-args.json"), bulky)
        play["vars_files"] = [os.path.join(work, "bench-args.json")]
    playbook = os.path.join(work, "playbook.json.yml")  # JSON is YAML
    _write_json(playbook, [play])
    if os.path.exists(rss_log):
        os.remove(rss_log)
    if tasks:
        sims.clear_requests()
    before, started = _children_cpu(), time.monotonic()
    completed = subprocess.run(  # pylint: disable=subprocess-run-check
        [ansible_playbook(), "-i", inventory, playbook], env=ansible_env(work), capture_output=True, text=True,
        timeout=1800)
    wall = time.monotonic() - started
    row = Row(label, wall, rc=completed.returncode, cpu=_children_cpu() - before)
    if completed.returncode != 0:
        row.output = (completed.stdout + completed.stderr)[-3000:]
        row.note = "FAILED rc=%d" % completed.returncode
    if tasks:
        row.reads, row.writes = sims.count_requests()
        usage = _read_rusage(rss_log)
        if usage:
            row.rss_mb = max(u["maxrss_kb"] for u in usage) / 1024.0
            row.module_wall = sum(u["wall"] for u in usage)
            row.module_cpu = sum(u["user"] + u["system"] for u in usage)
    return row


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ansible_playbook():
    """The ansible-playbook beside this Python (the virtualenv's), else the one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    return beside if os.path.exists(beside) else (shutil.which("ansible-playbook") or "ansible-playbook")


def ansible_env(work):
    """The environment of ansible-playbook: this checkout as msp.accounts, temporary files under ``work``."""
    collections = os.path.join(work, "collections")
    link = os.path.join(collections, "ansible_collections", "msp", "accounts")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(REPO_ROOT, link)
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": collections,
        "ANSIBLE_LOCAL_TEMP": os.path.join(work, "tmp"),
        "ANSIBLE_REMOTE_TMP": os.path.join(work, "remote-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_LIBRARY": os.path.join(work, "library"),  # floor_task's module
    })
    for key in ("ANSIBLE_CONFIG", "ANSIBLE_STDOUT_CALLBACK", "ANSIBLE_CALLBACKS_ENABLED"):
        env.pop(key, None)  # the default callback, as a user runs it
    return env


WRAPPER = '''#!%(python)s -S
# Runs the module with %(python)s and logs the module process's resource usage (benchkit).
import json, os, sys, time
started = time.time()
pid = os.fork()
if pid == 0:
    os.execv(%(python)r, [%(python)r] + sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
with open(%(log)r, "a") as handle:
    handle.write(json.dumps({"argv": sys.argv[1:], "maxrss_kb": usage.ru_maxrss, "wall": time.time() - started,
                             "user": usage.ru_utime, "system": usage.ru_stime}) + "\\n")
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
'''


def _interpreter_wrapper(work, log):
    path = os.path.join(work, "python-rss")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(WRAPPER % {"python": sys.executable, "log": log})
    os.chmod(path, 0o755)
    return path


def _read_rusage(log):
    if not os.path.exists(log):
        return []
    with open(log, encoding="utf-8") as handle:
        return [entry for entry in map(json.loads, handle) if any("AnsiballZ_" in arg for arg in entry["argv"])]


def _write_json(path, value):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle)


# ---------------------------------------------------------------- the table

def format_table(rows, title=None):
    """The rows as a fixed-width table (``-`` where a figure was not measured)."""
    def figure(value, pattern):
        return "-" if value is None else pattern % value

    lines = [title] if title else []
    lines.append("%-56s %7s %7s %8s %6s %6s %6s  %s" % (
        "what", "wall s", "CPU s", "module s", "reads", "writes", "RSS MB", "note"))
    for row in rows:
        lines.append("%-56s %7.2f %7s %8s %6s %6s %6s  %s" % (
            row.label[:56], row.wall, figure(row.cpu, "%.2f"), figure(row.module_wall, "%.2f"), figure(row.reads, "%d"),
            figure(row.writes, "%d"), figure(row.rss_mb, "%.0f"), row.note))
    return "\n".join(lines)
