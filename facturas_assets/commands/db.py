"""`facturas db upgrade|downgrade|current`: the `textil` schema migrations."""

from __future__ import annotations

import click


def _engine():
    from facturas_assets.resources import build_resources

    return build_resources()["database"].engine()


@click.group("db")
def db_group() -> None:
    """Schema migrations of the textil database (this environment's database)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Migrate up to REVISION (default: head)."""
    from facturas_assets.db import migrate

    migrate.upgrade(_engine(), revision)
    click.echo(f"database at {migrate.current_revision(_engine())}")


@db_group.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Do not ask: drop what the downgrade removes.")
def downgrade(revision: str, yes: bool) -> None:
    """Migrate down to REVISION ('base' removes every table). Asks first: data is dropped."""
    from facturas_assets.db import migrate

    if not yes:
        click.confirm(
            f"Downgrading to {revision!r} drops the tables and columns added after it, with their "
            "data. Go on?",
            abort=True,
        )
    migrate.downgrade(_engine(), revision)
    click.echo(f"database at {migrate.current_revision(_engine())}")


@db_group.command("current")
def current() -> None:
    """Print the database's revision."""
    from facturas_assets.db import migrate

    click.echo(migrate.current_revision(_engine()) or "empty (no migration applied)")
