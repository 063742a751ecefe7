#!/usr/bin/env bash
# Run ansible-test on a copy of this checkout laid out as ansible_collections/msp/accounts.
#   tests/utils/ansible-test.sh sanity|units|integration [ansible-test options...]
# For integration, the simulators are started first and their URLs handed to the
# targets through tests/integration/integration_config.yml.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
# Each run gets its own tree (several runs may go on at once) unless MSP_WORK names one.
mkdir -p "$ROOT/.tmp"
WORK=${MSP_WORK:-$(mktemp -d "$ROOT/.tmp/ansible-test.XXXXXX")}
COLL=$WORK/collections/ansible_collections/msp/accounts
PYVER=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
export PATH="$VENV/bin:$PATH"

# ansible-test bootstraps pip in its venvs from a download host; serve it from PyPI instead.
# (24.2 is the pip version ansible-test 2.19 asks for.)
mkdir -p "$HOME/.ansible/test/cache"
cp "$ROOT/tests/utils/get_pip_offline.py" "$HOME/.ansible/test/cache/get_pip_24_2.py"

rm -rf "$COLL"
mkdir -p "$COLL"
tar -C "$ROOT" -c --exclude ./.venv --exclude ./.ansible --exclude ./.tmp --exclude ./.git --exclude ./tests/output \
  --exclude __pycache__ --exclude .pytest_cache --exclude './*.tar.gz' . | tar -C "$COLL" -x
# ansible-test lists the files to check from git when there is a repository.
if ! (cd "$COLL" && git init -q . && git add -A >/dev/null 2>&1); then
  echo "note: no git repository in the test tree; ansible-test lists files itself"
fi

command=$1
shift
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; fi
  if [ -z "${MSP_WORK:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [ "$command" = integration ]; then
  ports=$WORK/sim-ports.json
  rm -f "$ports"
  "$PY" "$ROOT/tests/simulator/run.py" --ports-file "$ports" > "$WORK/simulators.log" 2>&1 &
  sim_pid=$!
  for _ in $(seq 1 100); do [ -s "$ports" ] && break; sleep 0.1; done
  [ -s "$ports" ] || { echo "simulators did not start:"; cat "$WORK/simulators.log"; exit 1; }
  "$PY" - "$ports" "$COLL/tests/integration/integration_config.yml" <<'PYEOF'
import json, sys
info = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as out:
    for key in ("ahsay", "veeam", "aaa"):
        out.write("sim_%s_url: %s\n" % (key, json.dumps(info[key])))
    for key in ("ca", "client_cert", "client_key"):
        out.write("sim_%s: %s\n" % (key, json.dumps(info[key])))
PYEOF
fi

cd "$COLL"
ansible-test "$command" --local --python "$PYVER" --color no "$@"
