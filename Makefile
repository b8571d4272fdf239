# facturas: the two commands a new user needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Each virtualenv and the lock file it installs exactly (`make lock` refreshes the locks).
CHECKOV_VENV := .venv-checkov
AIRFLOW_VENV := .venv-airflow
export FACTURAS_HOME ?= $(CURDIR)/.facturas
export OMP_THREAD_LIMIT := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: setup system-packages venv checkov-venv airflow-venv check-env lock demo demo-packages test bench \
	lint format dev validate snapshot clean

## setup: system packages and every virtualenv, each exactly as its lock pins (idempotent)
setup: system-packages venv checkov-venv airflow-venv

system-packages:
	bash scripts/install-system-packages.sh dev

## venv: the platform's virtualenv (.venv) with the project installed editable
venv:
	PYTHON=$(PYTHON) bash scripts/venv.sh $(VENV) requirements.lock --editable

checkov-venv:
	PYTHON=$(PYTHON) bash scripts/venv.sh $(CHECKOV_VENV) requirements-checkov.lock

# Apache Airflow as on MWAA, in its own virtualenv, for the tests of mwaa/dags
airflow-venv:
	PYTHON=$(PYTHON) bash scripts/venv.sh $(AIRFLOW_VENV) requirements-airflow.lock

## check-env: fail on the first virtualenv that differs from its lock (one line naming the drift)
check-env:
	$(PY) scripts/check_env.py requirements.lock
	$(CHECKOV_VENV)/bin/python scripts/check_env.py requirements-checkov.lock
	$(AIRFLOW_VENV)/bin/python scripts/check_env.py requirements-airflow.lock

## lock: re-resolve every lock file from its loose inputs (then `make setup` installs them)
lock:
	PYTHON=$(PYTHON) bash scripts/lock.sh

## demo: what the demo needs (system packages, .venv), then the main job end to end, locally
demo: demo-packages venv
	$(VENV)/bin/facturas demo

demo-packages:
	bash scripts/install-system-packages.sh demo

## test: the whole test suite against real services (starts MariaDB when it is not running)
test: setup check-env
	$(PY) -m facturas_assets_tests.services ensure
	$(VENV)/bin/pytest -q -p no:cacheprovider $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo 'pytest collected no tests: failing' >&2; exit 1; fi; exit $$rc

bench: venv
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## validate: load the code location as the webserver does, and as `dg` sees the project
# The local instance (not the repo's prod dagster.yaml, which needs the MySQL run storage).
validate: venv
	mkdir -p $(FACTURAS_HOME)/dagster
	DAGSTER_HOME=$(FACTURAS_HOME)/dagster $(VENV)/bin/dagster definitions validate \
		-m facturas_assets.definitions
	DAGSTER_HOME=$(FACTURAS_HOME)/dagster $(VENV)/bin/dg check defs

## snapshot: rewrite the committed snapshot of the definitions after an intended graph change
snapshot: venv
	FACTURAS_UPDATE_SNAPSHOT=1 $(PY) -m pytest -q -p no:cacheprovider \
		facturas_assets_tests/test_definitions.py -k snapshot

## dev: the Dagster UI on http://127.0.0.1:3000 over the local environment
dev: venv
	DAGSTER_HOME=$(FACTURAS_HOME)/dagster $(PY) -c \
	  'from facturas_assets.commands.instance import dagster_home; dagster_home()'
	DAGSTER_HOME=$(FACTURAS_HOME)/dagster $(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

clean:
	rm -rf $(FACTURAS_HOME) .pytest_cache
