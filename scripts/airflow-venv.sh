#!/usr/bin/env bash
# Creates .venv-airflow: Apache Airflow 2.11 plus the MWAA requirements, for the compatibility tests
# of mwaa/dags (Airflow and Dagster do not share a virtualenv, as on MWAA). Idempotent: a stamp file
# holding the hash of the inputs skips the install when nothing changed.
# Usage: scripts/airflow-venv.sh [VENV_DIR]   (default .venv-airflow; PYTHON picks the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.venv-airflow}"
python="${PYTHON:-python3}"
airflow_spec="apache-airflow>=2.11,<3"
stamp="$venv/.installed"
inputs_hash="$(printf '%s\n' "$airflow_spec" | cat - mwaa/requirements.txt | sha256sum | cut -d' ' -f1)"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs_hash" ] && [ -x "$venv/bin/airflow" ]; then
  echo "airflow venv: up to date ($venv)"
  exit 0
fi
test -x "$venv/bin/python" || "$python" -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip setuptools wheel
"$venv/bin/pip" install -q "$airflow_spec" -r mwaa/requirements.txt
# A throw-away AIRFLOW_HOME: the check must not leave ~/airflow behind.
check_home="$(mktemp -d)"
version="$(AIRFLOW_HOME="$check_home" "$venv/bin/airflow" version 2>/dev/null | tail -n 1)"
rm -rf "$check_home"
echo "$inputs_hash" >"$stamp"
echo "airflow venv: apache-airflow $version in $venv"
