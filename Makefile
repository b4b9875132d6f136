# The README's two commands: `make serve` and `make test`. Both create .venv on first use.
# `make lab` opens the notebooks in JupyterLab (trainers). `make test-pythons`: the other supported Pythons.
# PYTHON picks the interpreter of .venv (python3.11, python3.12 or python3.13; pyproject's requires-python).
PYTHON ?= python3
PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: serve lab hub hub-tools test test-pythons chromium postgresql benchmark schemas rules-table

$(STAMP): pyproject.toml
	$(PYTHON) -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# Jupyter refuses to run as root unless told; workshop laptops and these machines may run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# `make serve PORT=8870 HOST=0.0.0.0 ARGS='--workshop "Tập huấn" --room 40'`: PORT and HOST become --port and
# --host, ARGS is passed as it is (any option of `trove serve --help`). Only values given on the make command line
# count: a HOST or PORT variable in the environment (some shells set HOST) never makes the server listen elsewhere.
cli_value = $(if $(filter command line,$(origin $(1))),$($(1)))
SERVE_OPTIONS = $(if $(call cli_value,HOST),--host '$(HOST)') $(if $(call cli_value,PORT),--port '$(PORT)') $(ARGS)

serve: $(STAMP)
	.venv/bin/trove serve $(SERVE_OPTIONS)

lab: $(STAMP)
	MPLBACKEND=Agg .venv/bin/jupyter lab --ServerApp.ip=127.0.0.1 --no-browser --notebook-dir=notebooks $(ROOT_FLAG)

# Browser journeys need Debian's Chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Install Debian's chromium first: sudo apt-get install chromium" >&2; exit 1; fi; }

# The PostgreSQL store's tests start a real server of their own (tests/pg_server.py) from the machine's binaries:
# Debian's postgresql is installed first if they are missing (as root). Debian keeps them off PATH, in
# /usr/lib/postgresql/*/bin, where the tests look too; they run the server as the package's `postgres` user when root.
postgresql:
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	  else echo "Install Debian's postgresql first (the PostgreSQL store's tests): sudo apt-get install postgresql" >&2; exit 1; fi; }

# axe-core (npm) is injected into the pages by the browser tests: accessibility violations fail them. A pinned
# version, installed into .venv/axe with the machine's npm (Debian's npm is installed first if missing, as root).
AXE_VERSION := 4.14.1
AXE := .venv/axe/node_modules/axe-core/axe.min.js
$(AXE): | $(STAMP)
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq npm; \
	  else echo "Install npm first (for axe-core): sudo apt-get install npm" >&2; exit 1; fi; }
	npm install --silent --no-audit --no-fund --prefix .venv/axe axe-core@$(AXE_VERSION)

# JupyterHub's proxy (npm), pinned, into .venv/chp; Debian's npm is installed first if missing, as root.
CHP_VERSION := 5.3.0
CHP := .venv/chp/node_modules/.bin/configurable-http-proxy
$(CHP): | $(STAMP)
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq npm; \
	  else echo "Install npm first (for configurable-http-proxy): sudo apt-get install npm" >&2; exit 1; fi; }
	npm install --silent --no-audit --no-fund --prefix .venv/chp configurable-http-proxy@$(CHP_VERSION)

# What `make hub` and the hub's tests run besides Python: the proxy, PostgreSQL's server and Debian's nginx-light.
hub-tools: $(CHP) postgresql
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx-light; \
	  else echo "Install nginx first: sudo apt-get install nginx-light" >&2; exit 1; fi; }

# The design of docs/hub.en.md on this machine: PostgreSQL, JupyterHub and its proxy, 2 instances, nginx
# (http://127.0.0.1:18080; deploy/local_hub.py). Ctrl-C stops all of it; var/hub keeps the accounts and results.
# `make hub HUB_ARGS=--tls`: https, the proxy terminating TLS with a certificate made for 127.0.0.1.
HUB_ARGS ?=
hub: $(STAMP) hub-tools
	$(PY) deploy/local_hub.py $(HUB_ARGS)

# Lint and format checks come first: a red ruff stops the run before the slow suite. The suite runs in
# TEST_WORKERS processes (pytest-xdist), each test file in one of them (its servers start once): most tests wait
# on servers, kernels and browsers, so 3 workers on 2 cores take about 60 % of the serial time (measured in
# docs/performance.md). `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= 3
PYTEST := -m pytest -n $(TEST_WORKERS) --dist loadfile
test: $(STAMP) chromium $(AXE) hub-tools
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PY) $(PYTEST)

# The other supported Pythons (CI runs this after `make test`): for each, a venv in .venv/py3.X (remade when
# pyproject.toml changes), the package installed with its test extra, and the tests not marked browser or slow.
# The interpreter is the first of python3.X on PATH, pyenv's newest 3.X.*, /usr/local/bin and /usr/bin that runs;
# none found is a failure. `make test-pythons EXTRA_PYTHONS=3.13` tests fewer.
EXTRA_PYTHONS ?= 3.12 3.13
FAST_TESTS := not browser and not slow
# Prints the interpreter's path if it is CPython 3.X (the stem) with the GIL, else fails.
IS_PYTHON = -c 'import sys, sysconfig; v = tuple(map(int, "$*".split("."))); ok = sys.version_info[:2] == v and not sysconfig.get_config_var("Py_GIL_DISABLED"); print(sys.executable) if ok else sys.exit(1)'

test-pythons: postgresql $(addprefix test-py,$(EXTRA_PYTHONS))
	@echo "== Python $(EXTRA_PYTHONS): installed, tests not marked browser or slow passed"

test-py%: .venv/py%/.installed
	@echo "== Python $*: $$(.venv/py$*/bin/python -c 'import sys; print(sys.version.split()[0])'), tests not marked browser or slow"
	.venv/py$*/bin/python $(PYTEST) -q -m "$(FAST_TESTS)"

.PRECIOUS: .venv/py%/.installed
.venv/py%/.installed: pyproject.toml
	@py=$$(for c in python$* $$(ls -d $$(pyenv root 2>/dev/null)/versions/$*.*/bin/python$* 2>/dev/null | sort -rV) \
	  /usr/local/bin/python$* /usr/bin/python$*; do "$$c" $(IS_PYTHON) 2>/dev/null && break; done); \
	if [ -z "$$py" ]; then \
	  echo "No Python $* found (PATH, pyenv, /usr/local/bin, /usr/bin): install it, or leave it out with EXTRA_PYTHONS=..." >&2; \
	  exit 1; \
	fi; \
	echo "== Python $*: $$py -> .venv/py$*"; \
	"$$py" -m venv --clear .venv/py$*
	.venv/py$*/bin/python -m pip install -q --upgrade pip
	.venv/py$*/bin/python -m pip install -q -e '.[test]'
	touch $@

benchmark: $(STAMP)
	$(PY) benchmarks/throughput.py

schemas: $(STAMP)
	.venv/bin/trove schema --out docs

rules-table: $(STAMP)
	.venv/bin/trove rules --format md --out docs/rules-table.md
