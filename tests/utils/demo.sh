#!/usr/bin/env bash
# What `make demo` runs once the virtualenv exists: start the three API simulators (127.0.0.1),
# build the collection and install it under .tmp/demo, then run the demo playbook three times with
# the simulators' credentials in the environment (as an AWX credential would set them):
#   1. onboard two customers on AhsayCBS, VSPC and Unified Assurance
#   2. the same again, which must change nothing
#   3. offboard one customer (disabled everywhere, nothing deleted)
# and print a short summary. The simulators are stopped at the end, also after a failure.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-.venv}
case $VENV in /*) ;; *) VENV=$ROOT/$VENV ;; esac
PY=$VENV/bin/python
WORK=$ROOT/.tmp/demo
export PATH="$VENV/bin:$PATH"
# shellcheck source=tests/utils/_lib.sh
. "$ROOT/tests/utils/_lib.sh"
trap sim_stop EXIT

start=$(date +%s)
mkdir -p "$WORK"
echo "== Starting the AhsayCBS, VSPC and Unified Assurance simulators"
sim_start "$WORK/simulators"
sim_env
echo "   AhsayCBS $AHSAY_API_URL, VSPC $VEEAM_API_URL, Unified Assurance $AAA_API_URL"

echo "== Building and installing the collection into .tmp/demo/collections"
collection_install "$WORK"
export ANSIBLE_COLLECTIONS_PATH=$WORK/collections
export ANSIBLE_HOME=$WORK/ansible-home ANSIBLE_LOCAL_TEMP=$WORK/ansible-home/tmp
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-1}

# run TITLE LOG [ansible-playbook options]: run the demo playbook, keep its output, print the recap.
run() {
  local title=$1 log=$2
  shift 2
  echo
  echo "== $title"
  echo "   ansible-playbook msp.accounts.demo $*"
  ansible-playbook msp.accounts.demo "$@" 2>&1 | tee "$log"
}
changed() {  # changed tasks in the PLAY RECAP
  sed -n 's/^localhost *: .*changed=\([0-9]*\).*/\1/p' "$1" | tail -n 1
}
accounts() {  # accounts the roles created, changed or disabled (from the playbook's summary)
  sed -n 's/^ *"Accounts changed by this run: *\([0-9]*\)",$/\1/p' "$1" | tail -n 1
}

run "Run 1: onboard two customers" "$WORK/run1.log"
run "Run 2: the same again (must change nothing)" "$WORK/run2.log"
run "Run 3: offboard globex-backup" "$WORK/run3.log" -e demo_step=offboard

c1=$(changed "$WORK/run1.log")
c2=$(changed "$WORK/run2.log")
c3=$(changed "$WORK/run3.log")
echo
echo "== Summary"
printf '   %-46s %s accounts changed (changed tasks: %s)\n' \
  "Run 1, onboard acme-backup and globex-backup:" "$(accounts "$WORK/run1.log")" "$c1" \
  "Run 2, the same again:" "$(accounts "$WORK/run2.log")" "$c2" \
  "Run 3, offboard globex-backup:" "$(accounts "$WORK/run3.log")" "$c3"
sed -n 's/^ *"\(AhsayCBS backup users\|VSPC portal users\|Unified Assurance users\): *\(.*\)",\{0,1\}$/   \1: \2/p' "$WORK/run3.log"
if [ "$c2" != 0 ]; then
  echo "The second run reported changes; it must not." >&2
  exit 1
fi
echo "   Done in $(( $(date +%s) - start ))s; the simulators are stopped now. Logs: .tmp/demo/run*.log"
