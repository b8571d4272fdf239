"""The production image holds the runtime package only: no generator, demo or accuracy code."""

from __future__ import annotations

import fnmatch
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Imports every runtime module with the development package made unimportable, as in the image.
_IMPORT_ALL_WITHOUT_DEV = """
import importlib, pkgutil, sys
sys.modules["facturas_dev"] = None
import facturas_assets
skipped = ("facturas_assets.db.migrations",)
for info in pkgutil.walk_packages(facturas_assets.__path__, "facturas_assets."):
    if not info.name.startswith(skipped):
        importlib.import_module(info.name)
from facturas_assets.definitions import defs
assert defs.resolve_asset_graph().get_all_asset_keys()
print("imported")
"""


def _build_context(dest: Path) -> None:
    """Copy what .dockerignore lets into the build context (its '*' then '!path' form)."""
    admitted = [
        line[1:].rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.startswith("!")
    ]
    for path in admitted:
        source = ROOT / path
        if source.is_dir():
            shutil.copytree(
                source, dest / path, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            (dest / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / path)


def test_the_image_wheel_holds_no_development_code(tmp_path: Path) -> None:
    context, wheels = tmp_path / "context", tmp_path / "wheels"
    _build_context(context)
    (context / "README.md").touch()  # as the Dockerfile's build stage does
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(context),
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("facturas-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "facturas_assets/definitions.py" in names
    assert not [n for n in names if n.startswith("facturas_dev")]
    assert not fnmatch.filter(names, "*synth*") and not fnmatch.filter(names, "*accuracy*")


def test_the_runtime_package_imports_without_the_development_package() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL_WITHOUT_DEV],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("imported")


def test_development_commands_say_where_they_live_without_the_package() -> None:
    script = (
        "import sys; sys.modules['facturas_dev'] = None; "
        "from facturas_assets.cli import main; main(['demo'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "development command" in done.stderr
