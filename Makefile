# Sigill: `make run` sets everything up and serves the demo; `make test` runs everything CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9

# The demo runs with DEBUG on (development defaults), on SQLite under var/, served on
# http://$(HOST):$(PORT); `make run PORT=8080 HOST=0.0.0.0` serves it elsewhere (docs/configuration.md).
# It does not sync with the platforms (SIGILL_PLATFORM_SYNC=false): the demo has no tokens and no
# platforms to reach, so its connections keep the state the demo data gives them.
export DEBUG ?= true
export HOST ?= 127.0.0.1
export PORT ?= 8000

.PHONY: run test setup install messages pango demo clean

run: setup demo
	@echo ""
	@echo "Sigill is starting on http://$(HOST):$(PORT) (stop with Ctrl+C)."
	@$(PY) manage.py seed_demo --logins-only
	@SIGILL_PLATFORM_SYNC=$${SIGILL_PLATFORM_SYNC:-false} $(VENV)/bin/honcho start --port $(PORT)

test: install
	@bash scripts/test.sh

setup: install messages pango
	@mkdir -p var
	@$(PY) manage.py migrate --noinput -v 0

install: $(VENV)/.installed

# Reinstalls only when the lock file changes, so a second `make run` starts at once. The lock holds
# every extra (dev, bench), compiled with:
#   uv pip compile pyproject.toml --extra dev --extra bench -o requirements.lock --python-version 3.11 --no-header --no-annotate
$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	@$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock
	@touch $@

messages: install
	@command -v msgfmt >/dev/null || bash scripts/apt-install.sh gettext
	@$(PY) manage.py compilemessages -v 0 --ignore '.venv/*'

# WeasyPrint (disclosure packages as PDF) draws text with Debian's Pango.
pango:
	@bash scripts/apt-install.sh libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

demo:
	@$(PY) manage.py seed_demo -v 0

clean:
	rm -rf $(VENV) var
