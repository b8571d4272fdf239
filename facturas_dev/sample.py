"""Generated labelled invoices and a small sample champion, for a first run, tests and benchmarks."""

from __future__ import annotations

import hashlib
import mimetypes
import random
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from facturas_assets.training.labelled_files import SPLIT_FOLDERS

TEST_SHARE = 0.2


def seed_labelled_data(
    drive: Any, n: int, seed: int, renderings: Sequence[str] | None = None
) -> int:
    """Generate n labelled invoices into invoices_train / invoices_test/<category>/."""
    from facturas_dev import synth

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="facturas-bootstrap-") as tmp:
        kwargs: dict[str, Any] = {} if renderings is None else {"renderings": list(renderings)}
        generated = synth.generate(n, Path(tmp), seed=seed, **kwargs)
        for invoice in generated:
            split = "test" if rng.random() < TEST_SHARE else "train"
            category = invoice.truth["category"]
            data = Path(invoice.path).read_bytes()
            mime = mimetypes.guess_type(Path(invoice.path).name)[0] or "application/octet-stream"
            drive.upload(
                f"{SPLIT_FOLDERS[split]}/{category}",
                Path(invoice.path).name,
                data,
                mime,
                hashlib.sha256(data).hexdigest(),
            )
    return len(generated)


def publish_sample_champion(
    store: Any,
    work_dir: Path,
    *,
    n: int,
    seed: int,
    epochs: int,
    exclude_layouts: Sequence[str] = (),
) -> None:
    """Train a small classifier on generated text PDFs and publish it as version 1 and champion.

    No MLflow, no gate: for tests and benchmarks that need a champion in a models store fast.
    """
    from facturas_assets.documents.classifier import train_classifier
    from facturas_assets.documents.reader import read_document
    from facturas_assets.training.champion import promote_in_store, publish_model
    from facturas_dev.synth import generate

    invoices = generate(
        n, work_dir, seed=seed, renderings=["text-pdf"], exclude_layouts=exclude_layouts
    )
    texts = [read_document(inv.path).text for inv in invoices]
    labels = [inv.truth["category"] for inv in invoices]
    model = train_classifier(texts, labels, epochs=epochs, seed=0)
    model.metadata["version"] = "1"
    publish_model(store, model, "invoice_classifier/1")
    promote_in_store(store, 1)
