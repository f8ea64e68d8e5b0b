PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean

# Reinstall only when the package metadata changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/asyncmig plan
	$(BIN)/asyncmig apply --phase 1 --dry-run

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Benchmarks are not tests: they time asyncmig against its peers on the stdlib.
bench: $(STAMP)
	$(BIN)/python -m pip install -q ruff
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/scan.py
	$(BIN)/python bench/fileio.py
	$(BIN)/python bench/trace.py
	$(BIN)/python bench/service.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .asyncmig_cache
