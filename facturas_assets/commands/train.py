"""`facturas train`: run the training job (data set, classifier with its gate, baseline) now."""

from __future__ import annotations

import click


@click.command("train")
@click.option("--epochs", type=click.IntRange(1, 200), default=None, help="Training epochs.")
def train_command(epochs: int | None) -> None:
    """Train the classifier on the labelled Drive folders; promoted only if it passes the gate."""
    import dagster as dg

    from facturas_assets.commands.instance import dagster_home
    from facturas_assets.definitions import defs

    dagster_home()
    run_config = {}
    if epochs is not None:
        run_config = {"ops": {"invoice_classifier": {"config": {"epochs": epochs}}}}
    result = defs.resolve_job_def("training_job").execute_in_process(
        instance=dg.DagsterInstance.get(), run_config=run_config, raise_on_error=False
    )
    for event in result.get_asset_materialization_events():
        metadata = event.materialization.metadata
        if "gate" in metadata:
            click.echo(f"gate: {metadata['gate'].value}")
    if not result.success:
        raise click.ClickException(f"training run {result.run_id} failed: see `make dev`")
    click.echo(f"training run {result.run_id} succeeded")
