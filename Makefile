# The two commands: `make run` opens the app, `make test` runs every check.
# Both create .venv on first use and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest demo bench screenshots clean

run: $(STAMP)
	$(BIN)/python -m sanctuary_desktop

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check sanctuary_desktop tests packaging benchmarks
	$(BIN)/ruff format --check sanctuary_desktop tests packaging benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy sanctuary_desktop

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

demo: $(STAMP)
	$(BIN)/python -m sanctuary_desktop demo

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/screenshots.py screenshots

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache
