"""The learned number/date scorer against the rule-based pick, on layouts and sources left out.

Training data, three families of drawn layouts and real content:
- the generator's development layouts (`LAYOUTS`, drawn with `build`), text PDFs and a few scans;
- randomized layouts (`--extra-layouts`, by default `RANDOM_EXTRA`: 100 of them, 5 text PDFs each);
- HTML templates printed by Chromium (`--html`, 150 templates of seed 101, 2 text PDFs and one
  scan each);
- the dev corpus's e-invoice content drawn through the development layouts.
Each is read by the project's reader, and every candidate of `extraction/candidates.py` is
labelled by whether it equals the truth. Fitted on the development layouts and the corpus alone,
the scorer leaned on the label rules: with their features blanked it read 0.643 of one
Portuguese layout's numbers; with the drawn families it reads 0.991, and the HTML family left
out entirely is read at 0.980 against 0.947 for the rules.

Reports, per field and per text/scan, the share of documents read right by the rule-based pick
and by the scorer: leaving out folds of layouts (or one layout at a time), leaving out each
family whole (trained on the other families only), and cross-validated by corpus source (the
corpus content of the left-out sources excluded from training). `--fit` then writes the weights
trained on everything to facturas_assets/documents/extraction/field_scorer.json.

Usage: PYTHONPATH=. .venv/bin/python bench/bench_scorer.py [--per-layout N] [--scans-per-layout N]
       [--corpus-layouts K] [--corpus-scans N] [--model logistic|trees] [--fit]
       [--extra-layouts module:function] [--extra-count N] [--extra-per-layout N]
       [--html N] [--html-per-template N] [--html-scans N] [--layout-folds K] [--seed S]
The committed weights: `bench/bench_scorer.py --layout-folds 5 --fit` (defaults; ~15 min cold).
Documents read are cached under bench/.cache/scorer.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import pickle
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402
from common import CACHE_DIR, REPO, logistic_spec, table  # noqa: E402

from facturas_assets.documents.extraction import extract as extract_mod  # noqa: E402
from facturas_assets.documents.extraction.candidates import DATE, NUMBER  # noqa: E402
from facturas_assets.documents.extraction.features import (  # noqa: E402
    FEATURES,
    beside_other_label,
    feature_matrix,
)
from facturas_assets.documents.extraction.fields import labelled_lines, ocr_serial_digit  # noqa: E402
from facturas_assets.documents.extraction.header import header_candidates, rule_forms  # noqa: E402
from facturas_assets.documents.extraction.numbers import decimal_style  # noqa: E402
from facturas_assets.documents.extraction.scorer import FORMAT_VERSION, WEIGHTS  # noqa: E402
from facturas_assets.documents.extraction.table import extract_table  # noqa: E402
from facturas_assets.documents.model import DocumentRejected, InvoiceData, Page  # noqa: E402
from facturas_assets.documents.reader import read_document  # noqa: E402

CACHE = CACHE_DIR / "scorer"
DEFAULT_CORPUS = REPO.parent / "shared" / "dev-corpus"
# The randomized layouts, one per seed.
RANDOM_EXTRA = "facturas_dev.synth.random_layouts:random_layout"
FIELDS = (NUMBER, DATE)
RULE_FEATURES = ("rule_score", "rule_pick", "rule_any")
RULE_DROPOUT = 0.5  # weight of each document's rule-blind copy in training (see fit)
# Strong regularisation: with C = 1 a feature seen with one outcome only on the training
# layouts (a weak party label above a value) took weights near -10 and sank values elsewhere;
# 0.1 held up better leaving one layout out (rule-blind 0.956 against 0.909).
C_LOGISTIC = 0.1


@dataclass(slots=True)
class Doc:
    """One read document with its truth and where it came from."""

    name: str
    layout: str
    source: str  # "synth" or the corpus repository
    kind: str  # "text" or "scan"
    number: str | None
    issued: date | None
    pages: list[Page]
    ocr: bool


@dataclass(slots=True)
class Sample:
    """One document's candidate features and labels, and the rule-based pick's outcome."""

    doc: Doc
    x: dict[str, np.ndarray] = field(default_factory=dict)
    y: dict[str, np.ndarray] = field(default_factory=dict)
    rule_ok: dict[str, bool] = field(default_factory=dict)
    veto: dict[str, list[bool]] = field(default_factory=dict)  # beside another field's label
    qualified: dict[str, list[bool]] = field(default_factory=dict)
    forms: dict[str, list[int]] = field(default_factory=dict)  # the rules' reading of an id


# ------------------------------------------------------------------ documents
def _read(data: bytes, name: str) -> tuple[list[Page], bool] | None:
    """The pages of a file as the reader gives them and whether they were OCR'd."""
    try:
        doc = read_document(data, name)
    except DocumentRejected:
        return None
    return doc.pages, doc.method == "ocr"


def _cached(key: str, make: Callable[[], Doc | None]) -> Doc | None:
    """A document read once, then taken from bench/.cache/scorer (stored as a tuple of its
    fields, so that the cache reads back whichever module runs this code)."""
    path = CACHE / (hashlib.sha256(f"v2|{key}".encode()).hexdigest()[:20] + ".pkl")
    if path.exists():
        stored = pickle.loads(path.read_bytes())  # noqa: S301  # our own cache
        return None if stored is None else Doc(*stored)
    doc = make()
    CACHE.mkdir(parents=True, exist_ok=True)
    fields = None if doc is None else tuple(getattr(doc, f.name) for f in dataclass_fields(Doc))
    path.write_bytes(pickle.dumps(fields))
    return doc


def synth_docs(layouts: dict[str, Any], n: int, scans: int, seed: int) -> Iterator[Doc]:
    """n text PDFs and `scans` scans of each layout."""
    from facturas_dev.synth.generator import build, invoice_seed, render_bytes

    for name, layout in layouts.items():
        for i in range(n):
            kinds = ["text"] + (["scan"] if i < scans else [])
            for kind in kinds:

                def make(layout: Any = layout, i: int = i, kind: str = kind) -> Doc | None:
                    inv, pdf, pages = build(invoice_seed(seed, i), layout)
                    data = pdf if kind == "text" else render_bytes(inv, pdf, pages, "scan-pdf")
                    read = _read(data, f"{layout.name}-{i}.pdf")
                    if read is None:
                        return None
                    return Doc(
                        f"{layout.name}-{i}-{kind}",
                        layout.name,
                        "synth",
                        kind,
                        inv.number,
                        inv.issue_date,
                        *read,
                    )

                doc = _cached(f"synth|{name}|{seed}|{i}|{kind}|{_layout_key(layout)}", make)
                if doc is not None:
                    yield doc


def html_docs(count: int, n: int, scans: int, seed: int) -> Iterator[Doc]:
    """n text PDFs and `scans` scans of each of `count` HTML templates drawn from `seed`."""
    from bench_html_layouts import TEMPLATES_VERSION

    from facturas_dev.synth.generator import invoice_seed, render_bytes
    from facturas_dev.synth.html_generator import html_invoice, printed
    from facturas_dev.synth.html_layouts import html_layout_named, html_layout_names

    for name in html_layout_names(count, seed) if count else []:
        for i in range(n):
            for kind in ["text"] + (["scan"] if i < scans else []):

                def make(name: str = name, i: int = i, kind: str = kind) -> Doc | None:
                    layout = html_layout_named(name)
                    inv = html_invoice(invoice_seed(seed, i + 1), layout)
                    pdf, pages = printed(inv, layout)
                    data = pdf if kind == "text" else render_bytes(inv, pdf, pages, "scan-pdf")
                    read = _read(data, f"{name}-{i}.pdf")
                    if read is None:
                        return None
                    number, issued = inv.number, inv.issue_date
                    return Doc(f"{name}-{i}-{kind}", name, "synth", kind, number, issued, *read)

                doc = _cached(f"html|{name}|{seed}|{i}|{kind}|{TEMPLATES_VERSION}", make)
                if doc is not None:
                    yield doc


def _layout_key(layout: Any) -> str:
    """A digest of a layout's definition (a changed layout is drawn again)."""
    return hashlib.sha256(repr(layout).encode()).hexdigest()[:12]


def corpus_docs(corpus: Path, k: int, scans: int, seed: int) -> Iterator[Doc]:
    """The corpus content drawn through k development layouts each, and `scans` scans."""
    from facturas_dev.synth.external import (
        ExternalContentError,
        choose_layouts,
        load_corpus,
        render_external,
    )

    if not (corpus / "gt.jsonl").exists():
        print(f"no corpus at {corpus}: generated layouts only")
        return
    items = list(load_corpus(corpus))
    rng = random.Random(f"bench-scorer-scans:{seed}")
    scanned = set(rng.sample(range(len(items)), min(scans, len(items))))
    for n, (record, content) in enumerate(items):
        layouts = choose_layouts(content.id, k, seed)
        plan = [(lay, "text") for lay in layouts]
        if n in scanned:
            plan.append((layouts[0], "scan"))
        for lay, kind in plan:

            def make(content: Any = content, lay: str = lay, kind: str = kind, rec: Any = record):
                rendering = "text-pdf" if kind == "text" else "scan-pdf"
                try:
                    data, _, _ = render_external(content, lay, rendering, seed)
                except ExternalContentError:
                    return None
                read = _read(data, f"{content.id}-{lay}.pdf")
                if read is None:
                    return None
                d = content.data
                return Doc(
                    f"{content.id}-{lay}-{kind}",
                    lay,
                    rec["source"]["repo"],
                    kind,
                    d.invoice_number,
                    d.issue_date,
                    *read,
                )

            doc = _cached(f"corpus|{content.id}|{lay}|{seed}|{kind}", make)
            if doc is not None:
                yield doc


def extra_layouts(spec: str, count: int, seed: int) -> dict[str, Any]:
    """Layouts from a `module:function` source: called with no argument when `count` is 0 (it
    returns Layout objects), else once per seed (seed .. seed + count - 1, one Layout each).
    None when the module does not exist yet."""
    module, _, func = spec.partition(":")
    try:
        source = getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError) as err:
        print(f"no extra layouts ({spec}: {err})")
        return {}
    layouts = list(source()) if count == 0 else [source(seed + i) for i in range(count)]
    return {layout.name: layout for layout in layouts}


# ------------------------------------------------------------------ samples
def sample(doc: Doc) -> Sample:
    """A document's candidates as features and labels, with the rule-based pick's outcome."""
    # The pages and lines exactly as extraction sees them (OCR'd pages mended, wider cell gap).
    pages, lines = extract_mod.page_lines(doc.pages, doc.ocr)
    out = Sample(doc)
    if not lines:
        for f in FIELDS:
            out.x[f], out.y[f] = np.zeros((0, len(FEATURES[f]))), np.zeros(0, dtype=bool)
            out.rule_ok[f], out.veto[f], out.qualified[f], out.forms[f] = False, [], [], []
        return out
    table_read = extract_table(lines, decimal_style([ln.text for ln in lines]), ocr=doc.ocr)
    labels = extract_mod.header_labels(lines, table_read.used_lines)
    rule = labelled_lines(lines, labels)
    found = header_candidates(lines, labels, table_read.used_lines, pages, rule)
    picked = InvoiceData()
    picked.confidence = {}
    extract_mod.rule_header(picked, rule, lines, labels, doc.ocr)
    out.rule_ok[NUMBER] = picked.invoice_number == doc.number
    out.rule_ok[DATE] = picked.issue_date == doc.issued
    for f in FIELDS:
        cands = found.by_field[f]
        out.x[f] = feature_matrix(cands, found.context, f)
        out.veto[f] = [beside_other_label(c, found.context) for c in cands]
        out.qualified[f] = [c.qualified for c in cands]
        out.forms[f] = rule_forms(cands)
        if f == NUMBER:
            got = [ocr_serial_digit(c.value) if doc.ocr else str(c.value) for c in cands]
            out.y[f] = np.asarray([g == doc.number for g in got], dtype=bool)
        else:
            out.y[f] = np.asarray([c.value == doc.issued for c in cands], dtype=bool)
    return out


# ------------------------------------------------------------------ models
def fit(
    samples: list[Sample], f: str, model: str, rule_dropout: float | None = None
) -> dict[str, Any]:
    """A model of one field fitted on the candidates of `samples`, as its JSON spec."""
    from sklearn.ensemble import GradientBoostingClassifier

    from facturas_assets.documents.extraction.scorer import FieldModel

    xs = [s.x[f] for s in samples if s.y[f].any()]  # documents with a right candidate
    ys = [s.y[f] for s in samples if s.y[f].any()]
    # Every document weighs the same, however many candidates it has.
    ws = [np.full(len(y), 1.0 / len(y)) for y in ys]
    rule_dropout = RULE_DROPOUT if rule_dropout is None else rule_dropout
    if rule_dropout:
        # Each document once more as if no label rule had found anything: the weights must
        # also stand where the rules fail (layouts they were not written for).
        rule_cols = [FEATURES[f].index(n) for n in RULE_FEATURES]
        blind = [x.copy() for x in xs]
        for x in blind:
            x[:, rule_cols] = 0.0
        xs, ys, ws = xs + blind, ys + ys, ws + [w * rule_dropout for w in ws]
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    w = w * len(w) / w.sum()
    if model == "logistic":
        return logistic_spec(x, y, C_LOGISTIC, max_iter=2000, sample_weight=w)
    gb = GradientBoostingClassifier(
        n_estimators=120, max_depth=3, learning_rate=0.1, subsample=0.8, random_state=0
    )
    gb.fit(x, y, sample_weight=w)
    prior = float(np.average(y, weights=w))
    trees = []
    for est in gb.estimators_[:, 0]:
        t = est.tree_
        trees.append(
            {
                "feature": t.feature.tolist(),
                "threshold": t.threshold.tolist(),
                "left": t.children_left.tolist(),
                "right": t.children_right.tolist(),
                "value": t.value[:, 0, 0].round(6).tolist(),
            }
        )
    spec = {
        "type": "trees",
        "init": float(np.log(prior / (1 - prior))),
        "learning_rate": gb.learning_rate,
        "trees": trees,
    }
    # The numpy walk of the trees must give scikit-learn's own log-odds.
    assert np.allclose(
        FieldModel(FEATURES[f], spec).log_odds(x[:500]), gb.decision_function(x[:500]), atol=1e-3
    )
    return spec


def picks_ok(
    samples: list[Sample], f: str, spec: dict[str, Any], blind: bool = False
) -> list[bool]:
    """Whether the model's top candidate is right, per document; `blind`: with the rule-based
    features zeroed, as on a layout where no label rule finds anything."""
    from facturas_assets.documents.extraction.header import MIN_PROBABILITY, choose
    from facturas_assets.documents.extraction.scorer import FieldModel

    model = FieldModel(FEATURES[f], spec)
    out = []
    for s in samples:
        if not len(s.y[f]):
            out.append(False)
            continue
        x = s.x[f]
        if blind:
            x = x.copy()
            x[:, [FEATURES[f].index(n) for n in RULE_FEATURES]] = 0.0
        probs = model.probabilities(x)
        # Blind, the rules read nothing: no reading of theirs to defer to.
        forms = None if blind else s.forms[f]
        best = choose(probs, s.veto[f], s.qualified[f], MIN_PROBABILITY[f], forms)
        # Where no candidate is likely, the extractor falls back to the rule-based pick.
        # (Not so when blind: the rules are taken to have failed too.)
        fallback = s.rule_ok[f] and not blind
        out.append(fallback if best is None else bool(s.y[f][best]))
    return out


# ------------------------------------------------------------------ evaluation
class Score:
    """Right documents per (field, kind) for the rules, the scorer and any candidate."""

    def __init__(self) -> None:
        self.n: dict[tuple[str, str], int] = defaultdict(int)
        self.rule: dict[tuple[str, str], int] = defaultdict(int)
        self.learned: dict[tuple[str, str], int] = defaultdict(int)
        self.reach: dict[tuple[str, str], int] = defaultdict(int)
        self.blind: dict[tuple[str, str], int] = defaultdict(int)

    def add(
        self, samples: list[Sample], f: str, ok: list[bool], blind: list[bool] | None = None
    ) -> None:
        """Count one test fold (and the rule-blind picks when given)."""
        for n, (s, good) in enumerate(zip(samples, ok, strict=True)):
            self.blind[(f, s.doc.kind)] += bool(blind and blind[n])
            key = (f, s.doc.kind)
            self.n[key] += 1
            self.rule[key] += s.rule_ok[f]
            self.learned[key] += good
            self.reach[key] += bool(s.y[f].any())

    def rows(self, title: str) -> list[list[Any]]:
        """Table rows: field, kind, documents, rule, scorer, rule-blind scorer, reachable."""
        return [
            [
                title,
                f,
                kind,
                self.n[(f, kind)],
                self.rule[(f, kind)] / self.n[(f, kind)],
                self.learned[(f, kind)] / self.n[(f, kind)],
                self.blind[(f, kind)] / self.n[(f, kind)],
                self.reach[(f, kind)] / self.n[(f, kind)],
            ]
            for f in FIELDS
            for kind in ("text", "scan")
            if self.n[(f, kind)]
        ]

    def figures(self) -> dict[str, Any]:
        """The figures as JSON-able numbers."""
        return {
            f"{f}/{kind}": {
                "docs": n,
                "rule": self.rule[(f, kind)] / n,
                "scorer": self.learned[(f, kind)] / n,
                "scorer_rule_blind": self.blind[(f, kind)] / n,
                "reachable": self.reach[(f, kind)] / n,
            }
            for (f, kind), n in self.n.items()
            if n
        }


def leave_one_out(
    samples: list[Sample], key: Callable[[Sample], str], model: str, folds: int | None = None
) -> tuple[Score, dict[str, Score]]:
    """Train without one group (or one fold of groups), test on it; per group scores too."""
    groups = sorted({key(s) for s in samples})
    if folds:
        rng = random.Random(0)
        shuffled = rng.sample(groups, len(groups))
        chunks = [shuffled[i::folds] for i in range(folds)]
    else:
        chunks = [[g] for g in groups]
    total, per = Score(), {}
    for chunk in chunks:
        test = [s for s in samples if key(s) in chunk]
        train = [s for s in samples if key(s) not in chunk]
        if not test:
            continue
        for f in FIELDS:
            spec = fit(train, f, model)
            ok, blind = picks_ok(test, f, spec), picks_ok(test, f, spec, blind=True)
            total.add(test, f, ok, blind)
            for g in chunk:
                idx = [i for i, s in enumerate(test) if key(s) == g]
                per.setdefault(g, Score()).add(
                    [test[i] for i in idx], f, [ok[i] for i in idx], [blind[i] for i in idx]
                )
    return total, per


def by_source(samples: list[Sample], model: str, folds: int) -> Score:
    """Corpus content of a fold of sources left out of training (generated invoices kept)."""
    corpus = [s for s in samples if s.doc.source != "synth"]
    synth = [s for s in samples if s.doc.source == "synth"]
    repos = sorted({s.doc.source for s in corpus})
    shuffled = random.Random(1).sample(repos, len(repos))
    score = Score()
    for i in range(folds):
        held = set(shuffled[i::folds])
        test = [s for s in corpus if s.doc.source in held]
        train = synth + [s for s in corpus if s.doc.source not in held]
        for f in FIELDS:
            spec = fit(train, f, model)
            score.add(test, f, picks_ok(test, f, spec), picks_ok(test, f, spec, blind=True))
    return score


HEADERS = ["", "field", "kind", "docs", "rules", "scorer", "rule-blind", "reachable"]


def family(layout: str) -> str:
    """A layout's family: "known" for the generator's own, else its drawn kind ("html:*")."""
    return layout.split(":")[0] + ":*" if ":" in layout else "known"


def families(per_layout: dict[str, Score]) -> dict[str, Score]:
    """Per-layout scores summed by family."""
    out: dict[str, Score] = {}
    for name, score in sorted(per_layout.items()):
        total = out.setdefault(family(name), Score())
        for counts in ("n", "rule", "learned", "reach", "blind"):
            for key, value in getattr(score, counts).items():
                getattr(total, counts)[key] += value
    return out


def _set_rule_dropout(weight: float) -> None:
    """The rule dropout every fit of this run uses."""
    global RULE_DROPOUT
    RULE_DROPOUT = weight


def main() -> int:
    """Build the samples, report the cross-validated figures, optionally fit and write."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-layout", type=int, default=40, help="text PDFs per layout")
    parser.add_argument("--scans-per-layout", type=int, default=4)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--corpus-layouts", type=int, default=3, help="layouts per content")
    parser.add_argument("--corpus-scans", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", choices=("logistic", "trees"), default="logistic")
    parser.add_argument(
        "--extra-layouts", default=RANDOM_EXTRA, help="module:function giving a Layout per seed"
    )
    parser.add_argument(
        "--extra-count", type=int, default=100, help="extra layouts, one per seed (0: all it gives)"
    )
    parser.add_argument(
        "--extra-per-layout",
        type=int,
        default=5,
        help="text PDFs per extra layout (0: --per-layout)",
    )
    parser.add_argument(
        "--rule-dropout",
        type=float,
        default=RULE_DROPOUT,
        help="weight of each document's copy with the rule-based features zeroed (0: none)",
    )
    parser.add_argument(
        "--html", type=int, default=150, help="HTML templates drawn from --html-seed (0: none)"
    )
    parser.add_argument("--html-seed", type=int, default=101)
    parser.add_argument("--html-per-template", type=int, default=2, help="text PDFs each")
    parser.add_argument("--html-scans", type=int, default=1, help="scans of each template")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    parser.add_argument(
        "--layout-folds",
        type=int,
        default=0,
        help="leave out folds of layouts instead of one layout at a time (0: one at a time)",
    )
    parser.add_argument(
        "--without",
        default="",
        help="comma-separated features zeroed (an ablation: e.g. rule_score,rule_pick,rule_any)",
    )
    parser.add_argument("--fit", action="store_true", help="write the weights fitted on all")
    args = parser.parse_args()
    _set_rule_dropout(args.rule_dropout)

    from facturas_dev.synth.layouts import LAYOUTS

    layouts = dict(LAYOUTS)
    extra = (
        extra_layouts(args.extra_layouts, args.extra_count, args.seed) if args.extra_layouts else {}
    )
    started = time.monotonic()
    docs = [
        *synth_docs(layouts, args.per_layout, args.scans_per_layout, args.seed),
        *synth_docs(extra, args.extra_per_layout or args.per_layout, 0, args.seed),
        *corpus_docs(args.corpus, args.corpus_layouts, args.corpus_scans, args.seed),
        *html_docs(args.html, args.html_per_template, args.html_scans, args.html_seed),
    ]
    print(f"{len(docs)} documents read in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    samples = [sample(d) for d in docs]
    print(f"features in {time.monotonic() - started:.0f} s")
    dropped = [name for name in args.without.split(",") if name]
    for f in FIELDS:
        cols = [FEATURES[f].index(n) for n in dropped if n in FEATURES[f]]
        for s in samples:
            s.x[f][:, cols] = 0.0
    counts = defaultdict(int)
    for s in samples:
        counts[(s.doc.source == "synth", s.doc.kind)] += 1
    print(
        "documents: "
        + ", ".join(f"{'generated' if k[0] else 'corpus'} {k[1]} {v}" for k, v in counts.items())
        + f"; {len(layouts)} layouts (+{len(extra)} extra)"
    )
    results: dict[str, Any] = {}
    if not args.no_cv:
        lolo, per_layout = leave_one_out(
            samples, lambda s: s.doc.layout, args.model, args.layout_folds or None
        )
        rows = lolo.rows(
            f"leave {args.layout_folds} folds of layouts out"
            if args.layout_folds
            else "leave one layout out"
        )
        if len({family(s.doc.layout) for s in samples}) > 1:
            # Each family of layouts judged by a scorer that never saw one of its kind.
            by_family, per_family = leave_one_out(
                samples, lambda s: family(s.doc.layout), args.model
            )
            for name, score in per_family.items():
                rows += score.rows(f"{name} left out")
            results["leave_one_family_out"] = by_family.figures()
        src = by_source(samples, args.model, folds=5)
        rows += src.rows("by corpus source (5 folds)")
        print(table(rows, HEADERS))
        print("\nper family of left-out layouts")
        fam_rows = [
            [name, *r[1:]] for name, score in families(per_layout).items() for r in score.rows("")
        ]
        print(table(fam_rows, HEADERS))
        print("\nper left-out layout (text)")
        per_rows = [
            [name, *r[1:]]
            for name, score in sorted(per_layout.items())
            for r in score.rows("")
            if r[2] == "text" and ":" not in name
        ]
        print(table(per_rows, HEADERS))
        results |= {
            "leave_one_layout_out": lolo.figures(),
            "per_layout": {k: v.figures() for k, v in per_layout.items()},
            "by_source": src.figures(),
        }
    if args.fit:
        write_weights(samples, args, layouts, extra)
    out = CACHE.parent.parent / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"scorer-{args.model}-{stamp}.json").write_text(
        json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, **results}, indent=2)
    )
    return 0


def write_weights(
    samples: list[Sample], args: argparse.Namespace, layouts: dict, extra: dict
) -> None:
    """Fit both fields on every sample and write field_scorer.json."""
    kinds = defaultdict(int)
    for s in samples:
        kinds[s.doc.kind] += 1
    body = {
        "format_version": FORMAT_VERSION,
        "trained_on": (
            f"{len(samples)} documents ({dict(kinds)}): {args.per_layout} generated invoices "
            f"of each of {len(layouts)} development layouts (+{len(extra)} extra), "
            f"{args.scans_per_layout} scanned; {args.html} HTML templates (seed {args.html_seed}) "
            f"x {args.html_per_template}, {args.html_scans} scanned each; "
            f"the dev corpus's e-invoice content drawn through "
            f"{args.corpus_layouts} layouts each, {args.corpus_scans} scanned; seed {args.seed}; "
            f"{args.model} (C {C_LOGISTIC}), each document also rule-blind at weight "
            f"{RULE_DROPOUT}"
        ),
        "written": datetime.now(UTC).strftime("%Y-%m-%d"),
        "fields": {
            f: {"features": list(FEATURES[f]), "model": fit(samples, f, args.model)} for f in FIELDS
        },
    }
    WEIGHTS.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    print(f"weights written to {WEIGHTS} ({WEIGHTS.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    sys.exit(main())
