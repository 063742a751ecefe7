"""Run msp.accounts.onboard_user the way AWX / Automation Platform runs a job, and check the job.

AWX runs every job through ansible-runner, with the credentials of the job template injected by
their credential types. This test does the same against the API simulators:

* the collection is built and installed under .tmp/runner (as an execution environment has it);
* docs/awx.md must show exactly the credential types of docs/awx/credential_types/;
* the three custom credential types of docs/awx/credential_types/ are "injected" like AWX does it
  (AhsayCBS and VSPC with a user name and password, Unified Assurance with a client certificate):
  the input values are rendered into their env and file injectors with a sandboxed Jinja environment
  (missing boolean inputs are false, missing text inputs render empty), file injectors become files
  under the private data dir's env/ folder and ``tower.filename.<name>`` points at them;
* ansible-runner runs a playbook with the role, process isolation off, in a private data dir under
  .tmp/runner, with ONLY those environment variables as credentials: nothing in extra vars,
  nothing in the inventory and no AHSAY_*/VEEAM_*/AAA_* variable inherited from this process;
* the job's events, its output and every artifact file must not contain any password or token, and
  the per-host stats must be as expected: first run 3 changed tasks (one per platform), second run
  none. (ansible-runner itself keeps a copy of the job's environment, with the injected credentials,
  in artifacts/<ident>/command, mode 0600; that file may hold those and nothing else secret.)

Run: .venv/bin/python tests/utils/runner_test.py   (make runner)
"""

import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import ansible_runner
import requests
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VENV_BIN = os.path.dirname(sys.executable)
WORK = os.path.join(ROOT, ".tmp", "runner")

# The simulators' seed accounts (DESIGN.md) and the passwords of the users the job creates.
SEED = {
    "ahsay": ("system", "system1"),
    "veeam": ("vspcadmin", "Vspc-Admin-Pass-2026!"),
    "aaa": ("api", "Ua-Api-Pass-2026!"),
}
USER_PASSWORDS = ["Awx-Runner-Pass-Acme-61b0e9d4!", "Awx-Runner-Pass-Globex-c47a19f3!"]

PLAYBOOK = """---
# What an AWX job template would run: the role, with the users in the playbook's vars (in real
# life from a vault or the inventory). No connection value anywhere: only the credentials' env.
- name: Onboard customers from an AWX job
  hosts: localhost
  gather_facts: false
  vars:
    customers:
      - name: runner-acme
        password: {acme}
        ahsay:
          alias: Acme Corp
          email: it@acme.test
          destination_quotas:
            - key: OBS
              enabled: true
              quota: 10 GB
        veeam:
          organization: Acme Corp
          role: company_administrator
        aaa:
          full_name: Acme Corp service desk
          user_group: Operators
      - name: runner-globex
        password: {globex}
        veeam:
          organization: Globex Ltd
          role: company_invoice_auditor
        aaa:
          full_name: Globex Ltd operations
          user_group: Operators
  roles:
    - role: msp.accounts.onboard_user
      onboard_user_users: "{{{{ customers }}}}"
""".format(acme=json.dumps(USER_PASSWORDS[0]), globex=json.dumps(USER_PASSWORDS[1]))


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)
    print("ok: " + message)


def run(*argv, **kwargs):
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, **kwargs)


def install_collection():
    build = os.path.join(WORK, "build")
    collections = os.path.join(WORK, "collections")
    os.makedirs(build)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_HOME=os.path.join(WORK, "ansible-home"))
    run(os.path.join(VENV_BIN, "ansible-galaxy"), "collection", "build", "--force", "--output-path", build, ".", cwd=ROOT, env=env)
    tarball = glob.glob(os.path.join(build, "msp-accounts-*.tar.gz"))[0]
    run(os.path.join(VENV_BIN, "ansible-galaxy"), "collection", "install", "--offline", "--force", "-p", collections, tarball, env=env)
    return collections


def start_simulators():
    ports = os.path.join(WORK, "sim-ports.json")
    log = open(os.path.join(WORK, "simulators.log"), "w")
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "simulator", "run.py"), "--ports-file", ports],
                            stdout=log, stderr=subprocess.STDOUT)
    for _attempt in range(300):
        if os.path.exists(ports) and os.path.getsize(ports):
            with open(ports) as handle:
                return proc, json.load(handle)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.terminate()
    raise Failure("the simulators did not start; see .tmp/runner/simulators.log")


def inject_credential(credential_type, inputs, private_data_dir):
    """Render a custom credential type's injectors the way AWX does; return the env variables."""
    env_dir = os.path.join(private_data_dir, "env")
    os.makedirs(env_dir, exist_ok=True)
    namespace = {}
    for field in credential_type["inputs"]["fields"]:
        value = inputs.get(field["id"])
        if field["type"] == "boolean":
            namespace[field["id"]] = bool(value)  # AWX: a missing boolean input is false
        elif value:
            namespace[field["id"]] = value  # AWX: an empty text input is left out (renders empty)
    tower = type("Tower", (), {})()
    filenames = type("Files", (), {})()
    jinja = ImmutableSandboxedEnvironment()
    for label, template in (credential_type["injectors"].get("file") or {}).items():
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, "w") as out:
            out.write(jinja.from_string(template).render(**namespace))
        os.chmod(path, 0o600)
        if "." in label:
            setattr(filenames, label.split(".", 1)[1], path)
            tower.filename = filenames
        else:
            tower.filename = path
    namespace["tower"] = tower
    assert not credential_type["injectors"].get("extra_vars"), "the credential types must not inject extra vars"
    return dict((name, jinja.from_string(template).render(**namespace))
                for name, template in credential_type["injectors"]["env"].items())


def load_credential_types():
    types = {}
    for platform in SEED:
        with open(os.path.join(ROOT, "docs", "awx", "credential_types", platform + ".yml")) as handle:
            types[platform] = yaml.safe_load(handle)
    return types


def credential_env(sim, private_data_dir):
    """The environment of a job with one credential of each type: AhsayCBS and VSPC with a user name
    and password, Unified Assurance with the simulator's client certificate (no user name)."""
    def read(path):
        with open(path) as handle:
            return handle.read()
    inputs = {
        "ahsay": {"api_url": sim["ahsay"], "api_username": SEED["ahsay"][0], "api_password": SEED["ahsay"][1]},
        "veeam": {"api_url": sim["veeam"], "api_username": SEED["veeam"][0], "api_password": SEED["veeam"][1]},
        "aaa": {"api_url": sim["aaa"], "client_cert_pem": read(sim["client_cert"]), "client_key_pem": read(sim["client_key"])},
    }
    env = {}
    for platform, credential_type in load_credential_types().items():
        env.update(inject_credential(credential_type, dict(inputs[platform], ca_pem=read(sim["ca"])), private_data_dir))
    return env


def check_guide():
    """docs/awx.md shows, ready to paste, exactly the inputs and injectors of the credential type files."""
    with open(os.path.join(ROOT, "docs", "awx.md")) as handle:
        guide = handle.read()
    blocks = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", guide, re.S)]
    for platform, credential_type in load_credential_types().items():
        check(credential_type["inputs"] in blocks and credential_type["injectors"] in blocks,
              "docs/awx.md shows the input and injector configuration of docs/awx/credential_types/%s.yml" % platform)


def run_job(name, collections, credentials):
    private_data_dir = os.path.join(WORK, name)
    os.makedirs(os.path.join(private_data_dir, "project"))
    os.makedirs(os.path.join(private_data_dir, "inventory"))
    with open(os.path.join(private_data_dir, "project", "onboard.yml"), "w") as handle:
        handle.write(PLAYBOOK)
    with open(os.path.join(private_data_dir, "inventory", "hosts"), "w") as handle:
        # The execution environment's Python (here: the virtualenv) runs the modules on localhost.
        handle.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable)
    envvars = dict(credential_env(credentials, private_data_dir))
    envvars.update({
        "PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", ""),
        "ANSIBLE_COLLECTIONS_PATH": collections,
        "ANSIBLE_HOME": os.path.join(WORK, "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": os.path.join(WORK, "ansible-home", "tmp"),
        "ANSIBLE_NOCOLOR": "1",
    })
    result = ansible_runner.run(private_data_dir=private_data_dir, playbook="onboard.yml", envvars=envvars,
                                process_isolation=False, quiet=True, ident=name)
    return result, private_data_dir, envvars


JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")  # a VSPC access or refresh token


def secrets_found(texts, secrets):
    found = set(secret for secret in secrets for text in texts if secret in text)
    found.update("a token (%s...)" % match.group(0)[:12] for text in texts for match in JWT.finditer(text))
    return sorted(found)


def check_job(label, result, private_data_dir, secrets, expect_changed):
    events = list(result.events)
    stdout = result.stdout.read()
    if result.status != "successful" or result.rc != 0:
        print(stdout)
        raise Failure("%s: the job ended %s (rc %s)" % (label, result.status, result.rc))
    print("ok: %s: the job ended successful" % label)
    stats = result.stats
    check(stats["failures"] == {} and stats["dark"] == {}, "%s: no failed and no unreachable host" % label)
    check(stats["changed"].get("localhost", 0) == expect_changed,
          "%s: localhost has %d changed tasks (one per platform on the first run, none on the second): %s"
          % (label, expect_changed, stats["changed"]))
    check(stats["ok"].get("localhost", 0) > 0, "%s: localhost has %s ok tasks" % (label, stats["ok"].get("localhost")))
    check(any(event.get("event") == "playbook_on_stats" for event in events), "%s: the job has a playbook_on_stats event" % label)
    report = [event for event in events if event.get("event") == "runner_on_ok"
              and event["event_data"].get("task", "").endswith("Collect what was done per platform")]
    check(len(report) == 1, "%s: the role's report ran" % label)

    leaked = secrets_found([json.dumps(event) for event in events] + [stdout], secrets)
    check(not leaked, "%s: no password or token in %d job events and the job output (%d passwords checked, and tokens)%s"
          % (label, len(events), len(secrets), "" if not leaked else ": " + ", ".join(leaked)))
    # ansible-runner writes the job's environment, credentials included, to artifacts/<ident>/command
    # (mode 0600, like AWX's private data dir, which AWX removes after the job). That file is the job's
    # input, not its output: it may hold the injected credentials, but nothing else that is secret.
    artifacts, command_file = [], None
    for path in glob.glob(os.path.join(private_data_dir, "artifacts", "**"), recursive=True):
        if os.path.isfile(path):
            with open(path, errors="replace") as handle:
                if os.path.basename(path) == "command":
                    command_file = (path, handle.read())
                else:
                    artifacts.append(handle.read())
    leaked = secrets_found(artifacts, secrets)
    check(not leaked, "%s: no password or token in %d artifact files (events, stdout, stderr, status)%s"
          % (label, len(artifacts), "" if not leaked else ": " + ", ".join(leaked)))
    check(command_file is not None and os.stat(command_file[0]).st_mode & 0o077 == 0,
          "%s: ansible-runner's copy of the job environment (artifacts/%s/command) is private (mode 0600)"
          % (label, os.path.basename(os.path.dirname(command_file[0])) if command_file else "?"))
    leaked = secrets_found([command_file[1]], USER_PASSWORDS)
    check(not leaked, "%s: no password of a new user and no token in that copy" % label)
    censored = [event for event in events if event.get("event", "").startswith("runner_item_on")
                and "msp.accounts." in json.dumps(event["event_data"].get("resolved_action", ""))]
    check(all(event["event_data"]["res"].get("censored") for event in censored),
          "%s: every result of a module task that carries a password is censored (%d)" % (label, len(censored)))


def check_state(sim):
    def get(platform, path):
        # verify= per request: a REQUESTS_CA_BUNDLE in the environment would override a session's CA
        return requests.get(sim[platform] + path, verify=sim["ca"], timeout=10).json()
    ahsay = get("ahsay", "/_sim/state")["users"]
    veeam = get("veeam", "/_sim/state")["users"]
    aaa = get("aaa", "/_sim/state")["users"]
    check([u["LoginName"] for u in ahsay] == ["runner-acme"], "AhsayCBS has the backup user runner-acme")
    check({"runner-acme", "runner-globex"} <= set(u["userName"] for u in veeam), "VSPC has both portal users")
    check({"runner-acme", "runner-globex"} <= set(u["UserName"] for u in aaa), "Unified Assurance has both users")
    # The one VSPC login of the role: the token request appears once per job in the request log.
    log = get("veeam", "/_sim/requests")
    logins = [entry for entry in log if entry["path"].endswith("/token") and entry["method"] == "POST"]
    check(len(logins) == 2, "VSPC saw one login per job (%d logins in two jobs)" % len(logins))


def client_key_secret(sim):
    """A line from the middle of the client certificate's private key: it must not leak either."""
    with open(sim["client_key"]) as handle:
        lines = [line.strip() for line in handle if line.strip() and not line.startswith("-----")]
    return lines[len(lines) // 2]


def main():
    check_guide()
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    for name in list(os.environ):
        if name.startswith(("AHSAY_", "VEEAM_", "AAA_")):
            del os.environ[name]  # the credentials may only come from the injectors
    collections = install_collection()
    print("ok: built and installed the collection into .tmp/runner/collections")
    proc, sim = start_simulators()
    try:
        first, first_dir, envvars = run_job("job1", collections, sim)
        check(envvars["AHSAY_API_PASSWORD"] and envvars["VEEAM_API_PASSWORD"] and envvars["AHSAY_CA_PATH"].startswith(first_dir)
              and envvars["AAA_CLIENT_CERT"].startswith(first_dir) and envvars["AAA_CLIENT_KEY"].startswith(first_dir),
              "the credential types injected passwords, a CA file and a client certificate and key into the job's environment")
        check(envvars["VEEAM_API_TOKEN"] == "" and envvars["AAA_API_USERNAME"] == "" and envvars["AAA_API_PASSWORD"] == ""
              and envvars["AHSAY_VALIDATE_CERTS"] == "True",
              "unset inputs render empty (VEEAM_API_TOKEN, AAA_API_USERNAME, AAA_API_PASSWORD) and TLS verification stays on")
        secrets = [password for _user, password in SEED.values()] + USER_PASSWORDS + [client_key_secret(sim)]
        check_job("first run", first, first_dir, secrets, expect_changed=3)
        second, second_dir = run_job("job2", collections, sim)[:2]
        check_job("second run", second, second_dir, secrets, expect_changed=0)
        check_state(sim)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    print("runner test passed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failure as err:
        print("FAIL: %s" % err)
        sys.exit(1)
