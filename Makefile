# The two commands: `make run` opens the app, `make test` runs every check.
# Both create .venv on first use: `make run` installs only what the app needs, `make test`
# adds the test tools. `make dist` builds the frozen Linux app and its tarball in dist/.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
# The frozen app is built from the wheel installed in an environment of its own, so it
# holds what a user's install holds and nothing of the test tools.
DIST_VENV := build/dist-venv
DIST_STAMP := $(DIST_VENV)/.installed
APP_DIR := dist/sanctuary-desktop
TARBALL := dist/sanctuary-desktop-$(VERSION)-linux-$(shell uname -m).tar.gz

.PHONY: run test lint typecheck pytest demo bench screenshots dist frozen-test ci-frozen clean

run: $(RUN_STAMP)
	$(BIN)/python -m sanctuary_desktop

test: $(DEV_STAMP) lint typecheck pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check sanctuary_desktop tests packaging benchmarks
	$(BIN)/ruff format --check sanctuary_desktop tests packaging benchmarks

typecheck: $(DEV_STAMP)
	$(BIN)/mypy sanctuary_desktop

# The frozen-app test runs here when dist/ holds a build, and is skipped (with a reason)
# when it does not.
pytest: $(DEV_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

demo: $(RUN_STAMP)
	$(BIN)/python -m sanctuary_desktop demo

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/run_all.py

screenshots: $(RUN_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/screenshots.py screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,postgres]'
	touch $(DEV_STAMP)

# --- The frozen app -----------------------------------------------------------------

$(DIST_STAMP): pyproject.toml constraints.txt
	test -x $(DIST_VENV)/bin/python || $(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DIST_VENV)/bin/python -m pip install --quiet -c constraints.txt '.[dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	# The app as its wheel installs it, fresh from the sources.
	$(DIST_VENV)/bin/python -m pip install --quiet --no-deps --force-reinstall .
	rm -rf $(APP_DIR) build/icons
	QT_QPA_PLATFORM=offscreen $(DIST_VENV)/bin/pyinstaller --noconfirm --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/sanctuary-desktop.spec
	$(DIST_VENV)/bin/python packaging/make_tarball.py $(APP_DIR) build/icons $(TARBALL)

# What CI runs after `make test`: build the frozen app, then its smoke test, which fails
# (rather than skips) when the build is missing.
ci-frozen: $(DEV_STAMP) dist frozen-test

frozen-test: $(DEV_STAMP)
	SANCTUARY_FROZEN_REQUIRED=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -p no:cacheprovider \
		tests/test_frozen_app.py

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
