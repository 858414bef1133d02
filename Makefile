# The two commands a newcomer needs: `make run` and `make test`.
# Each creates (or reuses) .venv and installs the project and its dev tools into it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test check lint types unit bench clean assets chromium

ASSETS := layers/shared/safeplace/static/app.css

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# GOV.UK Frontend and axe-core from npm (pinned in package-lock.json), built into the layer's static files.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

$(ASSETS): node_modules/.installed styles/app.scss styles/copy-assets.mjs
	npm run --silent build

assets: $(ASSETS)

# The browser tests drive Debian's chromium package; Playwright's own browser download does not work here.
CHROMIUM ?= chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium package for the browser tests"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null; }

run: $(STAMP) $(ASSETS)
	$(PY) -m safeplace_local

# One entry point for every check a change must pass: the same one CI runs.
# One worker per core; each local runtime's tests run on one of them (tests/support/runtime.py).
test: $(STAMP) $(ASSETS) chromium lint types
	$(PY) -m pytest -n auto --dist loadgroup

check: test

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# One mypy run over the layer, the local runtime and every handler (the files in pyproject's [tool.mypy]).
types: $(STAMP)
	$(VENV)/bin/mypy

bench: $(STAMP) $(ASSETS)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache node_modules $(ASSETS)
