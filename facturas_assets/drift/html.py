"""A self-contained HTML drift report: verdict, results table and one small plot per feature.

Plots are PNGs inlined as base64 (no external files, opens from S3 or e-mail as is); figures
are small and histograms are drawn from binned counts, so 20 features over 100,000 invoices
stay well under 1 MB and a few seconds.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from facturas_assets.drift.report import DriftReport, FeatureDrift
from facturas_assets.drift.review_activity import review_html
from facturas_assets.drift.statistics import MISSING, OTHER

_REFERENCE_COLOR = "#4c72b0"
_CURRENT_COLOR = "#dd8452"
_FIGSIZE = (6.0, 1.9)  # inches
_DPI = 72
_BINS = 40
_MAX_BARS = 12
_ECDF_POINTS = 200

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;max-width:1000px}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
th{background:#f4f4f4}.verdict{display:inline-block;padding:.2rem .6rem;border-radius:.3rem;color:#fff;font-weight:600}
.no_drift{background:#2e7d32}.drift{background:#c62828}.insufficient_data{background:#757575}
tr.drifted td{background:#fdecea}tr.not-enough-data td{color:#757575}.muted{color:#666;font-size:.85rem}img{display:block;max-width:100%}
"""


def _new_figure(columns: int) -> tuple[Figure, list]:
    """A small figure with fixed margins (automatic layout would cost a second full draw)."""
    figure = Figure(figsize=_FIGSIZE)
    figure.subplots_adjust(left=0.07, right=0.98, bottom=0.16, top=0.86, wspace=0.18)
    axes = list(np.atleast_1d(figure.subplots(1, columns)))
    for ax in axes:
        ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_locator(MaxNLocator(3))
        ax.tick_params(labelsize=7, length=2, pad=1)
    return figure, axes


def _png(figure: Figure) -> str:
    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _numeric_plot(reference: np.ndarray, current: np.ndarray, name: str) -> Figure:
    """Density histograms on shared bins (central 99 % of the values) and both ECDFs."""
    figure, (hist_ax, ecdf_ax) = _new_figure(2)
    both = np.concatenate([reference, current])
    if both.size == 0:
        hist_ax.text(0.5, 0.5, "no values", ha="center", va="center")
        return figure
    low, high = np.percentile(both, [0.5, 99.5])
    if not high > low:
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, _BINS + 1)
    for values, color, label in (
        (reference, _REFERENCE_COLOR, "reference"),
        (current, _CURRENT_COLOR, "current"),
    ):
        if values.size == 0:
            continue
        # Values beyond the shown range are left out of the drawing but not of the density.
        counts, _ = np.histogram(values, bins=edges)
        density = counts / (values.size * np.diff(edges))
        hist_ax.stairs(
            density,
            edges,
            color=color,
            fill=label == "reference",
            alpha=0.55,
            label=label,
            linewidth=1.2,
        )
        quantiles = np.linspace(0, 1, _ECDF_POINTS)
        ecdf_ax.plot(np.quantile(values, quantiles), quantiles, color=color, linewidth=1.2)
    hist_ax.set_title(f"{name}: density", fontsize=8)
    ecdf_ax.set_title(f"{name}: ECDF", fontsize=8)
    hist_ax.legend(fontsize=7, frameon=False)
    return figure


def _categorical_plot(reference: pd.Series, current: pd.Series, name: str) -> Figure:
    """Side-by-side bars of category shares (the largest categories, the rest as OTHER)."""
    figure, (ax,) = _new_figure(1)
    ref = reference.fillna(MISSING).astype(str).value_counts(normalize=True)
    cur = current.fillna(MISSING).astype(str).value_counts(normalize=True)
    shares = pd.concat([ref, cur], axis=1, keys=["reference", "current"]).fillna(0.0)
    shares = shares.sort_values("reference", ascending=False, kind="stable")
    if len(shares) > _MAX_BARS:
        head = shares.iloc[: _MAX_BARS - 1]
        rest = shares.iloc[_MAX_BARS - 1 :].sum().to_frame(OTHER).T
        shares = pd.concat([head, rest])
    x = np.arange(len(shares))
    ax.bar(x - 0.2, shares["reference"], width=0.4, color=_REFERENCE_COLOR, label="reference")
    ax.bar(x + 0.2, shares["current"], width=0.4, color=_CURRENT_COLOR, label="current")
    ax.set_xticks(x, [str(i)[:14] for i in shares.index], fontsize=7)
    ax.set_title(f"{name}: share of invoices", fontsize=8)
    ax.legend(fontsize=7, frameon=False)
    return figure


def feature_plot(kind: str, reference: pd.Series, current: pd.Series, name: str) -> str:
    """Base64 PNG of one feature, reference vs current."""
    if kind == "numeric":
        ref = reference.to_numpy(dtype=float, na_value=np.nan)
        cur = current.to_numpy(dtype=float, na_value=np.nan)
        figure = _numeric_plot(ref[~np.isnan(ref)], cur[~np.isnan(cur)], name)
    else:
        figure = _categorical_plot(reference, current, name)
    return _png(figure)


def _fmt(value: float | None, digits: int = 3) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if 0 < abs(value) < 1e-4:
        return f"{value:.1e}"
    return f"{value:.{digits}g}"


def _feature_row(f: FeatureDrift) -> str:
    cells = [
        f.name,
        f.kind,
        f.test,
        _fmt(f.statistic),
        _fmt(f.p_value),
        _fmt(f.p_adjusted),
        f"{_fmt(f.effect_size)} ({'σ W1' if f.effect_measure == 'wasserstein_normed' else 'PSI'})",
        _fmt(f.effect_floor),
        f"{f.missing_reference:.1%} / {f.missing_current:.1%}",
        f.status,
    ]
    css = f' class="{_status_class(f)}"' if f.status != "stable" else ""
    return f"<tr{css}>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"


def _status_class(f: FeatureDrift) -> str:
    """CSS class of a feature's status ('not enough data' -> 'not-enough-data')."""
    return f.status.replace(" ", "-")


def _key_values(pairs: Mapping[str, object]) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in pairs.items()
    )
    return f"<table>{rows}</table>"


def render_html(report: DriftReport, reference: pd.DataFrame, current: pd.DataFrame) -> str:
    """The report as one HTML page with a plot per feature (reference vs current)."""
    m = report.multivariate
    joint = (
        f"AUC {_fmt(m.auc)} (threshold {_fmt(m.threshold)}, p {_fmt(m.p_value)}, "
        f"{m.n_reference} reference / {m.n_current} current rows, {m.folds}-fold CV): "
        f"{'drift' if m.drifted else 'no joint drift'}"
        if m.auc is not None
        else f"not run: {m.skipped_reason}"
    )
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Invoice drift report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Invoice drift report</h1>",
        f"<p><span class='verdict {report.verdict}'>{html.escape(report.verdict)}</span> ",
        f"{report.n_current} current vs {report.n_reference} reference invoices; ",
        f"generated {html.escape(report.generated_at)}.</p>",
    ]
    if report.reasons:
        parts.append("<ul>" + "".join(f"<li>{html.escape(r)}</li>" for r in report.reasons))
        parts.append("</ul>")
    parts += [
        f"<p><b>Multivariate check</b> (domain classifier): {html.escape(joint)}</p>",
        "<h2>Features</h2>",
        "<p class='muted'>A feature drifts when its Benjamini-Hochberg adjusted p-value is below ",
        f"{_fmt(report.settings.alpha)} and its effect size reaches the floor.</p>",
        "<table><tr><th>feature</th><th>kind</th><th>test</th><th>statistic</th><th>p</th>",
        "<th>p (BH)</th><th>effect</th><th>floor</th><th>missing ref / cur</th>",
        "<th>status</th></tr>",
        *(_feature_row(f) for f in report.features),
        "</table>",
        "<h2>Distributions</h2>",
    ]
    for f in report.features:
        image = feature_plot(f.kind, reference[f.name], current[f.name], f.name)
        parts.append(
            f"<h3>{html.escape(f.name)} <span class='muted status'>({html.escape(f.status)})"
            "</span></h3>"
            f"<img class='feature-plot' data-feature='{html.escape(f.name, quote=True)}' "
            f"alt='{html.escape(f.name, quote=True)}: reference vs current' "
            f"src='data:image/png;base64,{image}'>"
        )
    if report.review is not None:
        parts.append(review_html(report.review))
    parts += [
        "<h2>Settings</h2>",
        _key_values(report.settings.to_dict()),
    ]
    if report.feature_set:
        parts += ["<h2>Feature set</h2>", _key_values(report.feature_set)]
    if report.context:
        parts += ["<h2>Context</h2>", _key_values(report.context)]
    parts.append("</body></html>")
    return "\n".join(parts)
