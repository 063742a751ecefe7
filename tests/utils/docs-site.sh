#!/usr/bin/env bash
# What `make docs-site` runs: the collection's documentation site, as antsibull-docs and Sphinx build it for
# a collection (module and role pages, the guides of docs/docsite/extra-docs.yml, the links of
# docs/docsite/links.yml), into .tmp/docs-site/build/html (open index.html).
#   1. antsibull-docs sphinx-init writes the Sphinx configuration (.tmp/docs-site);
#   2. antsibull-docs collection writes the RST of this checkout's collection;
#   3. sphinx-build builds the HTML.
# It works offline. The Sphinx configuration maps the Python and Ansible documentation with intersphinx;
# where their inventories cannot be fetched, Sphinx warns once and the build goes on, so that warning is
# allowed. Any other warning fails the build.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=${VENV:-.venv}
case $VENV in /*) ;; *) VENV=$ROOT/$VENV ;; esac
PY=$VENV/bin/python
WORK=$ROOT/.tmp/docs-site
export PATH="$VENV/bin:$PATH"

start=$(date +%s)
guides=$("$PY" "$ROOT/tests/utils/guides.py" check) || { echo "$guides"; exit 1; }

rm -rf "$WORK"
mkdir -p "$WORK/collections/ansible_collections/msp"
# antsibull-docs --use-current documents the collection as ansible-core finds it: this checkout.
ln -s "$ROOT" "$WORK/collections/ansible_collections/msp/accounts"
export ANSIBLE_COLLECTIONS_PATH=$WORK/collections ANSIBLE_HOME=$WORK/ansible-home

version=$("$PY" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["version"])' "$ROOT/galaxy.yml")
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --dest-dir "$WORK" \
  --project msp.accounts --copyright "msp.accounts contributors" \
  --title "msp.accounts $version" --html-short-title "msp.accounts" \
  msp.accounts >"$WORK/sphinx-init.log" 2>&1 || { cat "$WORK/sphinx-init.log"; exit 1; }

mkdir -p "$WORK/rst"
chmod og-w "$WORK/rst"  # antsibull-docs wants the directory writable by its owner only
antsibull-docs --config-file "$WORK/antsibull-docs.cfg" collection --use-current --squash-hierarchy \
  --fail-on-error --cleanup everything --dest-dir "$WORK/rst" msp.accounts >"$WORK/antsibull-docs.log" 2>&1 ||
  { cat "$WORK/antsibull-docs.log"; exit 1; }

sphinx-build -b html -q -c "$WORK" -w "$WORK/warnings.log" "$WORK/rst" "$WORK/build/html" >"$WORK/sphinx.log" 2>&1 ||
  { cat "$WORK/sphinx.log"; exit 1; }

"$PY" - "$WORK/warnings.log" <<'PYEOF'
import re, sys
# One record per warning: its first line carries the level, continuation lines follow it.
records = []
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    if re.match(r"^(\S.*?: )?(WARNING|ERROR|CRITICAL|SEVERE): ", line) or not records:
        records.append([line])
    else:
        records[-1].append(line)
unreachable = [r for r in records if re.search(r"WARNING: failed to reach any of the inventories", r[0])
               and all("intersphinx inventory" in line for line in r[1:])]
# Without the inventories, references to labels of the Ansible documentation (antsibull-docs links module
# pages to "common_return_values", for example) cannot resolve either. Labels of this collection always must.
external = []
if unreachable:
    for record in records:
        match = re.search(r"WARNING: undefined label: '([^']*)'", record[0])
        if match and len(record) == 1 and not match.group(1).startswith("ansible_collections.msp.accounts."):
            external.append(record)
others = [r for r in records if r not in unreachable and r not in external]
for record in others:
    print("\n".join(record))
if others:
    sys.exit("the docs site build printed %d warning(s) (above)" % len(others))
if unreachable:
    labels = sorted(set(re.search(r"'([^']*)'", r[0]).group(1) for r in external))
    print("note: %d intersphinx inventories could not be fetched (offline); left as plain text: %s"
          % (len(unreachable), ", ".join(labels) or "nothing"))
PYEOF

pages=$(find "$WORK/build/html" -name '*.html' | wc -l)
echo "docs site: $pages pages in .tmp/docs-site/build/html (index.html), built in $(( $(date +%s) - start ))s"
