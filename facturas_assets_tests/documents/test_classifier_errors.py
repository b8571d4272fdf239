"""Bad training input gets a plain ValueError, never a silently bad model."""

from __future__ import annotations

import pytest

from facturas_assets.documents.classifier import evaluate, train_baseline, train_classifier
from facturas_assets_tests.training.labelled_texts import labelled_texts

TRAINERS = [
    pytest.param(lambda x, y, **kw: train_classifier(x, y, epochs=1, **kw), id="keras"),
    pytest.param(lambda x, y, **kw: train_baseline(x, y, **kw), id="baseline"),
]


@pytest.mark.parametrize("train", TRAINERS)
def test_empty_training_data(train):
    with pytest.raises(ValueError, match="empty"):
        train([], [])


@pytest.mark.parametrize("train", TRAINERS)
def test_one_class_only(train):
    texts, _ = labelled_texts(40)
    with pytest.raises(ValueError, match="only one class.*correctiva"):
        train(texts, ["preventiva"] * len(texts))


@pytest.mark.parametrize("train", TRAINERS)
def test_too_few_examples(train):
    texts, labels = labelled_texts(6)
    with pytest.raises(ValueError, match="too few examples"):
        train(texts, labels)


@pytest.mark.parametrize("train", TRAINERS)
def test_mismatched_lengths(train):
    texts, labels = labelled_texts(40)
    with pytest.raises(ValueError, match="40 texts but 39 labels"):
        train(texts, labels[:-1])


@pytest.mark.parametrize("train", TRAINERS)
def test_unknown_label(train):
    texts, labels = labelled_texts(40)
    labels[3] = "garantía"
    with pytest.raises(ValueError, match="unknown label.*garantía"):
        train(texts, labels)


def test_blank_texts_only():
    with pytest.raises(ValueError, match="no text at all"):
        train_classifier([" "] * 20, ["preventiva", "correctiva"] * 10, epochs=1)


def test_half_given_validation_data():
    texts, labels = labelled_texts(40)
    with pytest.raises(ValueError, match="both val_texts and val_labels"):
        train_classifier(texts, labels, val_texts=texts[:5], epochs=1)


def test_zero_epochs():
    texts, labels = labelled_texts(40)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        train_classifier(texts, labels, epochs=0)


def test_evaluate_on_nothing():
    texts, labels = labelled_texts(40)
    model = train_baseline(texts, labels)
    with pytest.raises(ValueError, match="empty"):
        evaluate(model, [], [])
