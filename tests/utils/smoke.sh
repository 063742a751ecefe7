#!/usr/bin/env bash
# Smoke test of the built collection, as a user gets it:
#   1. ansible-galaxy collection build, and install into .tmp/smoke/collections
#   2. ad-hoc `ansible localhost -m msp.accounts.<module>` against the simulators with credentials only
#      in environment variables (each platform; a write, its idempotent repeat and a friendly error)
#   3. ansible-doc renders every module and both roles
#   4. ansible-builder introspect finds the Python and system requirements of the installed collection, and
#      ansible-builder creates a build context from each sample EE definition in docs/awx/ (the local-tarball one
#      with the tarball of step 1)
#   5. the roles' meta/argument_specs.yml are what `make role-specs` writes (tests/utils/role_specs/generate.py --check),
#      and the bulk modules' users documentation what `make bulk-docs` writes
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-.venv}
case $VENV in /*) ;; *) VENV=$ROOT/$VENV ;; esac
PY=$VENV/bin/python
WORK=$ROOT/.tmp/smoke
export PATH="$VENV/bin:$PATH"
# shellcheck source=tests/utils/_lib.sh
. "$ROOT/tests/utils/_lib.sh"
trap sim_stop EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }

mkdir -p "$WORK"
collection_install "$WORK"
COLL=$WORK/collections/ansible_collections/msp/accounts
[ -f "$COLL/MANIFEST.json" ] || fail "the collection was not installed into $WORK/collections"
ok "built $(basename "$WORK"/build/msp-accounts-*.tar.gz) and installed it into .tmp/smoke/collections"
export ANSIBLE_COLLECTIONS_PATH=$WORK/collections
export ANSIBLE_HOME=$WORK/ansible-home ANSIBLE_LOCAL_TEMP=$WORK/ansible-home/tmp
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false ANSIBLE_NOCOLOR=1
# The implicit localhost runs modules with the Python that runs ansible (the virtualenv).
cd "$WORK"

sim_start "$WORK/simulators"
sim_env
ok "simulators started"

# adhoc EXPECT MODULE ARGS: run `ansible localhost -m MODULE -a ARGS`; EXPECT is a Python expression
# over `r` (the module's result) that must be true. Prints the one-line result.
adhoc() {
  local expect=$1 module=$2 args=$3 out
  out=$(ansible localhost -m "$module" -a "$args" 2>&1) || true
  "$PY" - "$expect" "$out" <<'PYEOF' || fail "ansible localhost -m $module -a '$args': $out"
import json, re, sys
expect, out = sys.argv[1], sys.argv[2]
match = re.search(r"^localhost \| (\S+) => (\{.*)", out, re.M | re.S)
r = json.loads(match.group(2))
r["_state"] = match.group(1)
if not eval(expect, {"json": json}, {"r": r}):
    sys.exit(1)
PYEOF
  ok "ansible localhost -m $module -a '$args'"
  printf '%s\n' "$out" >>"$WORK/adhoc.log"
}
: >"$WORK/adhoc.log"

adhoc 'r["_state"] == "SUCCESS" and r["users"][0]["role"] == "admin"' msp.accounts.ahsay_sysuser_info 'name=system'
adhoc 'r["_state"] == "SUCCESS" and r["users"] == []' msp.accounts.ahsay_user_info 'name=smoke-nobody'
adhoc 'r["_state"] == "SUCCESS" and [u["name"] for u in r["users"]] == ["vspcadmin"]' msp.accounts.veeam_user_info 'name=vspcadmin'
adhoc 'r["_state"] == "SUCCESS" and r["users"][0]["user_group"] == "Administrators"' msp.accounts.aaa_user_profile_info 'name=api'

# A write and its repeat. The new user's password comes from the environment through a lookup, so it
# is on no command line; it must not appear in any output either.
export SMOKE_USER_PASSWORD='Smoke-Ua-Pass-5d2c8e17!'
ua_args="name=smoke-ua full_name='Smoke Test' user_group=Operators password={{ lookup('env', 'SMOKE_USER_PASSWORD') }}"
adhoc 'r["_state"] == "CHANGED" and r["user"]["name"] == "smoke-ua"' msp.accounts.aaa_user_profile "$ua_args"
adhoc 'r["_state"] == "SUCCESS" and not r["changed"]' msp.accounts.aaa_user_profile "$ua_args"
adhoc 'r["_state"] == "CHANGED"' msp.accounts.aaa_user_profile 'name=smoke-ua state=absent'
! grep -qF "$SMOKE_USER_PASSWORD" "$WORK/adhoc.log" || fail "the new user's password appears in the ad-hoc output"
! grep -qF "$AAA_API_PASSWORD" "$WORK/adhoc.log" || fail "the API password appears in the ad-hoc output"
ok "no password in the ad-hoc output"

# A wrong password: a failure that names the server's answer, without the password.
AHSAY_API_PASSWORD='Wrong-Smoke-Pass-0a9f3c61!' adhoc \
  'r["_state"] == "FAILED!" and "Wrong-Smoke-Pass" not in json.dumps(r) and "incorrect" in r["msg"].lower()' \
  msp.accounts.ahsay_user_info 'name=smoke-nobody' >/dev/null ||
  fail "a wrong AhsayCBS password did not give a clean failure"
ok "a wrong AhsayCBS password fails with the server's message, without the password"

# Every module and both roles have documentation that renders.
modules=""
for path in "$ROOT"/plugins/modules/*.py; do
  name=$(basename "$path" .py)
  modules="$modules $name"
done
for module in $modules; do
  ansible-doc "msp.accounts.$module" >"$WORK/doc.txt" 2>&1 || { cat "$WORK/doc.txt"; fail "ansible-doc msp.accounts.$module"; }
  grep -q "msp.accounts.$module" "$WORK/doc.txt" || fail "ansible-doc msp.accounts.$module printed no documentation"
done
ok "ansible-doc renders $(echo "$modules" | wc -w) modules"
for role in onboard_user offboard_user access_review; do
  ansible-doc -t role "msp.accounts.$role" >"$WORK/doc.txt" 2>&1 || { cat "$WORK/doc.txt"; fail "ansible-doc -t role msp.accounts.$role"; }
  grep -q "ENTRY POINT:.*main" "$WORK/doc.txt" || fail "ansible-doc -t role msp.accounts.$role shows no entry point"
  # Markup ansible-doc cannot render in role argument specs (P(...#role) shows as [[...]]).
  ! grep -n '\[\[\|[A-Z](msp\.' "$WORK/doc.txt" || fail "ansible-doc -t role msp.accounts.$role shows raw markup (above)"
  ok "ansible-doc -t role msp.accounts.$role"
done
for filter in access_review access_review_render; do
  ansible-doc -t filter "msp.accounts.$filter" >"$WORK/doc.txt" 2>&1 || { cat "$WORK/doc.txt"; fail "ansible-doc -t filter msp.accounts.$filter"; }
  grep -q "msp.accounts.$filter" "$WORK/doc.txt" || fail "ansible-doc -t filter msp.accounts.$filter printed no documentation"
done
ok "ansible-doc -t filter renders the access_review filters"
listed=$(ansible-doc -l msp.accounts 2>/dev/null | wc -l)
[ "$listed" -eq "$(echo "$modules" | wc -w)" ] || fail "ansible-doc -l msp.accounts lists $listed plugins"

# The execution-environment metadata of the installed collection.
ansible-builder introspect --sanitize "$WORK/collections" >"$WORK/introspect.txt" 2>&1 ||
  { cat "$WORK/introspect.txt"; fail "ansible-builder introspect"; }
for requirement in requests ca-certificates; do
  grep -q "$requirement" "$WORK/introspect.txt" || { cat "$WORK/introspect.txt"; fail "ansible-builder introspect does not report $requirement"; }
done
# Only what a plugin imports belongs in an execution environment.
! grep -q "jsonschema" "$WORK/introspect.txt" || { cat "$WORK/introspect.txt"; fail "ansible-builder introspect reports jsonschema"; }
ok "ansible-builder introspect reports requests and ca-certificates for msp.accounts, nothing else"

# The sample execution environment definitions (docs/awx/): ansible-builder creates a build context from each
# (no container engine needed). The local one gets the tarball built above, as its comments tell a user to do.
tarball=$(basename "$WORK"/build/msp-accounts-*.tar.gz)
rm -rf "$WORK/ee" "$WORK/ee-local"
mkdir -p "$WORK/ee-local"
cp "$ROOT/docs/awx/execution-environment-local.yml" "$WORK/build/$tarball" "$WORK/ee-local/"
for definition in "$ROOT/docs/awx/execution-environment.yml" "$WORK/ee-local/execution-environment-local.yml"; do
  context=$WORK/ee/$(basename "$definition" .yml)
  ansible-builder create -f "$definition" --context "$context" --output-filename Containerfile >"$WORK/ee.log" 2>&1 ||
    { cat "$WORK/ee.log"; fail "ansible-builder create -f $definition"; }
  "$PY" - "$ROOT" "$context" "$WORK/build/$tarball" <<'PYEOF' || fail "the build context of $(basename "$definition") (above)"
import filecmp, os, re, sys
import yaml
root, context, built = sys.argv[1:]
tarball = os.path.basename(built)
version = yaml.safe_load(open(os.path.join(root, "galaxy.yml")))["version"]
containerfile = open(os.path.join(context, "Containerfile")).read()
image = re.search(r'^ARG EE_BASE_IMAGE="([^"]*)"', containerfile, re.M).group(1)
errors = []
if not re.search(r":[0-9][^:/]*$", image) or image.endswith(":latest"):
    errors.append("the base image %s is not pinned to a version" % image)
if "ansible-core==" not in containerfile:
    errors.append("ansible-core is not pinned")
collections = yaml.safe_load(open(os.path.join(context, "_build", "requirements.yml")))["collections"]
if [c.get("type") for c in collections] == ["file"]:
    # The image's collection stage copies _build to /build: the path must name the copied tarball.
    if "\nCOPY _build /build\n" not in containerfile:
        errors.append("the collection stage no longer copies _build to /build")
    path = collections[0]["name"]
    if path != "/build/collections/" + tarball:
        errors.append("the definition installs %s, the tarball is /build/collections/%s" % (path, tarball))
    copied = os.path.join(context, "_build", "collections", tarball)
    if not (os.path.isfile(copied) and filecmp.cmp(copied, built, shallow=False)):
        errors.append("the build context does not hold the built %s at _build/collections/" % tarball)
elif collections != [{"name": "msp.accounts", "version": version}]:
    errors.append("the definition does not install msp.accounts %s: %s" % (version, collections))
for error in errors:
    print(error)
sys.exit(1 if errors else 0)
PYEOF
  ok "ansible-builder create: $(basename "$definition") gives a build context (base image pinned, msp.accounts $tarball)"
done

"$PY" "$ROOT/tests/utils/role_specs/generate.py" --check || fail "a role argument spec is stale: run make role-specs and commit the result"
"$PY" "$ROOT/tests/utils/bulk_docs/generate.py" --check || fail "a bulk module's users documentation is stale: run make bulk-docs and commit the result"
echo "smoke test passed"
