"""Classifier benchmark: Keras vs TF-IDF + logistic regression on wording and layouts never trained on.

Generates N text-PDF invoices (default 2,000): a pool from every layout except HELD_OUT_LAYOUTS and
a test set from the held-out layouts. Texts are read once (the reader caches them by sha256). Two
splits are scored, both models training on the same texts for each:

* layouts: train on the pool, test on the held-out layouts;
* wording: the generator's work-line templates (preventive, corrective, worn; per language) are
  split, a third of each list and the whole of HELD_OUT_LANGUAGE kept out. Training takes the
  invoices of the pool that use none of the held-out wording; the test takes the invoices of both
  sets whose every work line is held-out wording (or in the held-out language).

Each row gives accuracy, and with the uncertain band of settings the accuracy on the answered
invoices and the share sent to review; acc_noisy is on the test texts with OCR-like noise.
Targets (wording split): Keras answered accuracy >= 0.99 with <= 5 % sent to review, Keras above
the baseline; training about a minute on 2 cores. Last, the demo's figure: the model `facturas
demo` trains first (ensure_champion: 300 text PDFs, seed 0, its train share) scored on the demo's
own 40 invoices (seed 7, text PDFs and scans).

    python bench/bench_classifier.py [--n 2000] [--seed 0] [--workdir .facturas/bench/classifier]
        [--no-demo]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

TEST_SHARE = 0.25
NOISE_RATE = 0.06  # share of characters dropped or misread in the noisy copy of the test texts
HELD_OUT_LANGUAGE = "pt"  # no Portuguese invoice is trained on in the wording split
HELD_OUT_TEMPLATE_SHARE = 1 / 3
TASK_KINDS = ("preventive", "corrective", "worn")
# What `facturas demo` does (facturas_dev/demo.py, facturas_dev/bootstrap.py, TrainingConfig).
DEMO_TRAIN_N, DEMO_TRAIN_SEED, DEMO_EPOCHS = 300, 0, 12
DEMO_N, DEMO_SEED = 40, 7
DEMO_RENDERINGS = {"text-pdf": 0.6, "scan-pdf": 0.2, "scan-image": 0.2}


def read_texts(files: list, cache_dir: Path) -> tuple[list[str], list[str], float]:
    """Texts and labels of generated invoices (cached by sha256), and the seconds it took."""
    from facturas_assets.documents.cache import ReadCache
    from facturas_assets.documents.classifier import classifier_text
    from facturas_assets.documents.model import DocumentRejected
    from facturas_assets.documents.reader import read_documents

    started = time.perf_counter()
    items = [(str(f.path), Path(f.path)) for f in files]
    texts, labels = [], []
    for f, result in zip(files, read_documents(items, cache=ReadCache(cache_dir)), strict=True):
        if isinstance(result, DocumentRejected):
            print(f"  unreadable {f.path}: {result}", file=sys.stderr)
            continue
        texts.append(classifier_text(result))
        labels.append(f.truth["category"])
    return texts, labels, time.perf_counter() - started


def generated(n: int, out: Path, seed: int, **kwargs: object) -> list:
    """The generator's invoices for (n, seed), reused from an earlier run when already in `out`."""
    import json

    from facturas_dev import synth
    from facturas_dev.synth import GeneratedInvoice

    marker = out / "complete.json"
    if marker.exists() and json.loads(marker.read_text()) == {"n": n, "seed": seed}:
        documents = {p.name.split(".")[0]: p for p in out.iterdir() if not p.name.endswith(".json")}
        truths = sorted(out.glob("*.truth.json"))
        return [
            GeneratedInvoice(
                documents[t.name.removesuffix(".truth.json")], t, json.loads(t.read_text())
            )
            for t in truths
        ]
    files = synth.generate(n, out, seed=seed, **kwargs)
    marker.write_text(json.dumps({"n": n, "seed": seed}))
    return files


def template_patterns() -> dict[tuple[str, str, int], re.Pattern[str]]:
    """(kind, language, index) of each work-line template of the generator -> a regex of its text."""
    from facturas_dev.synth import catalog

    pools = {
        "preventive": catalog.PREVENTIVE,
        "corrective": catalog.CORRECTIVE,
        "worn": catalog.WORN,
    }
    out = {}
    for kind, pool in pools.items():
        for lang, templates in pool.items():
            for i, template in enumerate(templates):
                parts = re.split(r"\{[a-z_]+\}", template)
                out[(kind, lang, i)] = re.compile(".+?".join(re.escape(p) for p in parts))
    return out


def line_templates(truth: dict, patterns: dict) -> set[tuple[str, str, int]]:
    """The work-line templates an invoice's lines were written from (parts, travel... have none)."""
    found = set()
    for line in truth["lines"]:
        text = line.get("description") or ""
        for key, pattern in patterns.items():
            if key[1] == truth["language"] and pattern.match(text):
                found.add(key)
                break
    return found


def held_out_templates(patterns: dict, seed: int) -> set[tuple[str, str, int]]:
    """A third of each (kind, language) list of templates (at least one), drawn with the seed."""
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list[int]] = {}
    for kind, lang, i in patterns:
        groups.setdefault((kind, lang), []).append(i)
    held = set()
    for (kind, lang), indices in sorted(groups.items()):
        k = max(1, round(len(indices) * HELD_OUT_TEMPLATE_SHARE))
        held |= {(kind, lang, i) for i in rng.sample(sorted(indices), k)}
    return held


def wording_split(pool: list, others: list, seed: int) -> tuple[list, list, dict]:
    """(train, test, facts) of the wording split over generated invoices (see the module doc)."""
    patterns = template_patterns()
    held = held_out_templates(patterns, seed)
    train, test = [], []
    for in_pool, files in ((True, pool), (False, others)):
        for f in files:
            used = line_templates(f.truth, patterns)
            if f.truth["language"] == HELD_OUT_LANGUAGE or (used and used <= held):
                test.append(f)
            elif in_pool and not used & held:
                train.append(f)
    facts = {"held_out_templates": len(held), "templates": len(patterns)}
    return train, test, facts


def demo_figure(workdir: Path) -> tuple:
    """Metrics and abstention of the first model `facturas demo` trains, on the demo's invoices."""
    from facturas_assets.documents.classifier import evaluate, evaluate_abstention, train_classifier
    from facturas_dev.sample import TEST_SHARE as DEMO_TEST_SHARE

    files = generated(
        DEMO_TRAIN_N, workdir / "demo-train", seed=DEMO_TRAIN_SEED, renderings=["text-pdf"]
    )
    rng = random.Random(DEMO_TRAIN_SEED)  # the same draws as seed_labelled_data
    train = [f for f in files if not rng.random() < DEMO_TEST_SHARE]
    x, y, _ = read_texts(train, workdir / "read-cache")
    model = train_classifier(x, y, epochs=DEMO_EPOCHS, seed=0)
    sample = generated(DEMO_N, workdir / "demo-sample", seed=DEMO_SEED, renderings=DEMO_RENDERINGS)
    sx, sy, _ = read_texts(sample, workdir / "read-cache")
    return evaluate(model, sx, sy), evaluate_abstention(model, sx, sy, model.band)


def score(name: str, split: str, train, test: tuple[list, list], noisy_x: list) -> dict:
    """Train one model and measure it on a split's test texts (plain and noisy)."""
    from facturas_assets.documents.classifier import evaluate, evaluate_abstention
    from facturas_assets.settings import CLASSIFIER_UNCERTAIN_BAND

    t0 = time.perf_counter()
    model = train()
    seconds = time.perf_counter() - t0
    m = evaluate(model, *test)
    a = evaluate_abstention(model, *test, CLASSIFIER_UNCERTAIN_BAND)
    noisy = evaluate_abstention(model, noisy_x, test[1], CLASSIFIER_UNCERTAIN_BAND)
    return {
        "split": split,
        "model": name,
        "n": m.n,
        "accuracy": m.accuracy,
        "answered": a.answered_accuracy,
        "review": a.review_share,
        "ece": m.ece,
        "train_s": seconds,
        "acc_noisy": evaluate(model, noisy_x, test[1]).accuracy,
        "answered_noisy": noisy.answered_accuracy,
        "review_noisy": noisy.review_share,
    }


def main() -> None:
    """Generate, read, train both models on both splits, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=Path(".facturas/bench/classifier"))
    parser.add_argument("--no-demo", action="store_true", help="Skip the demo model's figure.")
    args = parser.parse_args()

    from facturas_assets.documents.classifier import train_baseline, train_classifier
    from facturas_assets.documents.classifier.augment import ocr_noise
    from facturas_assets.settings import CLASSIFIER_UNCERTAIN_BAND
    from facturas_dev import synth

    n_test = int(args.n * TEST_SHARE)
    started = time.perf_counter()
    pool = generated(
        args.n - n_test,
        args.workdir / f"train-{args.seed}",
        seed=args.seed,
        exclude_layouts=synth.HELD_OUT_LAYOUTS,
        renderings=["text-pdf"],
    )
    layout_test = generated(
        n_test,
        args.workdir / f"test-{args.seed}",
        seed=args.seed + 1,
        layouts=synth.HELD_OUT_LAYOUTS,
        renderings=["text-pdf"],
    )
    print(f"generated {args.n} invoices in {time.perf_counter() - started:.1f} s")
    word_train, word_test, facts = wording_split(pool, layout_test, args.seed)
    splits = {
        "layouts": (pool, layout_test),
        "wording": (word_train, word_test),
    }
    print(f"held-out layouts: {', '.join(synth.HELD_OUT_LAYOUTS)}")
    print(
        f"held-out wording: {facts['held_out_templates']} of {facts['templates']} work-line "
        f"templates and every {HELD_OUT_LANGUAGE!r} invoice"
    )
    rows = []
    for split, (train_files, test_files) in splits.items():
        train_x, train_y, _ = read_texts(train_files, args.workdir / "read-cache")
        test_x, test_y, _ = read_texts(test_files, args.workdir / "read-cache")
        print(f"{split}: {len(train_x)} train, {len(test_x)} test texts")
        rng = random.Random(args.seed)
        noisy_x = [ocr_noise(t, rng, NOISE_RATE) for t in test_x]
        test = (test_x, test_y)
        rows.append(
            score(
                "keras",
                split,
                lambda x=train_x, y=train_y: train_classifier(x, y, seed=args.seed),
                test,
                noisy_x,
            )
        )
        rows.append(
            score(
                "tfidf+lr",
                split,
                lambda x=train_x, y=train_y: train_baseline(x, y, seed=args.seed),
                test,
                noisy_x,
            )
        )

    cols = ("accuracy", "answered", "review", "ece", "train_s", "acc_noisy", "answered_noisy")
    cols += ("review_noisy",)
    print(f"{'split':<8} {'model':<9} {'n':>5} " + " ".join(f"{c:>14}" for c in cols))
    for r in rows:
        cells = " ".join(f"{r[c]:>14.1f}" if c == "train_s" else f"{r[c]:>14.4f}" for c in cols)
        print(f"{r['split']:<8} {r['model']:<9} {r['n']:>5} {cells}")
    low, high = CLASSIFIER_UNCERTAIN_BAND
    print(
        f"answered / review: accuracy outside, and share inside, the uncertain band "
        f"({low}, {high}) of P(correctiva); *_noisy: {NOISE_RATE:.0%} of characters dropped or "
        "misread"
    )
    keras_w, base_w = rows[2], rows[3]
    print(
        f"targets (wording): keras answered >= 0.99: {keras_w['answered'] >= 0.99}; "
        f"review <= 5 %: {keras_w['review'] <= 0.05}; keras > baseline (accuracy): "
        f"{keras_w['accuracy'] > base_w['accuracy']}; training < 300 s: "
        f"{all(r['train_s'] < 300 for r in rows)}"
    )
    if not args.no_demo:
        m, a = demo_figure(args.workdir)
        print(
            f"demo: the first model `facturas demo` trains gets {round(m.accuracy * m.n)} of "
            f"{m.n} right ({m.accuracy:.4f}); {a.n - a.answered} sent to review, "
            f"{a.answered_accuracy:.4f} of the answered right"
        )


if __name__ == "__main__":
    main()
