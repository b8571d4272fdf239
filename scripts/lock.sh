#!/usr/bin/env bash
# Refreshes lock files from their loose inputs, each resolved in a throw-away virtualenv and
# frozen whole (installer tools included), so every environment installs from exact pins.
#   main     requirements.lock           <- pyproject.toml, extra [dev]        (.venv)
#   checkov  requirements-checkov.lock   <- requirements-checkov.in            (.venv-checkov)
#   airflow  requirements-airflow.lock   <- requirements-airflow.in            (.venv-airflow)
# Usage: scripts/lock.sh [main] [checkov] [airflow]   (default: all three; PYTHON picks Python)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"

lock_one() {
  local out="$1" source="$2"
  shift 2
  local tmp
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  echo "lock: resolving $out from $source"
  "$python" -m venv "$tmp/venv"
  "$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip setuptools
  "$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check "$@"
  "$tmp/venv/bin/python" -m pip check
  {
    echo "# Every distribution of the environment, pinned: written by \`make lock\` from $source"
    echo "# with $("$tmp/venv/bin/python" -V). Do not edit by hand; \`make setup\` installs exactly this."
    "$tmp/venv/bin/python" -m pip freeze --all --exclude-editable --disable-pip-version-check
  } >"$out"
  echo "lock: $out has $(grep -c '==' "$out") pins"
}

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then targets=(main checkov airflow); fi
for target in "${targets[@]}"; do
  case "$target" in
    main) lock_one requirements.lock "pyproject.toml [dev]" -e '.[dev]' ;;
    checkov) lock_one requirements-checkov.lock requirements-checkov.in -r requirements-checkov.in ;;
    airflow) lock_one requirements-airflow.lock requirements-airflow.in -r requirements-airflow.in ;;
    *) echo "lock: unknown target $target (main, checkov, airflow)" >&2; exit 2 ;;
  esac
done
