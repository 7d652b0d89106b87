# Borderline developer entry points. Every target sets itself up on a fresh clone:
#   make play    serve the game at http://127.0.0.1:8765
#   make test    lint, format check, type check and all tests (including the browser test)
# Run `make help` for the full list.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV     ?= .venv
BIN      := $(VENV)/bin
PY       := $(BIN)/python
STAMP    := $(VENV)/.borderline-installed
HOST     ?= 127.0.0.1
PORT     ?= 8765
CHROMIUM ?= /usr/bin/chromium
# extra arguments for `solara run`, e.g. make play SOLARA_ARGS="--theme-variant dark"
SOLARA_ARGS ?=

# Serve Solara's front end (Vue, Vuetify, require.js, fonts) from the solara-assets package in
# the venv instead of a public CDN, so the game works offline. This is solara's default outside
# VS Code/Colab/Voila; we force it because VS Code terminals would otherwise turn it off.
export SOLARA_ASSETS_PROXY := true
# no usage statistics sent to solara's servers (and no waiting on them offline)
export SOLARA_TELEMETRY_MIXPANEL_ENABLE := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export BORDERLINE_CHROMIUM := $(CHROMIUM)

.PHONY: help
help: ## show this help
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
	    awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

# --- set-up -----------------------------------------------------------------------------------

# The interpreter: the first Python >= 3.12 that scripts/find_python.sh finds.
$(PY):
	@python=$$(scripts/find_python.sh) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip

# Reinstalled whenever pyproject.toml changes.
$(STAMP): pyproject.toml | $(PY)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	    echo "$(VENV) uses Python $$($(PY) -V 2>&1); Borderline needs >= 3.12." \
	         "Remove it (make distclean) and run make again." >&2; exit 1; }
	@echo "Installing borderline and its development tools into $(VENV) ..."
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

.PHONY: venv
venv: $(STAMP) ## create .venv and install borderline with its dev tools

# The decisions are compiled by numba (sim/fastchoice.py) on first use, about 10 s, then loaded
# from its cache (sim/__pycache__) in a fraction of a second: done here, before a server or a
# test run starts, so that no player's first turn and no test waits for the compiler.
.PHONY: compiled
compiled: $(STAMP)
	@$(PY) -c 'import sim.fastchoice as f; t = f.warm(); t > 2 and print(f"Compiled the decisions ({t:.0f} s, cached for next time)")'

# Chromium for the browser tests. Playwright cannot download its own browser here, so the tests
# drive the system one. As root (CI) we install it; otherwise we say how.
.PHONY: browser
browser: ## install Chromium for the browser tests (apt, as root), or say how
	@if [ -x "$(CHROMIUM)" ]; then \
	    exit 0; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests (apt-get) ..."; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get -o DPkg::Lock::Timeout=600 update -qq && \
	    apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium; \
	else \
	    echo "NOTE: $(CHROMIUM) not found: the browser tests will be skipped (fail under CI=true)." \
	         "Install Chromium (Debian: sudo apt-get install chromium; Ubuntu: sudo snap install" \
	         "chromium) or point CHROMIUM=/path/to/chromium at one." >&2; \
	fi

# --- everyday targets -------------------------------------------------------------------------

# --production: no auto-reload. Solara's reloader drops every module under the app's folder,
# .venv included, and numpy then fails to re-import ("cannot load module more than once per
# process"), so a reload after an edit would break the page. Restart to pick up changes.
.PHONY: play
play: $(STAMP) compiled ## serve the game at http://127.0.0.1:8765 (Ctrl-C stops it)
	@# the warning is about cookies in iframes over plain http; it is printed on every page load
	PYTHONWARNINGS="ignore:Cookies with samesite=none:UserWarning" \
	    $(BIN)/solara run app.py --production --host $(HOST) --port $(PORT) --no-open $(SOLARA_ARGS)

.PHONY: test
test: $(STAMP) compiled browser ## ruff, format check, mypy and all tests, browser test included
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy sim
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	$(BIN)/pytest -q

.PHONY: lint
lint: $(STAMP) ## ruff check, format check and mypy, no tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy sim

.PHONY: format
format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: docs
docs: $(STAMP) ## build the documentation site (strict) into build/site/ (works offline)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	@echo "open build/site/index.html"

.PHONY: bench
bench: $(STAMP) ## batch-runner throughput benchmark
	$(PY) benchmarks/bench_batch.py

.PHONY: clean
clean: ## remove caches and build output (keeps .venv)
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache test-results
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

.PHONY: distclean
distclean: clean ## clean, and remove .venv too
	rm -rf $(VENV)
