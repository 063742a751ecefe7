#!/usr/bin/env bash
# Run `molecule test` for every role scenario under extensions/molecule (default driver, localhost).
# Each scenario starts the API simulators in its create step and stops them in destroy; a trap stops
# any simulator left behind by an interrupted run. Everything temporary stays under .tmp/molecule.
#   tests/utils/molecule.sh                  all scenarios
#   tests/utils/molecule.sh -s onboard_user  one scenario (any molecule test option works)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-.venv}
case $VENV in /*) ;; *) VENV=$ROOT/$VENV ;; esac
PY=$VENV/bin/python
WORK=$ROOT/.tmp/molecule
export PATH="$VENV/bin:$PATH"
# shellcheck source=tests/utils/_lib.sh
. "$ROOT/tests/utils/_lib.sh"

stop_leftovers() {
  local ports pid
  for ports in "$WORK"/*/ports.json; do
    [ -f "$ports" ] || continue
    pid=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["pid"])' "$ports" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      echo "Stopping simulators left running (pid $pid)"
      kill "$pid" 2>/dev/null || true
    fi
    rm -f "$ports"
  done
}
trap stop_leftovers EXIT
stop_leftovers

# The roles under test come from a freshly built collection, installed under .tmp (molecule's own
# prerun, which would install into ~/.ansible, is off in every scenario).
mkdir -p "$WORK"
collection_install "$WORK"
export ANSIBLE_COLLECTIONS_PATH=$WORK/collections
export ANSIBLE_HOME=$WORK/ansible-home ANSIBLE_LOCAL_TEMP=$WORK/ansible-home/tmp
export ANSIBLE_NOCOLOR=1 NO_COLOR=1 PY_COLORS=0

cd "$ROOT"
if [ $# -eq 0 ]; then
  set -- --all
fi
molecule test "$@"
