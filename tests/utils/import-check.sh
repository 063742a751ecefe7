#!/usr/bin/env bash
# What `make import-check` runs: the checks Galaxy and Automation Hub run when a collection is uploaded.
# galaxy-importer (pinned below, in its own virtualenv under .tmp/galaxy-importer, reused) imports the
# artifact built from this checkout with flake8 on, ansible-doc and ansible-lint, and without ansible-test
# (which needs a container engine). The import must succeed without a single warning.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-.venv}
case $VENV in /*) ;; *) VENV=$ROOT/$VENV ;; esac
export PYTHON=${PYTHON:-python3}
WORK=$ROOT/.tmp/galaxy-importer
IMPORTER=galaxy-importer==0.4.44
# shellcheck source=tests/utils/_lib.sh
. "$ROOT/tests/utils/_lib.sh"

venv_pinned "$WORK/venv" "$IMPORTER"

collection_build "$WORK"
tarball=$(echo "$WORK"/build/msp-accounts-*.tar.gz)
cat >"$WORK/galaxy-importer.cfg" <<'EOF'
[galaxy-importer]
run_flake8 = True
run_ansible_doc = True
run_ansible_lint = True
run_ansible_test = False
check_changelog = True
EOF

# The importer's own tools (flake8, ansible-doc, ansible-lint) come first on PATH; no collections path of ours.
(
  cd "$WORK"
  env -u ANSIBLE_COLLECTIONS_PATH GALAXY_IMPORTER_CONFIG="$WORK/galaxy-importer.cfg" \
    ANSIBLE_HOME="$WORK/ansible-home" PATH="$WORK/venv/bin:$PATH" \
    "$WORK/venv/bin/python" -m galaxy_importer.main "$tarball"
) >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log"; echo "galaxy-importer failed"; exit 1; }

# The log ends with the import result as one JSON line; the lines before it are what Galaxy shows.
grep -v '^{' "$WORK/import.log" >"$WORK/import.txt" || true
tail -n 5 "$WORK/import.txt"
if grep -n 'WARNING\|ERROR' "$WORK/import.txt"; then
  echo "galaxy-importer reported the warnings above (.tmp/galaxy-importer/import.log)"
  exit 1
fi
grep -q '^Importer processing completed successfully$' "$WORK/import.txt" ||
  { echo "galaxy-importer did not complete (.tmp/galaxy-importer/import.log)"; exit 1; }
echo "galaxy-importer ($IMPORTER, flake8 on) imports $(basename "$tarball") without a warning"
