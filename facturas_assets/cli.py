"""The `facturas` command: generate, extract, classify, demo, train, requeue, db."""

from __future__ import annotations

import click

from facturas_assets.settings import ConfigError


class FacturasGroup(click.Group):
    """Configuration errors end the command with one clear line instead of a stack trace."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise click.ClickException(f"configuration error: {exc}") from exc


@click.group(cls=FacturasGroup)
def main() -> None:
    """facturas: the invoice data platform (FACTURAS_ENV=local|prod, FACTURAS_HOME=...)."""


def _register() -> None:
    from facturas_assets.commands.db import db_group
    from facturas_assets.commands.demo import demo_command
    from facturas_assets.commands.extract import classify_command, extract_command
    from facturas_assets.commands.requeue import requeue_command
    from facturas_assets.commands.train import train_command
    from facturas_assets.synth.command import generate_command

    for command in (
        generate_command,
        extract_command,
        classify_command,
        demo_command,
        requeue_command,
        train_command,
        db_group,
    ):
        main.add_command(command)


_register()

if __name__ == "__main__":
    main()
