"""Field confidence calibration and the review trade-off on generated invoices.

`--fit` reads a fitting set (text PDFs and scans of the layouts *not* held out, `--fit-seed`),
fits the per-field calibration and writes it to the package (documents/extraction/calibration.json).
Then, on an evaluation set of the held-out layouts with another seed (`--seed`), it reports per
field the reliability curve (PNG) and the expected calibration error, raw and calibrated, and the
trade-off of the review threshold: for each minimum core-field confidence, the share of loaded
documents sent to review and the share of wrong fields in the documents that are not.

The category's uncertain band is left out (no classifier runs here): the trade-off is that of the
extraction alone. Usage:
  python bench/bench_review.py [--fit] [--text N] [--scans N] [--seed S] [--plot PNG]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from common import CACHE_DIR, RESULTS_DIR, generated_set, table, write_results  # noqa: E402

from facturas_assets.documents.cache import ReadCache  # noqa: E402
from facturas_assets.documents.extraction import extract_invoice  # noqa: E402
from facturas_assets.documents.extraction.calibration import (  # noqa: E402
    DEFAULT_FILE,
    Calibration,
    expected_calibration_error,
    fit,
    reliability_curve,
)
from facturas_assets.documents.extraction.memory import ReadingMemory  # noqa: E402
from facturas_assets.documents.model import DocumentRejected, InvoiceData  # noqa: E402
from facturas_assets.documents.reader import read_documents  # noqa: E402
from facturas_assets.documents.validation import is_blocking, validate  # noqa: E402
from facturas_assets.pipeline.review import review_reasons  # noqa: E402
from facturas_assets.settings import ReviewSettings  # noqa: E402
from facturas_dev.accuracy import (  # noqa: E402
    CORE_FIELDS,
    PARTY_FIELDS,
    compare,
)
from facturas_dev.synth.excluded_layouts import EXCLUDED_LAYOUTS  # noqa: E402
from facturas_dev.synth.layouts import HELD_OUT_LAYOUTS, LAYOUTS  # noqa: E402

# Where the trade-off is measured: the old held-out layouts (seen while developing the reader)
# or the layouts excluded from all development (the honest figure for unseen layouts).
EVALUATION_LAYOUTS = {"held-out": tuple(HELD_OUT_LAYOUTS), "excluded": tuple(EXCLUDED_LAYOUTS)}

CACHE = CACHE_DIR / "review"
SCORED_FIELDS = (*CORE_FIELDS, *PARTY_FIELDS)
THRESHOLDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)
TARGET = 0.99  # of the fields of documents not sent to review, right


@dataclasses.dataclass
class Scored:
    """One document: how it was read, its raw reading, and which fields are right."""

    method: str
    data: InvoiceData
    right: dict[str, bool]


def corpus(kind: str, n: int, seed: int, layouts: list[str]) -> list[Path]:
    """Generated files of one kind ('text' or 'scan') from `layouts`, generated on first use."""
    tags = {frozenset(v): k for k, v in EVALUATION_LAYOUTS.items()}
    tag = tags.get(frozenset(layouts), "seen")
    folder = CACHE / f"{tag}-{kind}-{n}-seed{seed}"
    return generated_set(folder, kind, n, seed, layouts)


def score(text: int, scans: int, seed: int, layouts: list[str]) -> list[Scored]:
    """Read text PDFs then scans (mended by what the text taught, as the pipeline does)."""
    import json

    cache = ReadCache(CACHE / "read-cache")
    memory = ReadingMemory()
    out: list[Scored] = []
    for kind, n in (("text", text), ("scan", scans)):
        if n <= 0:
            continue
        files = corpus(kind, n, seed, layouts)
        for doc in read_documents(((str(p), p) for p in files), cache=cache):
            if isinstance(doc, DocumentRejected):
                continue
            truth_path = Path(doc.source).with_name(Path(doc.source).stem + ".truth.json")
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            data = validate(extract_invoice(doc, memory, calibrated=False))
            scores = compare(truth, data)
            right = {name: value == 1.0 for name, value in scores.items()}
            out.append(Scored(doc.method, data, right))
    return out


def pairs(docs: list[Scored], calibration: Calibration | None) -> list[tuple[str, float, bool]]:
    """("method/field", confidence, right?) for every scored field with a confidence."""
    found = []
    for doc in docs:
        confidence = calibrated(doc, calibration).confidence
        for name, right in doc.right.items():
            if name in confidence:
                found.append((f"{doc.method}/{name}", confidence[name], right))
    return found


def calibrated(doc: Scored, calibration: Calibration | None) -> InvoiceData:
    """A copy of the raw reading with `calibration` applied (None: raw)."""
    data = dataclasses.replace(doc.data, confidence=dict(doc.data.confidence))
    if calibration is not None:
        calibration.apply(data, doc.method)
    return data


def trade_off(
    docs: list[Scored], calibration: Calibration, thresholds: tuple[float, ...] = THRESHOLDS
) -> list[dict[str, float]]:
    """Per threshold: review rate of loaded documents, wrong fields let through, their share."""
    rows = []
    for threshold in thresholds:
        settings = ReviewSettings(min_field_confidence=threshold)
        loaded = reviewed = fields = wrong = docs_wrong = core_wrong = 0
        for doc in docs:
            data = calibrated(doc, calibration)
            if is_blocking(data):
                continue  # quarantined: neither loaded nor reviewed
            loaded += 1
            if review_reasons(data, 1.0, settings):
                reviewed += 1
                continue
            missed = sum(not doc.right.get(name, True) for name in SCORED_FIELDS)
            fields += sum(name in doc.right for name in SCORED_FIELDS)
            wrong += missed
            core_wrong += sum(not doc.right.get(name, True) for name in CORE_FIELDS)
            docs_wrong += bool(missed)
        rows.append(
            {
                "threshold": threshold,
                "loaded": loaded,
                "review_rate": reviewed / loaded if loaded else 0.0,
                "fields_right_not_reviewed": 1 - wrong / fields if fields else 1.0,
                "fields_not_reviewed": fields,
                "wrong_fields_let_through": wrong,
                "wrong_core_fields_let_through": core_wrong,
                "docs_with_a_wrong_field_let_through": docs_wrong,
            }
        )
    return rows


def calibration_report(
    docs: list[Scored], calibration: Calibration
) -> tuple[list[list[object]], dict[str, dict[str, list]]]:
    """ECE per method/field raw and calibrated, and the reliability curves for the plot."""
    raw: dict[str, tuple[list[float], list[bool]]] = {}
    cal: dict[str, tuple[list[float], list[bool]]] = {}
    for target, calib in ((raw, None), (cal, calibration)):
        for key, conf, right in pairs(docs, calib):
            target.setdefault(key, ([], []))
            target[key][0].append(conf)
            target[key][1].append(right)
    rows: list[list[object]] = []
    curves: dict[str, dict[str, list]] = {}
    for key in sorted(raw):
        (rc, rr), (cc, cr) = raw[key], cal[key]
        rows.append(
            [
                key,
                len(rr),
                sum(rr) / len(rr),
                expected_calibration_error(rc, rr),
                expected_calibration_error(cc, cr),
            ]
        )
        curves[key] = {"raw": reliability_curve(rc, rr), "calibrated": reliability_curve(cc, cr)}
    return rows, curves


def plot(curves: dict[str, dict[str, list]], path: Path) -> None:
    """One reliability diagram per method/field: raw and calibrated against the diagonal."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = sorted(curves)
    cols = 4
    rows = (len(keys) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 3.4 * rows), squeeze=False)
    for ax, key in zip(axes.flat, keys, strict=False):
        ax.plot([0, 1], [0, 1], color="grey", linewidth=0.8, linestyle=":")
        for name, style in (("raw", "o--"), ("calibrated", "s-")):
            points = curves[key][name]
            ax.plot([p[0] for p in points], [p[1] for p in points], style, label=name, ms=4)
        ax.set_title(key, fontsize=9)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("confidence", fontsize=8)
        ax.set_ylabel("share right", fontsize=8)
    for ax in list(axes.flat)[len(keys) :]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)


def main() -> int:
    """Fit (with --fit), then evaluate on held-out layouts and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fit", action="store_true", help="fit and write calibration.json")
    parser.add_argument("--fit-text", type=int, default=300)
    parser.add_argument("--fit-scans", type=int, default=120)
    parser.add_argument("--fit-seed", type=int, default=1919)
    parser.add_argument("--text", type=int, default=150)
    parser.add_argument("--scans", type=int, default=120)
    parser.add_argument("--seed", type=int, default=2727)
    parser.add_argument("--plot", type=Path, default=RESULTS_DIR / "reliability.png")
    parser.add_argument(
        "--evaluate",
        choices=sorted(EVALUATION_LAYOUTS),
        default="excluded",
        help="layouts of the evaluation set (default: excluded from all development)",
    )
    args = parser.parse_args()
    if args.seed == args.fit_seed:
        parser.error("the evaluation seed must differ from the fitting seed")
    if args.fit:
        seen = [name for name in LAYOUTS if name not in HELD_OUT_LAYOUTS]
        fit_docs = score(args.fit_text, args.fit_scans, args.fit_seed, seen)
        calibration = fit(pairs(fit_docs, None))
        DEFAULT_FILE.write_text(calibration.to_json(), encoding="utf-8")
        print(f"fitted {len(calibration.maps)} field maps on {len(fit_docs)} documents")
        print(f"  layouts {', '.join(seen)}, seed {args.fit_seed} -> {DEFAULT_FILE}")
    calibration = Calibration.from_json(DEFAULT_FILE.read_text(encoding="utf-8"))
    evaluated = list(EVALUATION_LAYOUTS[args.evaluate])
    docs = score(args.text, args.scans, args.seed, evaluated)
    print(
        f"\nevaluation: {len(docs)} documents of the {args.evaluate} layouts "
        f"({', '.join(evaluated)}), seed {args.seed}"
    )
    rows, curves = calibration_report(docs, calibration)
    print(table(rows, ["method/field", "n", "share right", "ECE raw", "ECE calibrated"]))
    plot(curves, args.plot)
    print(f"reliability curves: {args.plot}")
    off = trade_off(docs, calibration)
    print(
        "\nreview threshold (minimum calibrated core-field confidence), documents not quarantined;"
        f"\nfields scored: {', '.join(SCORED_FIELDS)} (core: {', '.join(CORE_FIELDS)})"
    )
    print(
        table(
            [
                [
                    r["threshold"],
                    f"{r['review_rate']:.1%}",
                    f"{r['fields_right_not_reviewed']:.2%}",
                    r["wrong_fields_let_through"],
                    r["wrong_core_fields_let_through"],
                    r["docs_with_a_wrong_field_let_through"],
                ]
                for r in off
            ],
            [
                "threshold",
                "review rate",
                "fields right, not reviewed",
                "wrong let through",
                "of them core",
                "docs",
            ],
        )
    )
    chosen = ReviewSettings.from_env().min_field_confidence
    current = trade_off(docs, calibration, (chosen,))[0]
    print(
        f"\nsettings' threshold {chosen}: review rate {current['review_rate']:.1%}, "
        f"{current['fields_right_not_reviewed']:.2%} of the fields of documents not sent to "
        f"review right (target {TARGET:.0%})"
    )
    write_results(
        "review",
        {
            "seed": args.seed,
            "evaluated_layouts": args.evaluate,
            "documents": len(docs),
            "ece": rows,
            "trade_off": off,
            "settings_threshold": current,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
