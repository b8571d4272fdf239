"""The `facturas generate` command: write synthetic invoices with ground truth into a folder."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import click

from facturas_dev.synth.generator import DEFAULT_RENDERING_WEIGHTS, RENDERINGS, generate
from facturas_dev.synth.layouts import HELD_OUT_LAYOUTS, LAYOUTS

PROGRESS_FROM = 50  # runs at least this long show progress on stderr


def _names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def _renderings(value: str | None) -> dict[str, float] | list[str] | None:
    """`text-pdf,scan-pdf` (equal shares) or `text-pdf=0.8,scan-image=0.2` (weights)."""
    names = _names(value)
    if names is None:
        return None
    if any("=" in n for n in names):
        weights = {}
        for item in names:
            key, _, raw = item.partition("=")
            try:
                weights[key.strip()] = float(raw)
            except ValueError:
                raise click.BadParameter(
                    f"weight of {key!r} is not a number: {raw!r}", param_hint="--renderings"
                ) from None
        return weights
    return names


@click.command("generate")
@click.option("--n", "n", type=click.IntRange(min=0), required=True, help="How many invoices.")
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output folder."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same invoices.")
@click.option(
    "--renderings",
    default=None,
    help=f"Comma list of {', '.join(RENDERINGS)}, optionally with weights (text-pdf=0.8,scan-pdf=0.2). "
    f"Default: {', '.join(f'{k}={v}' for k, v in DEFAULT_RENDERING_WEIGHTS.items())}.",
)
@click.option(
    "--layouts",
    default=None,
    help=f"Comma list of layouts (default all): {', '.join(LAYOUTS)}; "
    "random:<seed> names a randomized layout.",
)
@click.option("--exclude-layouts", default=None, help="Comma list of layouts to leave out.")
@click.option(
    "--held-out-only",
    is_flag=True,
    help=f"Only the held-out layouts: {', '.join(HELD_OUT_LAYOUTS)}.",
)
@click.option(
    "--categories", default=None, help="Comma list of preventiva, correctiva (default both)."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes (default: 2 for large runs).",
)
def generate_command(
    n: int,
    out: Path,
    seed: int,
    renderings: str | None,
    layouts: str | None,
    exclude_layouts: str | None,
    held_out_only: bool,
    categories: str | None,
    workers: int | None,
) -> None:
    """Generate synthetic invoices (PDFs and scans) with exact ground truth beside each file."""
    chosen = _names(layouts)
    if held_out_only:
        if chosen is not None:
            raise click.UsageError("--held-out-only and --layouts cannot be combined")
        chosen = list(HELD_OUT_LAYOUTS)
    started = time.perf_counter()
    try:
        results = generate(
            n,
            out,
            seed=seed,
            layouts=chosen,
            exclude_layouts=_names(exclude_layouts) or (),
            renderings=_renderings(renderings),
            categories=_names(categories),
            workers=workers,
            progress=n >= PROGRESS_FROM,
        )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    elapsed = time.perf_counter() - started
    cats = Counter(r.truth["category"] for r in results)
    rends = Counter(r.truth["rendering"] for r in results)
    n_layouts = len({r.truth["layout"] for r in results})
    click.echo(
        f"generated {len(results)} invoices in {out} ({elapsed:.1f} s): "
        + ", ".join(f"{k} {v}" for k, v in sorted(cats.items()))
        + "; "
        + ", ".join(f"{k} {v}" for k, v in sorted(rends.items()))
        + f"; {n_layouts} layouts; seed {seed}"
    )
