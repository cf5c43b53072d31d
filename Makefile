# Two commands for a newcomer: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint browser-test bench lock clean system-packages clinic-demo

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m compileall -q afterglow  # bytecode, as a wheel install has: ~0.1 s off each CLI call under PYTHONDONTWRITEBYTECODE
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/afterglow serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy afterglow
	$(BIN)/lint-imports
	AFTERGLOW_HOME=$(VENV)/check-home $(BIN)/afterglow check --fail-level WARNING

# chromium, espeak-ng, poppler-utils and fonts: installed when run as root,
# otherwise one line says what is missing and how to install it.
system-packages:
	@scripts/ensure-system-packages

# Then the clinic run: AFTERGLOW_MODE=clinic on a throwaway PostgreSQL cluster the run starts and stops.
test: system-packages $(STAMP) lint
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --ds tests.settings_clinic

# Clinic mode in one command: a throwaway PostgreSQL cluster, a demo clinic, gunicorn (Ctrl+C ends it all).
clinic-demo: $(STAMP)
	$(BIN)/python scripts/clinic-demo

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Re-pin every dependency after changing pyproject.toml.
lock:
	rm -rf .lockenv && $(PY) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check ".[dev]"
	.lockenv/bin/pip freeze --all --exclude-editable | grep -Ev '^(afterglow|pip)( |==)' > requirements.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV)
