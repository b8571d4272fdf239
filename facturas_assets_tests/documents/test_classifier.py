"""The Keras invoice classifier and its TF-IDF baseline: accuracy, save/load, calibration."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from facturas_assets.documents.classifier import (
    LABELS,
    LEGACY_MODEL_FILENAME,
    SIDECAR_FILENAME,
    TrainedClassifier,
    evaluate,
    expected_calibration_error,
    fit_temperature,
    load_baseline,
    load_classifier,
    text_data_hash,
    train_baseline,
    train_classifier,
)
from facturas_assets.documents.classifier.augment import ocr_noise, with_noisy_copies
from facturas_assets_tests.training.labelled_texts import (
    CORRECTIVE_WORK,
    PREVENTIVE_WORK,
    labelled_texts,
)


@pytest.fixture(scope="module")
def data() -> dict[str, tuple[list[str], list[str]]]:
    return {"train": labelled_texts(300, seed=1), "test": labelled_texts(200, seed=2)}


@pytest.fixture(scope="module")
def model(data) -> TrainedClassifier:
    return train_classifier(*data["train"], epochs=8, seed=0)


def test_learns_the_category_from_the_line_items(model, data):
    metrics = evaluate(model, *data["test"])
    assert metrics.accuracy >= 0.97
    assert metrics.f1_macro >= 0.97
    assert set(metrics.per_class_recall) == set(LABELS)
    assert metrics.n == 200


def test_predictions_carry_a_label_and_its_probability(model, data):
    texts, labels = data["test"]
    predictions = model.predict(texts[:20])
    assert [p.label for p in predictions] == labels[:20]
    assert all(0.5 <= p.probability <= 1.0 for p in predictions)
    p1 = model.predict_proba(texts[:20])
    for p, prob in zip(predictions, p1, strict=True):
        assert p.probability == pytest.approx(prob if p.label == LABELS[1] else 1 - prob)
    assert model.predict([]) == []


def test_save_and_load_round_trip(model, data, tmp_path: Path):
    path = model.save(tmp_path / "m")
    assert path.name == "model.keras" and path.is_file()
    sidecar = json.loads((tmp_path / "m" / SIDECAR_FILENAME).read_text())
    assert sidecar["labels"] == list(LABELS)
    assert sidecar["temperature"] == pytest.approx(model.temperature)
    assert sidecar["data_hash"] == text_data_hash(*data["train"])

    texts = data["test"][0][:30]
    for where in (tmp_path / "m", path, tmp_path / "m" / LEGACY_MODEL_FILENAME):
        loaded = load_classifier(where)
        np.testing.assert_allclose(
            loaded.predict_proba(texts), model.predict_proba(texts), atol=1e-6
        )
        assert loaded.temperature == pytest.approx(model.temperature)
        assert loaded.metadata["data_hash"] == model.metadata["data_hash"]


def test_a_model_of_another_format_is_refused_plainly(model, tmp_path: Path):
    model.save(tmp_path / "m")
    sidecar = tmp_path / "m" / SIDECAR_FILENAME
    sidecar.write_text(json.dumps({**json.loads(sidecar.read_text()), "format_version": 1}))
    with pytest.raises(ValueError, match="format 1.*train a new model"):
        load_classifier(tmp_path / "m")


def test_loading_a_missing_model_says_so(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="no classifier model"):
        load_classifier(tmp_path / "nothing")


def test_same_seed_same_model(data):
    texts = data["test"][0][:40]
    a = train_classifier(*data["train"], epochs=3, seed=7)
    b = train_classifier(*data["train"], epochs=3, seed=7)
    np.testing.assert_allclose(a.predict_proba(texts), b.predict_proba(texts), atol=1e-5)


def test_fit_temperature_recovers_a_known_temperature():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 6, size=20_000)
    y = (rng.random(logits.size) < 1 / (1 + np.exp(-logits / 3.0))).astype(int)
    assert fit_temperature(logits, y) == pytest.approx(3.0, rel=0.08)


def test_ece_tells_calibrated_from_overconfident():
    rng = np.random.default_rng(1)
    p = rng.uniform(0, 1, 50_000)
    y = (rng.random(p.size) < p).astype(int)
    assert expected_calibration_error(p, y) < 0.01
    overconfident = np.where(p >= 0.5, 0.999, 0.001)
    assert expected_calibration_error(overconfident, y) > 0.2


def test_calibrated_on_noisy_labels():
    # 15 % of the labels flipped: a calibrated model is right about 85 % of the time and says so.
    texts, labels = labelled_texts(500, seed=3)
    test_texts, test_labels = labelled_texts(400, seed=4)
    rng = random.Random(5)

    def noisy(ys: list[str]) -> list[str]:
        return [
            (LABELS[1] if y == LABELS[0] else LABELS[0]) if rng.random() < 0.15 else y for y in ys
        ]

    model = train_classifier(texts, noisy(labels), epochs=8, seed=0)
    metrics = evaluate(model, test_texts, noisy(test_labels))
    confidence = np.mean([p.probability for p in model.predict(test_texts)])
    assert 0.75 <= metrics.accuracy <= 0.92
    assert abs(confidence - metrics.accuracy) < 0.1
    assert metrics.ece < 0.12  # 400 texts in 10 bins: sampling noise alone is ~0.04
    assert metrics.brier < 0.2


def test_baseline_has_the_same_interface(data, tmp_path: Path):
    baseline = train_baseline(*data["train"], seed=0)
    metrics = evaluate(baseline, *data["test"])
    assert metrics.accuracy >= 0.95
    predictions = baseline.predict(data["test"][0][:5])
    assert all(p.label in LABELS and 0.5 <= p.probability <= 1 for p in predictions)
    baseline.save(tmp_path / "b")
    loaded = load_baseline(tmp_path / "b")
    texts = data["test"][0][:20]
    np.testing.assert_allclose(loaded.predict_proba(texts), baseline.predict_proba(texts))


ITALIAN_WORK = {
    "Manutenzione preventiva programmata della macchina",
    "Riparazione guasto al sistema di trazione",
}


def _work_lines(text: str) -> set[str]:
    known = set(PREVENTIVE_WORK) | set(CORRECTIVE_WORK)
    return {w for w in known if w in text}


def test_carries_over_to_a_language_it_never_saw():
    # Trained without a single Italian line, tested on invoices whose only work line is Italian.
    texts, labels = labelled_texts(600, seed=11)
    train = [
        (t, y) for t, y in zip(texts, labels, strict=True) if not _work_lines(t) & ITALIAN_WORK
    ]
    pool_x, pool_y = labelled_texts(4000, seed=12)
    test = [(t, y) for t, y in zip(pool_x, pool_y, strict=True) if _work_lines(t) <= ITALIAN_WORK]
    assert {y for _, y in test} == set(LABELS) and len(test) >= 100
    model = train_classifier([t for t, _ in train], [y for _, y in train], epochs=8, seed=0)
    metrics = evaluate(model, [t for t, _ in test], [y for _, y in test])
    assert metrics.accuracy >= 0.95


def test_robust_to_ocr_noise(model, data):
    rng = random.Random(0)
    texts, labels = data["test"]
    noisy = [ocr_noise(t, rng, 0.06) for t in texts]
    assert sum(a != b for a, b in zip(noisy, texts, strict=True)) >= 0.9 * len(texts)
    assert evaluate(model, noisy, labels).accuracy >= 0.95


def test_ocr_noise_is_seeded_and_proportionate():
    text = "Reparación de avería en el variador de frecuencia del telar " * 20
    a = ocr_noise(text, random.Random(1), 0.05)
    assert a == ocr_noise(text, random.Random(1), 0.05)
    assert ocr_noise(text, random.Random(1), 0.0) == text
    changed = sum(x != y for x, y in zip(a, text, strict=False))  # misaligned after a drop: loose
    assert changed > 0
    lost = len(text.replace(" ", "")) - len(a.replace(" ", ""))
    assert 0 < lost < 0.05 * len(text)
    with pytest.raises(ValueError, match="noise rate"):
        ocr_noise(text, random.Random(1), 1.5)


def test_noisy_copies_keep_labels_and_clean_originals():
    texts, labels = labelled_texts(10, seed=0)
    x, y = with_noisy_copies(texts, labels, 2, 0.05, seed=3)
    assert x[:10] == texts and y == labels * 3
    assert all(n != t for n, t in zip(x[10:20], texts, strict=True))
    with pytest.raises(ValueError, match="copies"):
        with_noisy_copies(texts, labels, -1, 0.05, seed=3)


def test_training_with_noisy_copies_records_them(data):
    model = train_classifier(*data["train"], epochs=2, seed=0, noise_copies=1)
    params = model.metadata["params"]
    assert params["noise_copies"] == 1 and params["n_train"] == 240  # 300 less the validation 60
    assert model.metadata["data_hash"] == text_data_hash(*data["train"])
