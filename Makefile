# The two commands: `make demo` runs the product end to end, `make test` runs the tests.
# Both create .venv and install the project on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,jax]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m beatclassifier demo

test: $(STAMP) lint
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(STAMP)
	$(PY) -m benchmarks.import_csv
	$(PY) -m benchmarks.ingest_requests
	$(PY) -m benchmarks.views
	$(PY) -m benchmarks.grid
	$(PY) -m benchmarks.predict
