# Two commands on a fresh machine: `make demo` and `make test`. Each builds .venv when needed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-oldest lint bench clean

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

# The same tests with each runtime dependency at the oldest version pyproject.toml admits.
OLDEST := .venv-oldest
$(OLDEST)/.installed: pyproject.toml .ci/oldest.py
	$(PY) -m venv $(OLDEST)
	$(OLDEST)/bin/pip install -q --upgrade pip
	$(PY) .ci/oldest.py > $(OLDEST)/constraints.txt
	$(OLDEST)/bin/pip install -q -c $(OLDEST)/constraints.txt -e '.[test]'
	touch $@

test-oldest: $(OLDEST)/.installed
	$(OLDEST)/bin/pytest

lint: $(STAMP)
	$(BIN)/ruff check edi tests bench
	$(BIN)/ruff format --check edi tests bench

bench: $(STAMP)
	$(BIN)/python bench/bench_reader.py

clean:
	rm -rf $(VENV) $(OLDEST) .venv-* build *.egg-info .pytest_cache .hypothesis
