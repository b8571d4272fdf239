"""The `facturas` command's manners: its version, and a question before dropping data."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from facturas_assets.cli import main


def _tables(home: Path) -> set[str]:
    engine = sa.create_engine(f"sqlite:///{home / 'textil.sqlite'}")
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_version_names_the_installed_release() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"facturas, version {metadata.version('facturas')}"


def test_downgrade_asks_before_dropping_tables(facturas_home: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    before = _tables(facturas_home)
    assert {"invoices", "invoice_lines", "tracking"} <= before

    refused = runner.invoke(main, ["db", "downgrade", "base"], input="n\n")
    assert refused.exit_code == 1
    assert "Aborted" in refused.output
    assert _tables(facturas_home) == before

    confirmed = runner.invoke(main, ["db", "downgrade", "base", "--yes"])
    assert confirmed.exit_code == 0, confirmed.output
    assert _tables(facturas_home) == set()
