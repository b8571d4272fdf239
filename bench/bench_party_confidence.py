"""The party-name confidence model: how well it tells right names from wrong, and its fit.

Reads generated invoices of development layouts only: the known layouts not held out and
randomized layouts of `--seed` (the sets and read cache of bench_review.py's fit), plus HTML
templates (`--html N` of bench_html_layouts.py's, seed `--seed`). Each seller and buyer name
the extractor picks is recorded with its evidence (party_confidence.NameEvidence) and labelled
right or wrong against the truth. Reports, per role and per reading method, the share right,
the ROC AUC of the old score (label strength times OCR certainty) and of the model
cross-validated by layout group, and the share of names to set aside to leave 99 % of the rest
right. `--fit` writes the weights fitted on everything to
facturas_assets/documents/extraction/party_confidence.json.

Usage: PYTHONPATH=. .venv/bin/python bench/bench_party_confidence.py [--fit] [--text N]
       [--scans N] [--random-layouts N] [--html N] [--html-scans N] [--seed S] [--C C]
Recorded evidence is cached under bench/.cache/party-confidence.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402
from bench_review import CACHE as REVIEW_CACHE  # noqa: E402
from bench_review import corpus, family_files  # noqa: E402
from common import CACHE_DIR, logistic_spec, table  # noqa: E402

from facturas_assets.documents.cache import ReadCache  # noqa: E402
from facturas_assets.documents.extraction import extract_invoice  # noqa: E402
from facturas_assets.documents.extraction.memory import ReadingMemory  # noqa: E402
from facturas_assets.documents.extraction.party_confidence import (  # noqa: E402
    FEATURES,
    FORMAT_VERSION,
    WEIGHTS,
    NameEvidence,
    name_features,
    recording,
)
from facturas_assets.documents.extraction.scorer import FieldModel  # noqa: E402
from facturas_assets.documents.model import DocumentRejected  # noqa: E402
from facturas_assets.documents.reader import read_documents  # noqa: E402
from facturas_assets.documents.validation import validate  # noqa: E402
from facturas_dev.accuracy import same_text  # noqa: E402
from facturas_dev.synth.layouts import HELD_OUT_LAYOUTS, LAYOUTS  # noqa: E402
from facturas_dev.synth.random_layouts import random_layout_names  # noqa: E402

CACHE = CACHE_DIR / "party-confidence"
TARGET = 0.99
C_LOGISTIC = 0.3
RECORDING = "candidates-1"  # what record() keeps: bump when that changes


def record(files: list[Path], method_hint: str) -> list[dict]:
    """(evidence, method, layout, right?, picked?) of every name judged in `files`, as dicts:
    the names extraction picks and the candidates its second look weighs."""
    cache = ReadCache(REVIEW_CACHE / "read-cache")
    memory = ReadingMemory()
    out: list[dict] = []
    for doc in read_documents(((str(p), p) for p in files), cache=cache):
        if isinstance(doc, DocumentRejected):
            continue
        truth_path = Path(doc.source).with_name(Path(doc.source).stem + ".truth.json")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        with recording() as rows:
            data = validate(extract_invoice(doc, memory, calibrated=False))
        for evidence, _ in rows:
            true_name = (truth.get(evidence.role) or {}).get("name")
            out.append(
                {
                    "evidence": dataclasses.asdict(evidence),
                    "method": doc.method,
                    "layout": str(truth.get("layout", method_hint)),
                    "right": same_text(evidence.text, true_name),
                    "truth": true_name,
                    # the name extraction gave (else a candidate its second look weighed)
                    "picked": getattr(data, evidence.role).name == evidence.text,
                }
            )
    return out


def cached(tag: str, files: list[Path], method_hint: str) -> list[dict]:
    """record() of `files`, cached by `tag`, the files' paths and the features recorded."""
    key = "\n".join([*map(str, files), *FEATURES, RECORDING])
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    path = CACHE / f"{tag}-{digest}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    rows = record(files, method_hint)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows), encoding="utf-8")
    return rows


def samples(args: argparse.Namespace) -> list[dict]:
    """Every recorded name of the development sets."""
    seen = [name for name in LAYOUTS if name not in HELD_OUT_LAYOUTS]
    randomized = random_layout_names(args.random_layouts, args.seed)
    out: list[dict] = []
    for kind, n in (("text", args.text), ("scan", args.scans)):
        if n > 0:
            out += cached(f"known-{kind}-{n}-{args.seed}", corpus(kind, n, args.seed, seen), kind)
            files = corpus(kind, n, args.seed, randomized)
            out += cached(f"random-{kind}-{n}-{args.seed}", files, kind)
    for family, text, scans in (
        ("html", args.html, args.html_scans),
        ("office", args.office, args.office_scans),
    ):
        printed = family_files(family, text, scans, args.seed)
        for kind, n in (("text", text), ("scan", scans)):
            if n > 0:
                files = [path for k, path in printed if k == kind]
                out += cached(f"{family}-{kind}-{n}-{args.seed}", files, kind)
    return out


def matrix(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows and labels."""
    x = np.asarray([name_features(NameEvidence(**r["evidence"])) for r in rows], dtype=float)
    y = np.asarray([r["right"] for r in rows], dtype=float)
    return x, y


def fit_spec(x: np.ndarray, y: np.ndarray, c: float) -> dict:
    """A logistic regression on standardised features, as the scorer's JSON spec."""
    return logistic_spec(x, y, c, max_iter=5000)


def group_of(row: dict) -> str:
    """A cross-validation group: the layout, the HTML templates' and randomized ones binned."""
    layout = row["layout"]
    if ":" in layout:
        prefix, seed = layout.split(":", 1)
        return f"{prefix}:{int(hashlib.sha256(seed.encode()).hexdigest(), 16) % 5}"
    return layout


def cross_validated(rows: list[dict], c: float) -> np.ndarray:
    """Each name's model probability, fitted without its layout group."""
    x, y = matrix(rows)
    groups = np.asarray([group_of(r) for r in rows])
    out = np.zeros(len(rows))
    for g in sorted(set(groups)):
        test = groups == g
        if y[~test].min() == y[~test].max():
            out[test] = y[~test].mean()
            continue
        model = FieldModel(FEATURES, fit_spec(x[~test], y[~test], c))
        out[test] = model.probabilities(x[test])
    return out


def family_of(row: dict) -> str:
    """The family of a name's layout: known, random, html or office."""
    return row["layout"].split(":", 1)[0] if ":" in row["layout"] else "known"


def by_family(rows: list[dict], c: float) -> None:
    """Each family's picked names judged by a model fitted on the other families only: how the
    confidence carries over to layouts of a kind it never saw."""
    x, y = matrix(rows)
    families = np.asarray([family_of(r) for r in rows])
    picked = np.asarray([r.get("picked", True) for r in rows])
    body = []
    for family in sorted(set(families)):
        test = families == family
        if y[~test].min() == y[~test].max():
            continue
        model = FieldModel(FEATURES, fit_spec(x[~test], y[~test], c))
        judged = test & picked
        score = model.probabilities(x[judged])
        body.append(
            [
                family,
                int(judged.sum()),
                f"{y[judged].mean():.1%}",
                auc(score, y[judged]),
                f"{set_aside(score, y[judged]):.1%}",
            ]
        )
    print("each family left out of the fit (its picked names):")
    print(table(body, ["family", "names", "right", "AUC", "set aside"]))


def auc(score: np.ndarray, y: np.ndarray) -> float:
    """The ROC AUC (ties counted half)."""
    pos, neg = score[y == 1], score[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def set_aside(score: np.ndarray, y: np.ndarray, target: float = TARGET) -> float:
    """The least share of names, the lowest scored first, to set aside for `target` right."""
    order = np.argsort(score, kind="stable")
    ys = y[order]
    n = len(ys)
    for k in range(n + 1):
        kept = ys[k:]
        if not len(kept) or kept.mean() >= target:
            return k / n
    return 1.0


def report(rows: list[dict], model: np.ndarray) -> None:
    """AUC and set-aside share of the old score and the model, per role and method."""
    old = np.asarray(
        [0.9 * r["evidence"]["strength"] * r["evidence"]["block_ocr"] for r in rows], dtype=float
    )
    y = np.asarray([r["right"] for r in rows], dtype=float)
    body = []
    for role in ("seller", "buyer", None):
        for method in ("text", "ocr", None):
            keep = np.asarray(
                [
                    (role is None or r["evidence"]["role"] == role)
                    and (method is None or r["method"] == method)
                    for r in rows
                ]
            )
            if not keep.any():
                continue
            body.append(
                [
                    role or "both",
                    method or "both",
                    int(keep.sum()),
                    f"{y[keep].mean():.1%}",
                    auc(old[keep], y[keep]),
                    auc(model[keep], y[keep]),
                    f"{set_aside(old[keep], y[keep]):.1%}",
                    f"{set_aside(model[keep], y[keep]):.1%}",
                ]
            )
    headers = ["role", "method", "names", "right", "AUC old", "AUC model"]
    headers += ["set aside old", "set aside model"]
    print(table(body, headers))


def main() -> int:
    """Record, report cross-validated figures, and with --fit write the weights."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fit", action="store_true", help="write the fitted weights")
    parser.add_argument("--text", type=int, default=300)
    parser.add_argument("--scans", type=int, default=120)
    parser.add_argument("--random-layouts", type=int, default=80)
    parser.add_argument("--html", type=int, default=360, help="HTML-template text PDFs")
    parser.add_argument("--html-scans", type=int, default=60)
    parser.add_argument("--office", type=int, default=0, help="office-template text PDFs")
    parser.add_argument("--office-scans", type=int, default=0)
    parser.add_argument("--seed", type=int, default=1919)
    parser.add_argument("--C", type=float, default=C_LOGISTIC, dest="c")
    args = parser.parse_args()
    rows = samples(args)
    picked = np.asarray([r.get("picked", True) for r in rows])
    print(f"{len(rows)} names recorded, {int(picked.sum())} of them picked")
    print("the names picked (the model fitted on every name recorded, by layout group):")
    report(
        [r for r, p in zip(rows, picked, strict=True) if p], cross_validated(rows, args.c)[picked]
    )
    by_family(rows, args.c)
    if args.fit:
        x, y = matrix(rows)
        spec = fit_spec(x, y, args.c)
        body = {
            "format_version": FORMAT_VERSION,
            "features": list(FEATURES),
            "trained_on": (
                f"known and {args.random_layouts} randomized layouts seed {args.seed} "
                f"({args.text} text, {args.scans} scans each), {args.html} HTML-template text "
                f"PDFs and {args.html_scans} scans, {args.office} office-template text PDFs and "
                f"{args.office_scans} scans; {len(rows)} names"
            ),
            "model": spec,
        }
        WEIGHTS.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
        print(f"weights -> {WEIGHTS}")
        for name, coef in sorted(zip(FEATURES, spec["coef"], strict=True), key=lambda t: t[1]):
            print(f"  {name:18} {coef:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
