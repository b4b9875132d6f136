# The README's two commands: `make serve` and `make test`. Both create .venv on first use.
# `make lab` opens the notebooks in JupyterLab (trainers).
PY := .venv/bin/python
STAMP := .venv/.installed

.PHONY: serve lab test chromium benchmark schemas rules-table

$(STAMP): pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# Jupyter refuses to run as root unless told; workshop laptops and these machines may run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

serve: $(STAMP)
	.venv/bin/trove serve

lab: $(STAMP)
	MPLBACKEND=Agg .venv/bin/jupyter lab --ServerApp.ip=127.0.0.1 --no-browser --notebook-dir=notebooks $(ROOT_FLAG)

# Browser journeys need Debian's Chromium (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Install Debian's chromium first: sudo apt-get install chromium" >&2; exit 1; fi; }

# Lint and format checks come first: a red ruff stops the run before the slow suite.
test: $(STAMP) chromium
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PY) -m pytest

benchmark: $(STAMP)
	$(PY) benchmarks/throughput.py

schemas: $(STAMP)
	.venv/bin/trove schema --out docs

rules-table: $(STAMP)
	.venv/bin/trove rules --format md --out docs/rules-table.md
