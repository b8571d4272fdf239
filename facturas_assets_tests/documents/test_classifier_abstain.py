"""The classifier's uncertain band: predictions abstain inside it, and a saved model keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from facturas_assets.documents.classifier import (
    LABELS,
    SIDECAR_FILENAME,
    TrainedClassifier,
    evaluate_abstention,
    load_classifier,
    train_classifier,
)
from facturas_assets.documents.classifier.metrics import in_band
from facturas_assets.documents.reader import read_document
from facturas_assets.settings import CLASSIFIER_UNCERTAIN_BAND
from facturas_dev.synth import generate

BAND = (0.3, 0.7)


@pytest.fixture(scope="module")
def invoices(tmp_path_factory) -> dict[str, tuple[list[str], list[str]]]:
    out = tmp_path_factory.mktemp("invoices")
    made = generate(100, out, seed=3, renderings=["text-pdf"])
    texts = [read_document(inv.path).text for inv in made]
    labels = [inv.truth["category"] for inv in made]
    return {"train": (texts[:80], labels[:80]), "test": (texts[80:], labels[80:])}


@pytest.fixture(scope="module")
def model(invoices) -> TrainedClassifier:
    return train_classifier(*invoices["train"], epochs=8, seed=0, band=BAND)


def no_work_lines(text: str) -> str:
    """An invoice's first lines only: the issuer's block, which both categories share."""
    return "\n".join(text.split("\n")[:3])


def test_abstains_inside_the_band_and_answers_outside(model, invoices):
    texts, labels = invoices["test"]
    # Sure of an invoice with its work lines, unsure of one without any.
    blank = [no_work_lines(t) for t in texts]
    p1 = model.predict_proba(texts + blank)
    predictions = model.predict(texts + blank)
    for p, pred in zip(p1, predictions, strict=True):
        assert pred.abstain == (BAND[0] < p < BAND[1])
        assert pred.label == (LABELS[1] if p >= 0.5 else LABELS[0])  # the label is kept
    answered = [p for p in predictions[: len(texts)] if not p.abstain]
    unsure_blank = [p.abstain for p in predictions[len(texts) :]]
    print([round(float(p), 3) for p in p1])  # shown when an assertion below fails
    # A model of 80 invoices is sure of some invoices only, and of fewer once their lines are gone.
    assert len(answered) >= 0.5 * len(texts)
    assert sum(unsure_blank) >= 0.6 * len(blank)
    assert sum(unsure_blank) > len(texts) - len(answered)
    assert model.predict([""])[0].abstain
    result = evaluate_abstention(model, texts, labels, BAND)
    assert result.answered == len(answered) and result.n == len(texts)
    assert result.answered_accuracy >= 0.95


def test_no_band_never_abstains(model, invoices):
    texts = invoices["test"][0]
    wide = TrainedClassifier(model.model, model.labels, model.temperature, band=(0.5, 0.5))
    assert not any(p.abstain for p in wide.predict(texts))
    everything = TrainedClassifier(model.model, model.labels, model.temperature, band=(0.0, 1.0))
    assert all(p.abstain for p in everything.predict(texts))


def test_the_band_comes_from_settings_and_is_checked(invoices):
    assert TrainedClassifier(model=None).band == CLASSIFIER_UNCERTAIN_BAND
    for bad in ((0.6, 0.8), (0.2, 1.2), (0.2,)):
        with pytest.raises(ValueError, match="band"):
            TrainedClassifier(model=None, band=bad)
    with pytest.raises(ValueError, match="band"):
        train_classifier(*invoices["train"], epochs=1, band=(0.7, 0.3))
    assert in_band(np.array([0.3, 0.31, 0.69, 0.7]), BAND).tolist() == [False, True, True, False]


def test_saved_model_keeps_its_band_and_vocabulary(model, invoices, tmp_path: Path):
    model.save(tmp_path / "m")
    sidecar = json.loads((tmp_path / "m" / SIDECAR_FILENAME).read_text())
    assert sidecar["uncertain_band"] == list(BAND)
    assert sidecar["params"]["augment_copies"] >= 1
    loaded = load_classifier(tmp_path / "m")
    assert loaded.band == BAND
    for layer in ("concepts", "char_ngrams"):
        vocabulary = model.model.get_layer(layer).get_vocabulary()
        assert len(vocabulary) > 2
        assert loaded.model.get_layer(layer).get_vocabulary() == vocabulary
    texts = invoices["test"][0] + [no_work_lines(t) for t in invoices["test"][0]]
    assert loaded.predict(texts) == pytest.approx(model.predict(texts))


def test_a_sidecar_without_a_band_takes_the_settings_band(model, tmp_path: Path):
    model.save(tmp_path / "m")
    path = tmp_path / "m" / SIDECAR_FILENAME
    sidecar = json.loads(path.read_text())
    del sidecar["uncertain_band"]
    path.write_text(json.dumps(sidecar))
    assert load_classifier(tmp_path / "m").band == CLASSIFIER_UNCERTAIN_BAND
