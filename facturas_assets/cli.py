"""The `facturas` command: generate, extract, classify, demo, train, requeue, db."""

from __future__ import annotations

import os

import click

from facturas_assets.settings import ConfigError


class FacturasGroup(click.Group):
    """Configuration errors end the command with one clear line instead of a stack trace."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise click.ClickException(f"configuration error: {exc}") from exc


def _quiet_tensorflow(verbose: bool) -> None:
    """TensorFlow's C++ start-up notices (oneDNN, CPU features) say nothing a user can act on.

    Set before any command imports TensorFlow; the import itself then keeps the notices that
    bypass this level off stderr (documents.classifier.quiet). `--verbose` asks for them all.
    """
    if verbose:
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "0"
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("ABSL_MIN_LOG_LEVEL", "3")


@click.group(cls=FacturasGroup)
@click.version_option(package_name="facturas", prog_name="facturas")
@click.option("--verbose", is_flag=True, help="Show libraries' own logs (TensorFlow's included).")
def main(verbose: bool) -> None:
    """facturas: the invoice data platform (FACTURAS_ENV=local|prod, FACTURAS_HOME=...)."""
    _quiet_tensorflow(verbose)


def _register() -> None:
    from facturas_assets.commands.db import db_group
    from facturas_assets.commands.extract import classify_command, extract_command
    from facturas_assets.commands.requeue import requeue_command
    from facturas_assets.commands.train import train_command

    for command in (
        extract_command,
        classify_command,
        requeue_command,
        train_command,
        db_group,
    ):
        main.add_command(command)
    for command in _development_commands():
        main.add_command(command)


def _development_commands() -> list[click.Command]:
    """`generate` and `demo` come with the development package, which the image leaves out."""
    try:
        from facturas_dev.demo import demo_command
        from facturas_dev.synth.command import generate_command
    except ModuleNotFoundError as exc:
        if exc.name is None or not exc.name.startswith("facturas_dev"):
            raise
        return [_needs_development_package(name) for name in ("generate", "demo")]
    return [generate_command, demo_command]


def _needs_development_package(name: str) -> click.Command:
    """A command that says where it lives instead of a bare 'No such command'."""

    def run() -> None:
        raise click.ClickException(
            f"`facturas {name}` is a development command: install the project from its "
            "repository (`make demo` or `pip install -e .`), not the production image"
        )

    return click.Command(name, callback=run, help="(development package not installed)")


_register()

if __name__ == "__main__":
    main()
