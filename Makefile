# facturas: the two commands a new user needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
CHECKOV_VENV := .venv-checkov
CHECKOV_VERSION := 3.3.30
export FACTURAS_HOME ?= $(CURDIR)/.facturas
export OMP_THREAD_LIMIT := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: setup system-packages airflow-venv demo test bench lint format dev validate clean

## setup: system packages, the virtual environments and the project (idempotent)
setup: system-packages $(STAMP) $(CHECKOV_VENV)/.installed airflow-venv

system-packages:
	bash scripts/install-system-packages.sh dev

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip setuptools wheel
	$(PIP) install -q -c requirements.lock -e '.[dev]'
	touch $@

$(CHECKOV_VENV)/.installed:
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q "checkov==$(CHECKOV_VERSION)"
	touch $@

# Apache Airflow 2.11 in its own virtualenv (as on MWAA) for the tests of mwaa/dags
airflow-venv:
	PYTHON=$(PYTHON) bash scripts/airflow-venv.sh .venv-airflow

## demo: set up, then run the main job end to end on the local default
demo: setup
	$(VENV)/bin/facturas demo

## test: the whole test suite against real services (starts MariaDB when it is not running)
test: setup
	$(PY) -m facturas_assets_tests.services ensure
	$(VENV)/bin/pytest -q -p no:cacheprovider $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo 'pytest collected no tests: failing' >&2; exit 1; fi; exit $$rc

bench: setup
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

validate: setup
	$(VENV)/bin/dagster definitions validate -m facturas_assets.definitions

## dev: the Dagster UI on http://127.0.0.1:3000 over the local environment
dev: setup
	DAGSTER_HOME=$(FACTURAS_HOME)/dagster $(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

clean:
	rm -rf $(FACTURAS_HOME) .pytest_cache
