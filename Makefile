# msp.accounts — one command to test everything, one to see it work.
#   make demo        start the simulators and onboard/offboard two customers
#   make test        everything CI runs (sanity, units, simulators, integration, molecule, lint, docs, smoke,
#                    the ansible-core version matrix)
#   make simulators  run the three API simulators in the foreground
#   make bench-bulk  the *_info modules on 10,000 accounts per platform beside their floors (not in make test)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV ?= $(CURDIR)/.venv
BIN := $(VENV)/bin
export VENV
export PATH := $(BIN):$(PATH)
# Ad-hoc commands and antsibull-docs resolve msp.accounts through a link to this checkout
# (ansible-lint runs without it, as in a plain clone: see .ansible-lint).
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.tmp/checkout-collections
export ANSIBLE_NOCOLOR := 1
COVERAGE_MIN ?= 90
WORK := $(CURDIR)/.tmp

.PHONY: all venv test demo simulators sanity units coverage simulator-tests integration molecule lint docs-lint docs-rst docs-site changelog-lint smoke matrix runner instances bench bench-bulk bulk-docs role-specs import-check clean

all: test

$(BIN)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed $(WORK)/.system-tools $(WORK)/checkout-collections/ansible_collections/msp/accounts

$(WORK)/checkout-collections/ansible_collections/msp/accounts:
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

# shellcheck lets ansible-test check shell scripts; chromium and chromium-driver let the access_review
# browser test open the HTML report (tests/simulator/test_access_review_html.py). Debian's packages, when
# apt-get is usable; otherwise those tests skip and say why.
$(WORK)/.system-tools: Makefile
	mkdir -p $(WORK)
	missing=""; \
	command -v shellcheck >/dev/null || missing="$$missing shellcheck"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null || missing="$$missing chromium-driver"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note:$$missing not installed and apt-get is not usable; ansible-test skips its shellcheck test," \
	    "the access_review browser test skips"; fi; \
	fi
	touch $@

test: venv
	@start=$$(date +%s); \
	for step in sanity units simulator-tests integration molecule lint docs-lint docs-site changelog-lint smoke matrix import-check runner instances bench; do \
	  echo "=== make $$step"; t0=$$(date +%s); \
	  $(MAKE) --no-print-directory $$step; \
	  echo "=== make $$step: ok in $$(( $$(date +%s) - t0 ))s"; \
	done; \
	echo "=== make test: all steps passed in $$(( $$(date +%s) - start ))s"

sanity: venv
	tests/utils/ansible-test.sh sanity

units: venv
	rm -rf $(WORK)/units
	MSP_WORK=$(WORK)/units tests/utils/ansible-test.sh units --coverage
	@cd $(WORK)/units/collections/ansible_collections/msp/accounts && \
	  ansible-test coverage report --include 'plugins/module_utils/*' --show-missing --color no | tee $(WORK)/units/coverage.txt
	@total=$$(awk '/^TOTAL/ {sub("%","",$$NF); print $$NF}' $(WORK)/units/coverage.txt); \
	  if [ "$${total%.*}" -lt $(COVERAGE_MIN) ]; then echo "module_utils coverage $$total% is below $(COVERAGE_MIN)%"; exit 1; fi; \
	  echo "module_utils line+branch coverage: $$total% (minimum $(COVERAGE_MIN)%)"

simulator-tests: venv
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/simulator

integration: venv
	tests/utils/ansible-test.sh integration

molecule: venv
	tests/utils/molecule.sh

# Exactly what a contributor types in a fresh clone (no collections path from this Makefile).
lint: venv
	env -u ANSIBLE_COLLECTIONS_PATH ansible-lint --profile production

docs-lint: venv
	antsibull-docs lint-collection-docs --plugin-docs .
	$(BIN)/python tests/utils/guides.py check

# The guides of the docs site (docs/docsite/rst/*.rst) from their Markdown source (docs/*.md).
docs-rst: venv
	$(BIN)/python tests/utils/guides.py write

# The documentation site (antsibull-docs + Sphinx), offline, into .tmp/docs-site/build/html.
docs-site: venv
	tests/utils/docs-site.sh

changelog-lint: venv
	antsibull-changelog lint

smoke: venv
	tests/utils/smoke.sh

# ansible-core versions of tests/matrix/versions.txt, each in its own virtualenv (.tmp/matrix, reused).
matrix: venv
	PYTHON=$(PYTHON) tests/utils/matrix.sh

# galaxy-importer (flake8 on) on the built artifact, as Galaxy and Automation Hub import it: no warning allowed.
import-check: venv
	PYTHON=$(PYTHON) tests/utils/import-check.sh

# Writes roles/*/meta/argument_specs.yml from tests/utils/role_specs/<role>.yml and the modules' DOCUMENTATION;
# smoke fails when the committed files differ from what this writes.
.PHONY: role-specs bulk-docs
role-specs: venv
	$(BIN)/python tests/utils/role_specs/generate.py

# The users option of each bulk module, documented from its single module.
bulk-docs: venv
	$(BIN)/python tests/utils/bulk_docs/generate.py

runner: venv
	$(BIN)/python tests/utils/runner_test.py

# Three simulator instances as three inventory hosts, converged with forks (docs/examples/many-servers).
instances: venv
	$(BIN)/python tests/utils/instances_test.py

bench: venv
	$(BIN)/python tests/simulator/bench.py

# A few minutes, so not a step of make test: figures printed, nothing checked against them.
bench-bulk: venv
	$(BIN)/python tests/simulator/bench.py --bulk --workdir $(WORK)/bench-bulk

demo: venv
	tests/utils/demo.sh

simulators: venv
	mkdir -p $(WORK)
	$(BIN)/python tests/simulator/run.py --ports-file $(WORK)/sim-ports.json

clean:
	rm -rf $(WORK) .ansible tests/output *.tar.gz
