"""`facturas requeue`: put quarantined documents back into landing after a fix."""

from __future__ import annotations

import click


@click.command("requeue")
@click.option("--sha256", "sha256s", multiple=True, help="Content hash of a document (repeatable).")
@click.option("--lote", default=None, help="Every quarantined document of this batch.")
def requeue_command(sha256s: tuple[str, ...], lote: str | None) -> None:
    """Re-queue quarantined documents: they land again and the next batch processes them."""
    from facturas_assets.pipeline.quarantine import requeue
    from facturas_assets.resources import build_resources

    if not sha256s and not lote:
        raise click.UsageError("name the documents: --sha256 HASH (repeatable) and/or --lote LOTE")
    resources = build_resources()
    keys = requeue(
        resources["landing_store"],
        resources["database"].engine(),
        sha256s=list(sha256s) or None,
        lote=lote,
    )
    for key in keys:
        click.echo(f"re-queued {key}")
    click.echo(f"{len(keys)} documents back in landing")
