"""The classifier's line-by-line layers: lines of each text, strongest evidence, short-line scale."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from facturas_assets.documents.classifier.keras_model import SparseFeatures
from facturas_assets.documents.classifier.lines import SplitLines, StrongestEvidence


def texts(*values: str) -> tf.Tensor:
    return tf.constant(np.asarray(values, dtype=object).reshape(-1, 1), dtype=tf.string)


def test_every_line_is_kept_with_the_text_it_came_from():
    lines, rows = SplitLines()(texts("Revisión\nReparación de avería", "", "Una sola línea"))
    assert [x.decode() for x in lines.numpy()] == [
        "Revisión",
        "Reparación de avería",
        "",
        "Una sola línea",
    ]
    assert rows.numpy().tolist() == [0, 0, 1, 2]


def test_a_text_weighs_its_strongest_repair_line_against_its_strongest_scheduled_line():
    # Three lines of text 0 (repair, scheduled, neither), one of text 1 (scheduled only).
    scores = tf.constant([[4.0, -9.0], [-9.0, 2.0], [-9.0, -9.0], [-9.0, 3.0]])
    rows = tf.constant([0, 0, 0, 1], dtype=tf.int64)
    out = StrongestEvidence()([scores, rows, texts("a", "b")]).numpy().ravel()
    softplus = lambda x: np.log1p(np.exp(x))  # noqa: E731
    assert out[0] == pytest.approx(softplus(4.0) - softplus(2.0), abs=1e-5)
    assert out[1] == pytest.approx(softplus(-9.0) - softplus(3.0), abs=1e-5)
    assert out[0] > 0 > out[1]


def test_a_text_whose_lines_say_nothing_lands_between_the_classes():
    scores = tf.constant([[-12.0, -12.0], [-15.0, -11.0]])
    rows = tf.constant([0, 0], dtype=tf.int64)
    out = StrongestEvidence()([scores, rows, texts("letterhead")]).numpy().ravel()
    assert abs(out[0]) < 1e-3


def sparse_row(n: int) -> tf.SparseTensor:
    """One row with n features set to 1 (indices from 2: 1 is the out-of-vocabulary bucket)."""
    indices = [[0, 2 + i] for i in range(n)]
    return tf.SparseTensor(indices, tf.ones(n, tf.int64), dense_shape=[1, 2 + n])


def row_norm(x: tf.SparseTensor) -> float:
    return float(np.sqrt(np.sum(np.square(x.values.numpy()))))


def test_a_short_line_is_scaled_below_unit_length_and_a_long_one_to_it():
    layer = SparseFeatures(min_norm=4.0)  # lines of fewer than 16 features are scaled down
    assert row_norm(layer(sparse_row(4))) == pytest.approx(0.5)
    assert row_norm(layer(sparse_row(64))) == pytest.approx(1.0)
    assert row_norm(SparseFeatures()(sparse_row(4))) == pytest.approx(1.0)


def test_the_floor_counts_features_dropped_in_training_as_present():
    layer = SparseFeatures(rate=0.5, seed=0, min_norm=4.0)
    # 20 features, about 10 kept: above the floor of 16 * 0.5 = 8, so unit length as at inference
    # (a floor of 16 would shrink them to about 0.79).
    norms = [row_norm(layer(sparse_row(20), training=True)) for _ in range(20)]
    assert 0.95 < float(np.mean(norms)) <= 1.0 + 1e-6


def test_a_negative_floor_is_refused():
    with pytest.raises(ValueError, match="min_norm"):
        SparseFeatures(min_norm=-1.0)
