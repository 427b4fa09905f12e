# Two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export SHOPLEDGER_TEST_PG_URL ?=

.PHONY: setup run test test-fast lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: setup
	$(BIN)/shopledger init
	$(BIN)/shopledger demo --if-empty
	$(BIN)/shopledger serve

test: setup
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider

test-fast: setup
	$(BIN)/python -m pytest -x -q -m "unit"

bench: setup
	$(BIN)/python bench/import_orders.py --orders 100000

clean:
	rm -rf $(VENV) var/*.db*
