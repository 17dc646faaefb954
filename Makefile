# Two commands on a fresh machine: `make demo` and `make test`. Each builds .venv when needed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m edi.demo

test: $(STAMP)
	$(BIN)/ruff check edi tests bench
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check edi tests bench
	$(BIN)/ruff format --check edi tests bench

bench: $(STAMP)
	$(BIN)/python bench/bench_reader.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
