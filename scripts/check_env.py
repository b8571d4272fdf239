"""Does this interpreter's environment hold exactly what a lock file pins? (stdlib only)

Run it with the environment's own interpreter: `VENV/bin/python scripts/check_env.py LOCK`.
Exit 0 when every pinned distribution is installed at its version, nothing else is installed
(editable installs of the project aside) and `pip check` finds no broken requirement; else one
line naming the drift, exit 1. `--extras` prints the installed distributions the lock does not
name, one a line (what a sync removes).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

# Shown at most this many of each kind of drift, so the message stays one readable line.
SHOWN = 6


def normalize(name: str) -> str:
    """PEP 503 name: case, '_' and '.' do not tell distributions apart."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path) -> dict[str, str]:
    """name -> version of every `name==version` line (comments and pip options skipped)."""
    pins: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        name, sep, version = line.partition("==")
        if not sep:
            raise SystemExit(f"{path}: not a pin: {raw!r} (a lock holds name==version lines)")
        pins[normalize(name.split("[", 1)[0])] = version.strip()
    return pins


def _editable(dist: metadata.Distribution) -> bool:
    direct = json.loads(dist.read_text("direct_url.json") or "{}")
    return bool(direct.get("dir_info", {}).get("editable"))


def installed() -> tuple[dict[str, str], set[str]]:
    """name -> version of every distribution on sys.path, and the names installed editable."""
    found: dict[str, str] = {}
    editable: set[str] = set()
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        key = normalize(name)
        found.setdefault(key, dist.version)
        if _editable(dist):
            editable.add(key)
    return found, editable


def drift(pins: dict[str, str], have: dict[str, str], editable: set[str]) -> list[str]:
    """What differs between the lock and the environment, most telling first."""
    wrong = [
        f"{n} {have[n]} (lock {v})" for n, v in sorted(pins.items()) if n in have and have[n] != v
    ]
    missing = [f"{n}=={v}" for n, v in sorted(pins.items()) if n not in have]
    extra = [f"{n}=={have[n]}" for n in sorted(set(have) - set(pins) - editable)]
    parts = []
    for label, items in (
        ("at other versions", wrong),
        ("missing", missing),
        ("not in the lock", extra),
    ):
        if items:
            more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
            parts.append(f"{label}: {', '.join(items[:SHOWN])}{more}")
    return parts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path)
    parser.add_argument("--extras", action="store_true", help="list what the lock does not name")
    args = parser.parse_args()
    pins = read_lock(args.lock)
    have, editable = installed()
    if args.extras:
        print("\n".join(sorted(set(have) - set(pins) - editable)))
        return 0
    env = Path(sys.prefix).name
    parts = drift(pins, have, editable)
    if parts:
        print(f"{env} drifts from {args.lock}: {'; '.join(parts)}. Run `make setup`.")
        return 1
    check = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    if check.returncode != 0:
        first = (check.stdout or check.stderr).strip().splitlines()[0]
        print(f"{env}: pip check: {first}. Refresh the locks with `make lock`.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
