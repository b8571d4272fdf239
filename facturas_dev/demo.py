"""`facturas demo`: the main job end to end on this machine, with a summary of what happened.

Everything runs on the local Dagster instance `make dev` opens, so the UI shows the first model
(training_job), the batch (invoice_etl_job) and a drift report (drift_job).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import click
import sqlalchemy as sa

from facturas_assets import settings
from facturas_assets.commands.instance import dagster_home


def _stage_seconds(instance, lote: str) -> dict[str, float]:
    import dagster as dg

    out: dict[str, float] = {}
    for name in ("raw_invoices", "invoice_text", "classified_invoices", "invoice_tables",
                 "invoice_rows", "drive_archive"):  # fmt: skip
        event = instance.get_latest_materialization_event(dg.AssetKey(name))
        mat = event.asset_materialization if event else None
        if mat and mat.partition == lote and "seconds" in mat.metadata:
            out[name] = float(mat.metadata["seconds"].value)
    return out


def drift_report_line(result) -> str:
    """The drift report's verdict and where its page is, for the demo's summary."""
    if not result.success:
        return f"drift report: FAILED (run {result.run_id})"
    [event] = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    verdict = metadata["verdict"].value
    statuses = set(metadata["feature_status"].value.values())
    detail = f" (every feature: {statuses.pop()})" if len(statuses) == 1 else ""
    return (
        f"drift report: {verdict}{detail}, {metadata['n_current'].value} current vs "
        f"{metadata['n_reference'].value} reference invoices\n  {metadata['report_html'].value}"
    )


def land_sample(landing, n: int, seed: int, with_bad_input: bool) -> list[str]:
    """Generated invoices (mixed renderings) and, optionally, two bad files into landing."""
    from facturas_dev.synth import generate

    keys = []
    with tempfile.TemporaryDirectory() as tmp:
        renderings = {"text-pdf": 0.6, "scan-pdf": 0.2, "scan-image": 0.2}
        for inv in generate(n, Path(tmp), seed=seed, renderings=renderings, progress=True):
            landing.write_bytes(inv.path.name, inv.path.read_bytes())
            keys.append(inv.path.name)
    if with_bad_input:
        landing.write_bytes("vacia.pdf", b"")  # an empty upload
        landing.write_bytes("no-es-factura.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
        keys += ["vacia.pdf", "no-es-factura.pdf"]
    return keys


@click.command("demo")
@click.option("--n", "n", default=40, show_default=True, help="Invoices to generate into landing.")
@click.option("--seed", default=7, show_default=True)
@click.option("--no-bad-input", is_flag=True, help="Do not add the two bad files to the sample.")
def demo_command(n: int, seed: int, no_bad_input: bool) -> None:
    """Generate invoices into landing, make sure a model exists, run the ETL for one batch."""
    import dagster as dg

    from facturas_assets.db import migrate
    from facturas_assets.db.tables import invoice_lines, invoices, quarantine
    from facturas_assets.defs.batches import ETL_JOB_NAME, batch_partitions
    from facturas_assets.pipeline.planning import plan_batches
    from facturas_assets.resources import build_resources
    from facturas_dev.bootstrap import ensure_champion

    started = time.monotonic()
    dagster_home()
    instance = dg.DagsterInstance.get()
    resources = build_resources()
    engine = resources["database"].engine()
    migrate.upgrade(engine)
    click.echo(f"local environment in {settings.home()}")

    click.echo("1/4 classifier: checking for a champion model ...")
    ensure_champion(resources, renderings=["text-pdf"], instance=instance)

    click.echo(f"2/4 landing: generating {n} invoices ...")
    land_sample(resources["landing_store"], n, seed, with_bad_input=not no_bad_input)
    plan = plan_batches(resources["landing_store"], max_files_per_batch=10_000, max_batches=1)
    if not plan.batches:
        raise click.ClickException("landing is empty: nothing to process")
    batch = plan.batches[0]

    click.echo(f"3/4 ETL: batch {batch.lote} with {len(batch.landing_keys)} files ...")
    from facturas_assets.definitions import defs

    instance.add_dynamic_partitions(batch_partitions.name, [batch.lote])
    result = defs.resolve_job_def(ETL_JOB_NAME).execute_in_process(
        instance=instance,
        partition_key=batch.lote,
        run_config={"ops": {"raw_invoices": {"config": {"landing_keys": batch.landing_keys}}}},
        raise_on_error=False,
    )
    click.echo("4/4 drift: the loaded invoices against the feature baseline ...")
    drift = defs.resolve_job_def("drift_job").execute_in_process(
        instance=instance, raise_on_error=False
    )

    with engine.connect() as conn:
        by_category = dict(
            conn.execute(
                sa.select(invoices.c.category, sa.func.count())
                .where(invoices.c.lote == batch.lote)
                .group_by(invoices.c.category)
            ).all()
        )
        pending = conn.execute(
            sa.select(sa.func.count())
            .select_from(invoices)
            .where(invoices.c.lote == batch.lote, invoices.c.status == "pending_review")
        ).scalar()
        reasons = conn.execute(
            sa.select(quarantine.c.source_key, quarantine.c.reason).where(
                quarantine.c.lote == batch.lote
            )
        ).all()
        total_invoices = conn.execute(sa.select(sa.func.count()).select_from(invoices)).scalar()
        total_lines = conn.execute(sa.select(sa.func.count()).select_from(invoice_lines)).scalar()

    click.echo("")
    click.echo(f"batch {batch.lote}: {'succeeded' if result.success else 'FAILED'}")
    click.echo(f"  documents in:  {len(batch.landing_keys)}")
    for category in settings.CATEGORIES:
        click.echo(f"  loaded {category + 's':12} {by_category.get(category, 0)}")
    click.echo(f"    of them waiting for review: {pending}")
    click.echo(f"  quarantined:   {len(reasons)}")
    for key, reason in reasons:
        click.echo(f"    - {key}: {reason}")
    click.echo(f"  rows in the database: {total_invoices} invoices, {total_lines} lines")
    click.echo("  seconds per stage:")
    for stage, seconds in _stage_seconds(instance, batch.lote).items():
        click.echo(f"    {stage:20} {seconds:7.2f}")
    click.echo(drift_report_line(drift))
    click.echo(f"  total: {time.monotonic() - started:.1f} s")
    click.echo("")
    click.echo("Open the Dagster UI on it:  make dev   (then http://127.0.0.1:3000)")
    click.echo(
        "Review what waits:  FACTURAS_API_TOKEN=<16+ characters> "
        ".venv/bin/uvicorn facturas_assets.api.app:app   (then http://127.0.0.1:8000/review)"
    )
    if not (result.success and drift.success):
        raise SystemExit(1)
