#!/usr/bin/env bash
# Makes a virtualenv hold exactly what a lock file pins: creates it when missing, installs the
# pins without resolving anything (the lock is complete: `make lock` writes it), removes what the
# lock does not name, and installs the project itself (--editable) without its dependencies.
# Quick when nothing changed: a stamp holds the hash of the lock (and of pyproject.toml).
# Usage: scripts/venv.sh VENV LOCK [--editable]     (PYTHON picks the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$1"
lock="$2"
editable="${3:-}"
python="${PYTHON:-python3}"
stamp="$venv/.installed"
inputs=("$lock" scripts/venv.sh)
if [ "$editable" = "--editable" ]; then inputs+=(pyproject.toml); fi
hash="$(cat "${inputs[@]}" | sha256sum | cut -d' ' -f1)"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -x "$venv/bin/python" ]; then
  echo "$venv: up to date with $lock"
  exit 0
fi
echo "$venv: installing $lock"
test -x "$venv/bin/python" || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check)
# The installer tools first, at their pinned versions, then everything else as pinned.
"${pip[@]}" install -q -c "$lock" pip setuptools
"${pip[@]}" install -q --no-deps -r "$lock"
extras="$("$venv/bin/python" scripts/check_env.py --extras "$lock")"
if [ -n "$extras" ]; then
  # shellcheck disable=SC2086  # one name a line
  "${pip[@]}" uninstall -q -y $extras
fi
if [ "$editable" = "--editable" ]; then
  # No build isolation: the build uses the pinned setuptools, nothing fetched unpinned.
  "${pip[@]}" install -q --no-deps --no-build-isolation -e .
fi
"$venv/bin/python" scripts/check_env.py "$lock"
echo "$hash" >"$stamp"
