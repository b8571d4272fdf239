"""Classifier benchmark: Keras vs TF-IDF + logistic regression on held-out invoice layouts.

Generates N text-PDF invoices (default 2,000): training data from every layout except
HELD_OUT_LAYOUTS, test data from the held-out layouts only. Texts are read once (the reader caches
them by sha256), then both models train on the same texts and are scored on the held-out layouts.
Targets: Keras >= baseline, >= 99 % accuracy on held-out layouts, training < 5 min on 2 cores.
Also printed: accuracy on the held-out texts with OCR-like character noise (the ETL feeds the
classifier Tesseract output from scans too).

    python bench/bench_classifier.py [--n 2000] [--seed 0] [--workdir .facturas/bench/classifier]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

TEST_SHARE = 0.25
NOISE_RATE = 0.06  # share of characters dropped or misread in the noisy copy of the test texts


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

    from facturas_assets import synth
    from facturas_assets.synth import GeneratedInvoice

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


def main() -> None:
    """Generate, read, train both models, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=Path(".facturas/bench/classifier"))
    args = parser.parse_args()

    import random

    from facturas_assets import synth
    from facturas_assets.documents.classifier import evaluate, train_baseline, train_classifier
    from facturas_assets.documents.classifier.augment import ocr_noise

    n_test = int(args.n * TEST_SHARE)
    started = time.perf_counter()
    train_files = generated(
        args.n - n_test,
        args.workdir / f"train-{args.seed}",
        seed=args.seed,
        exclude_layouts=synth.HELD_OUT_LAYOUTS,
        renderings=["text-pdf"],
    )
    test_files = generated(
        n_test,
        args.workdir / f"test-{args.seed}",
        seed=args.seed + 1,
        layouts=synth.HELD_OUT_LAYOUTS,
        renderings=["text-pdf"],
    )
    print(f"generated {args.n} invoices in {time.perf_counter() - started:.1f} s")
    train_x, train_y, t_train = read_texts(train_files, args.workdir / "read-cache")
    test_x, test_y, t_test = read_texts(test_files, args.workdir / "read-cache")
    print(f"read {len(train_x)} train + {len(test_x)} held-out texts in {t_train + t_test:.1f} s")
    print(f"held-out layouts: {', '.join(synth.HELD_OUT_LAYOUTS)}")
    rng = random.Random(args.seed)
    noisy_x = [ocr_noise(t, rng, NOISE_RATE) for t in test_x]

    rows = []
    for name, train in (
        ("keras", lambda: train_classifier(train_x, train_y, seed=args.seed)),
        ("tfidf+lr", lambda: train_baseline(train_x, train_y, seed=args.seed)),
    ):
        t0 = time.perf_counter()
        model = train()
        seconds = time.perf_counter() - t0
        m = evaluate(model, test_x, test_y)
        rows.append((name, m, seconds, evaluate(model, noisy_x, test_y)))

    print(
        f"{'model':<10} {'accuracy':>9} {'f1_macro':>9} {'ece':>7} {'brier':>7} {'train_s':>8} "
        f"{'acc_noisy':>10}"
    )
    for name, m, seconds, noisy in rows:
        print(
            f"{name:<10} {m.accuracy:>9.4f} {m.f1_macro:>9.4f} {m.ece:>7.4f} {m.brier:>7.4f} "
            f"{seconds:>8.1f} {noisy.accuracy:>10.4f}"
        )
    print(f"acc_noisy: held-out texts with {NOISE_RATE:.0%} of characters dropped or misread")
    keras_m, base_m = rows[0][1], rows[1][1]
    print(
        f"targets: keras >= baseline: {keras_m.accuracy >= base_m.accuracy}; "
        f"keras >= 0.99: {keras_m.accuracy >= 0.99}; training < 300 s: {rows[0][2] < 300}"
    )


if __name__ == "__main__":
    main()
