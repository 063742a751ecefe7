# shellcheck shell=bash
# Helpers shared by demo.sh, smoke.sh and molecule.sh (sourced, not run): build and install the
# collection, start the three API simulators on 127.0.0.1, export the environment variables the
# msp.accounts modules fall back to, stop the simulators.
#   collection_build DIR     build the collection into DIR/build (DIR/build/msp-accounts-*.tar.gz)
#   collection_install DIR   build the collection into DIR/build and install it into DIR/collections
#   sim_start DIR   start them; the ports file is DIR/ports.json, their log DIR/simulators.log
#   sim_env         export AHSAY_*/VEEAM_*/AAA_* (URLs, seed credentials, CA file)
#   sim_stop        stop them (safe to call twice; install it with: trap sim_stop EXIT)
#   sim_get NAME    print one value of the ports file (ahsay, veeam, aaa, ca, client_cert, ...)
#   venv_pinned DIR SPEC...  a virtualenv in DIR with exactly these pip requirement specifiers, made with
#                   $PYTHON (default python3) and reused while the specifiers stay the same
# Needs ROOT (the repository), VENV (the virtualenv) and PY (its python).

SIM_PID=""
SIM_PORTS=""

sim_start() {
  local dir=$1
  mkdir -p "$dir"
  SIM_PORTS=$dir/ports.json
  rm -f "$SIM_PORTS"
  "$PY" "$ROOT/tests/simulator/run.py" --ports-file "$SIM_PORTS" >"$dir/simulators.log" 2>&1 &
  SIM_PID=$!
  local _
  for _ in $(seq 1 300); do
    [ -s "$SIM_PORTS" ] && return 0
    if ! kill -0 "$SIM_PID" 2>/dev/null; then
      echo "The simulators stopped while starting:" >&2
      cat "$dir/simulators.log" >&2
      SIM_PID=""
      return 1
    fi
    sleep 0.1
  done
  echo "The simulators did not write $SIM_PORTS within 30 s:" >&2
  cat "$dir/simulators.log" >&2
  return 1
}

sim_stop() {
  if [ -n "$SIM_PID" ]; then
    kill "$SIM_PID" 2>/dev/null || true
    wait "$SIM_PID" 2>/dev/null || true
    SIM_PID=""
  fi
}

sim_get() {
  "$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$SIM_PORTS" "$1"
}

# The seed accounts of the simulators (see DESIGN.md); only ever passed through the environment.
sim_env() {
  local ca
  ca=$(sim_get ca)
  export AHSAY_API_URL VEEAM_API_URL AAA_API_URL
  AHSAY_API_URL=$(sim_get ahsay)
  VEEAM_API_URL=$(sim_get veeam)
  AAA_API_URL=$(sim_get aaa)
  export AHSAY_API_USERNAME=system AHSAY_API_PASSWORD=system1
  export VEEAM_API_USERNAME=vspcadmin VEEAM_API_PASSWORD='Vspc-Admin-Pass-2026!'
  export AAA_API_USERNAME=api AAA_API_PASSWORD='Ua-Api-Pass-2026!'
  export AHSAY_CA_PATH=$ca VEEAM_CA_PATH=$ca AAA_CA_PATH=$ca
}

collection_build() {
  local dir=$1
  rm -rf "$dir/build"
  mkdir -p "$dir/build"
  # ANSIBLE_HOME keeps ansible-galaxy's caches under DIR too.
  (cd "$ROOT" && ANSIBLE_HOME="$dir/ansible-home" "$VENV/bin/ansible-galaxy" collection build --force --output-path "$dir/build" .) \
    >"$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; return 1; }
}

collection_install() {
  local dir=$1
  collection_build "$dir"
  rm -rf "$dir/collections"
  mkdir -p "$dir/collections"
  ANSIBLE_HOME="$dir/ansible-home" ANSIBLE_COLLECTIONS_PATH="$dir/collections" \
    "$VENV/bin/ansible-galaxy" collection install --offline --force \
    -p "$dir/collections" "$dir"/build/msp-accounts-*.tar.gz >>"$dir/build.log" 2>&1 ||
    { cat "$dir/build.log" >&2; return 1; }
}

venv_pinned() {
  local dir=$1
  shift
  [ "$(cat "$dir/.pins" 2>/dev/null)" = "$*" ] && return 0
  echo "-- creating $dir ($*)"
  rm -rf "$dir"
  "${PYTHON:-python3}" -m venv "$dir"
  "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
  echo "$*" >"$dir/.pins"
}
