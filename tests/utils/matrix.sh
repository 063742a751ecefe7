#!/usr/bin/env bash
# The ansible-core version matrix (`make matrix`). For every release in tests/matrix/versions.txt, in turn:
#   1. a virtualenv with that ansible-core and requests (pinned as in requirements-dev.txt), kept under
#      .tmp/matrix/<version>/venv and reused while the pins stay the same;
#   2. the collection, built once from this checkout, installed with that version's ansible-galaxy;
#   3. ansible-doc renders every module and role of the installed collection, without a warning;
#   4. tests/matrix/playbook.yml against the API simulators (127.0.0.1; connection in the environment):
#      each write module created, run again (changed: false), removed, and the onboard_user role twice.
# Prints a table (also in .tmp/matrix/results.md) and fails when any version failed.
#   tests/utils/matrix.sh                 every version of tests/matrix/versions.txt
#   tests/utils/matrix.sh 2.16.19 ...     only these
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-.venv}
case $VENV in /*) ;; *) VENV=$ROOT/$VENV ;; esac
PY=$VENV/bin/python
PYTHON=${PYTHON:-python3}
export PYTHON
WORK=$ROOT/.tmp/matrix
# shellcheck source=tests/utils/_lib.sh
. "$ROOT/tests/utils/_lib.sh"
trap sim_stop EXIT

if [ $# -gt 0 ]; then
  versions=("$@")
else
  mapfile -t versions < <(grep -v '^#' "$ROOT/tests/matrix/versions.txt" | grep .)
fi
requests_pin=$(grep -i '^requests==' "$ROOT/requirements-dev.txt")

start=$(date +%s)
mkdir -p "$WORK"
collection_build "$WORK"
tarball=$(echo "$WORK"/build/msp-accounts-*.tar.gz)
modules=""
for path in "$ROOT"/plugins/modules/*.py; do modules="$modules $(basename "$path" .py)"; done
roles=""
for path in "$ROOT"/roles/*/; do roles="$roles $(basename "$path")"; done

sim_start "$WORK/simulators"
sim_env
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

# run_version VERSION: steps 1 to 4 for one release; the log is .tmp/matrix/VERSION/matrix.log.
run_version() {
  local version=$1 dir=$WORK/$1 venv=$WORK/$1/venv names name role
  venv_pinned "$venv" "ansible-core==$version" "$requests_pin"
  case $("$venv/bin/ansible" --version) in
    *"[core $version]"*) ;;
    *) echo "$venv does not run ansible-core $version"; return 1 ;;
  esac

  export ANSIBLE_HOME=$dir/ansible-home ANSIBLE_LOCAL_TEMP=$dir/ansible-home/tmp ANSIBLE_COLLECTIONS_PATH=$dir/collections
  rm -rf "$dir/collections"
  "$venv/bin/ansible-galaxy" collection install --offline -p "$dir/collections" "$tarball" >"$dir/install.log" 2>&1 ||
    { cat "$dir/install.log"; return 1; }
  [ -f "$dir/collections/ansible_collections/msp/accounts/MANIFEST.json" ] || { echo "msp.accounts was not installed"; return 1; }

  names=""
  for name in $modules; do names="$names msp.accounts.$name"; done
  # shellcheck disable=SC2086 # one argument per module
  "$venv/bin/ansible-doc" $names >"$dir/ansible-doc.txt" 2>"$dir/ansible-doc.err" || { cat "$dir/ansible-doc.err"; return 1; }
  for role in $roles; do
    "$venv/bin/ansible-doc" -t role "msp.accounts.$role" >>"$dir/ansible-doc.txt" 2>>"$dir/ansible-doc.err" ||
      { cat "$dir/ansible-doc.err"; return 1; }
    names="$names msp.accounts.$role"
  done
  if [ -s "$dir/ansible-doc.err" ]; then echo "ansible-doc printed to stderr:"; cat "$dir/ansible-doc.err"; return 1; fi
  for name in $names; do
    grep -qi "^> .*$name\b" "$dir/ansible-doc.txt" || { echo "ansible-doc shows no documentation for $name"; return 1; }
  done
  echo "-- $version: ansible-doc renders $(echo "$names" | wc -w) modules and roles"

  "$venv/bin/ansible-playbook" "$ROOT/tests/matrix/playbook.yml" >"$dir/playbook.log" 2>&1 || { cat "$dir/playbook.log"; return 1; }
  grep -q '^localhost *: ok=[0-9]* *changed=[0-9]* *unreachable=0 *failed=0' "$dir/playbook.log" ||
    { cat "$dir/playbook.log"; echo "no clean PLAY RECAP"; return 1; }
  if grep -n 'WARNING\]\|ERROR\]' "$dir/playbook.log"; then echo "the playbook run printed the warnings above"; return 1; fi
  echo "-- $version: playbook passed ($(sed -n 's/^localhost *: \(ok=[0-9]* *changed=[0-9]*\).*/\1/p' "$dir/playbook.log" | tr -s ' '))"
}

rows=""
failed=0
for version in "${versions[@]}"; do
  mkdir -p "$WORK/$version"
  t0=$(date +%s)
  # A subshell of its own (not an `if` condition, where errexit would be off): any failing step ends it.
  set +e
  (set -e; run_version "$version") 2>&1 | tee "$WORK/$version/matrix.log"
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" = 0 ]; then result=passed; else result=FAILED; failed=1; fi
  rows="$rows| $version | $result | $(( $(date +%s) - t0 )) s |"$'\n'
done

{
  echo "| ansible-core | ansible-doc and playbook on Python $("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])') | time |"
  echo "|---|---|---|"
  printf '%s' "$rows"
} >"$WORK/results.md"
echo
cat "$WORK/results.md"
echo "matrix: $(( $(date +%s) - start ))s in all; logs in .tmp/matrix/<version>/"
exit "$failed"
