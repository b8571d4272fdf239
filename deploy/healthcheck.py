"""Container health check for every role of the one image, chosen by FACTURAS_ROLE."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request

# role -> local URL that answers 200 when the process is healthy
HTTP_CHECKS = {
    "api": "http://127.0.0.1:8000/health",
    "webserver": "http://127.0.0.1:3000/server_info",
    "mlflow": "http://127.0.0.1:5000/health",
}
# role -> command that exits 0 when the process is healthy
COMMAND_CHECKS = {
    "code-server": ["dagster", "api", "grpc-health-check", "--port", "4000"],
    "daemon": ["dagster-daemon", "liveness-check"],
}
# Roles without a long-running server (one Dagster run, a one-off admin task): nothing to probe.
NO_CHECK = {"run", "task"}


def http_ok(url: str, timeout: float = 5.0) -> bool:
    """True when GET `url` answers 200 within `timeout` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return False


def check(role: str) -> bool:
    """Whether the process of `role` is healthy; an unknown role is a configuration error."""
    if role in HTTP_CHECKS:
        return http_ok(HTTP_CHECKS[role])
    if role in COMMAND_CHECKS:
        done = subprocess.run(COMMAND_CHECKS[role], capture_output=True, timeout=20, check=False)
        return done.returncode == 0
    if role in NO_CHECK:
        return True
    known = ", ".join(sorted([*HTTP_CHECKS, *COMMAND_CHECKS, *NO_CHECK]))
    raise SystemExit(f"FACTURAS_ROLE={role!r} is not a known role (use one of: {known})")


def main() -> int:
    """Exit 0 when healthy, 1 otherwise (the Docker / ECS health check contract)."""
    return 0 if check(os.environ.get("FACTURAS_ROLE", "api")) else 1


if __name__ == "__main__":
    sys.exit(main())
