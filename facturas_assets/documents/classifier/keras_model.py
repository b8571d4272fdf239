"""The Keras invoice classifier: word + character n-gram TF-IDF inside the model, a small dense
network, and temperature scaling fitted on a validation split so its probabilities are calibrated."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from facturas_assets.documents.classifier.calibration import fit_temperature  # noqa: E402
from facturas_assets.documents.classifier.data import (  # noqa: E402
    LABELS,
    check_training_data,
    encode_labels,
    split_validation,
    text_data_hash,
)
from facturas_assets.documents.classifier.files import (  # noqa: E402
    LEGACY_MODEL_FILENAME,
    MODEL_FILENAME,
    SIDECAR_FILENAME,
)
from facturas_assets.documents.classifier.lexicon import concept_patterns  # noqa: E402
from facturas_assets.documents.classifier.metrics import (  # noqa: E402
    Prediction,
    predictions_from_proba,
)

FORMAT_VERSION = 1

DEFAULT_EPOCHS = 30
DEFAULT_BATCH_SIZE = 32
WORD_MAX_TOKENS = 20_000
CHAR_MAX_TOKENS = 20_000
HIDDEN_UNITS = 32
DROPOUT = 0.6
LEARNING_RATE = 5e-3
EARLY_STOP_PATIENCE = 3
PREDICT_BATCH_SIZE = 256

# Accents folded so that "reparación" / "reparacion" / OCR variants share features.
_FOLDS = (
    ("[àáâãäåā]", "a"),
    ("[èéêëē]", "e"),
    ("[ìíîïī]", "i"),
    ("[òóôõöøō]", "o"),
    ("[ùúûüū]", "u"),
    ("ñ", "n"),
    ("ç", "c"),
    ("ß", "ss"),
    ("[ýÿ]", "y"),
)


@keras.saving.register_keras_serializable(package="facturas")
def standardize_invoice_text(text: tf.Tensor) -> tf.Tensor:
    """Lower-case, fold accents, collapse numbers to one token and drop punctuation."""
    x = tf.strings.lower(text, encoding="utf-8")
    for pattern, replacement in _FOLDS:
        x = tf.strings.regex_replace(x, pattern, replacement)
    x = tf.strings.regex_replace(x, "[0-9]+", "0")
    x = tf.strings.regex_replace(x, "[^a-z0]+", " ")
    return tf.strings.strip(x)


_CONCEPT_PATTERNS = concept_patterns()


@keras.saving.register_keras_serializable(package="facturas")
def standardize_with_concepts(text: tf.Tensor) -> tf.Tensor:
    """standardize_invoice_text plus a language-independent concept token after lexicon words."""
    x = standardize_invoice_text(text)
    for pattern, rewrite in _CONCEPT_PATTERNS:
        x = tf.strings.regex_replace(x, pattern, rewrite)
    return x


@keras.saving.register_keras_serializable(package="facturas")
class TemperatureScaling(keras.layers.Layer):
    """Divides logits by a fixed temperature fitted on validation data (calibration)."""

    def __init__(self, temperature: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not temperature > 0:
            raise ValueError(f"temperature must be positive, got {temperature}")
        self.temperature = float(temperature)

    def call(self, logits: Any) -> Any:
        return logits / self.temperature

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "temperature": self.temperature}


@keras.saving.register_keras_serializable(package="facturas")
class ToFloat(keras.layers.Layer):
    """Casts the vectorizers' integer n-gram indicators to float32 for the dense layers."""

    def call(self, x: Any) -> Any:
        return keras.ops.cast(x, "float32")

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape


def _as_string_tensor(texts: Sequence[str]) -> tf.Tensor:
    return tf.constant(np.asarray(list(texts), dtype=object).reshape(-1, 1), dtype=tf.string)


def _dataset(texts: Sequence[str], y: np.ndarray | None, batch: int, seed: int | None):
    x = _as_string_tensor(texts)
    ds = tf.data.Dataset.from_tensor_slices((x, y.astype("float32")) if y is not None else x)
    if seed is not None:
        ds = ds.shuffle(len(texts), seed=seed, reshuffle_each_iteration=True)
    return ds.batch(batch).prefetch(2)


@dataclass
class TrainedClassifier:
    """A trained, calibrated classifier: a Keras model taking raw strings, plus its sidecar."""

    model: keras.Model
    labels: tuple[str, str] = LABELS
    temperature: float = 1.0
    metadata: dict[str, Any] = field(default_factory=dict)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability of labels[1] for each text."""
        if len(texts) == 0:
            return np.zeros(0, dtype=np.float64)
        out = self.model.predict(_dataset(texts, None, PREDICT_BATCH_SIZE, None), verbose=0)
        return np.asarray(out, dtype=np.float64).reshape(-1)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """The label of each text and the calibrated probability that it is right."""
        return predictions_from_proba(self.predict_proba(texts), self.labels)

    def sidecar(self) -> dict[str, Any]:
        """The JSON sidecar saved beside the model (labels, temperature, data hash, metrics)."""
        return {
            "format_version": FORMAT_VERSION,
            "kind": "keras",
            "model_file": MODEL_FILENAME,
            "labels": list(self.labels),
            "temperature": self.temperature,
            **self.metadata,
        }

    def save(self, directory: str | Path) -> Path:
        """Write model.keras and classifier.json into a directory; returns the model file path."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / MODEL_FILENAME
        self.model.save(path)
        (directory / SIDECAR_FILENAME).write_text(
            json.dumps(self.sidecar(), indent=2, sort_keys=True), encoding="utf-8"
        )
        return path


def _resolve_model_path(path: Path) -> Path:
    if path.is_dir():
        return path / MODEL_FILENAME
    if path.name == LEGACY_MODEL_FILENAME and not path.exists():
        return path.with_name(MODEL_FILENAME)
    return path


def load_classifier(path: str | Path) -> TrainedClassifier:
    """Load a classifier saved by TrainedClassifier.save (a folder, its model.keras, or the old name)."""
    model_path = _resolve_model_path(Path(path))
    if not model_path.exists():
        raise FileNotFoundError(f"no classifier model at {model_path}")
    sidecar_path = model_path.with_name(SIDECAR_FILENAME)
    if not sidecar_path.exists():
        raise FileNotFoundError(f"classifier sidecar {sidecar_path} is missing beside the model")
    sidecar = json.loads(sidecar_path.read_text(encoding="utf-8"))
    model = keras.saving.load_model(model_path)
    labels = tuple(sidecar.get("labels", LABELS))
    if len(labels) != 2:
        raise ValueError(
            f"classifier sidecar {sidecar_path} names {len(labels)} labels, expected 2"
        )
    meta = {
        k: v
        for k, v in sidecar.items()
        if k not in {"format_version", "kind", "model_file", "labels", "temperature"}
    }
    return TrainedClassifier(
        model=model, labels=labels, temperature=float(sidecar["temperature"]), metadata=meta
    )


def _build_logit_model(train_texts: Sequence[str], seed: int) -> keras.Model:
    word = keras.layers.TextVectorization(
        max_tokens=WORD_MAX_TOKENS,
        standardize=standardize_with_concepts,
        split="whitespace",
        ngrams=2,
        output_mode="multi_hot",
        name="word_ngrams",
    )
    char = keras.layers.TextVectorization(
        max_tokens=CHAR_MAX_TOKENS,
        standardize=standardize_invoice_text,
        split="character",
        ngrams=(3, 4),
        output_mode="multi_hot",
        name="char_ngrams",
    )
    corpus = tf.data.Dataset.from_tensor_slices(_as_string_tensor(train_texts)).batch(256)
    word.adapt(corpus)
    char.adapt(corpus)
    inputs = keras.Input(shape=(1,), dtype="string", name="text")
    # Presence (multi-hot), not counts: one corrective task among many scheduled ones still counts.
    x = keras.layers.Concatenate(name="features")([word(inputs), char(inputs)])
    x = ToFloat(name="to_float")(x)
    x = keras.layers.Dropout(DROPOUT, seed=seed)(x)
    x = keras.layers.Dense(HIDDEN_UNITS, activation="relu", name="hidden")(x)
    x = keras.layers.Dropout(DROPOUT, seed=seed + 1)(x)
    logit = keras.layers.Dense(1, name="logit")(x)
    return keras.Model(inputs, logit, name="invoice_classifier_logits")


def train_classifier(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    val_texts: Sequence[str] | None = None,
    val_labels: Sequence[str] | None = None,
    epochs: int = DEFAULT_EPOCHS,
    seed: int = 0,
    batch_size: int = DEFAULT_BATCH_SIZE,
    callbacks: Sequence[keras.callbacks.Callback] = (),
    data_hash: str | None = None,
) -> TrainedClassifier:
    """Train and calibrate the Keras classifier; validation is split off the data when not given."""
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    check_training_data(texts, labels)
    if (val_texts is None) != (val_labels is None):
        raise ValueError("give both val_texts and val_labels, or neither")
    if val_texts is None:
        tr_x, tr_y, va_x, va_y = split_validation(texts, labels, seed)
    else:
        if len(val_texts) != len(val_labels) or not val_texts:
            raise ValueError(
                f"validation data has {len(val_texts)} texts and {len(val_labels)} labels: "
                "they must match one to one and not be empty"
            )
        tr_x, tr_y, va_x, va_y = list(texts), list(labels), list(val_texts), list(val_labels)
    y_tr, y_va = encode_labels(tr_y), encode_labels(va_y)

    keras.utils.set_random_seed(seed)
    started = time.perf_counter()
    logits_model = _build_logit_model(tr_x, seed)
    logits_model.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.0)],
    )
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=EARLY_STOP_PATIENCE, restore_best_weights=True
    )
    history = logits_model.fit(
        _dataset(tr_x, y_tr, batch_size, seed),
        validation_data=_dataset(va_x, y_va, batch_size, None),
        epochs=epochs,
        callbacks=[stop, *callbacks],
        shuffle=False,  # the dataset is shuffled with the seed
        verbose=0,
    )
    val_logits = logits_model.predict(_dataset(va_x, None, PREDICT_BATCH_SIZE, None), verbose=0)
    temperature = fit_temperature(val_logits, y_va)
    scaled = TemperatureScaling(temperature, name="temperature")(logits_model.output)
    probability = keras.layers.Activation("sigmoid", name="probability")(scaled)
    model = keras.Model(logits_model.input, probability, name="invoice_classifier")
    seconds = time.perf_counter() - started
    return TrainedClassifier(
        model=model,
        labels=LABELS,
        temperature=temperature,
        metadata={
            "data_hash": data_hash or text_data_hash(texts, labels),
            "params": {
                "epochs": epochs,
                "epochs_run": len(history.history.get("loss", [])),
                "batch_size": batch_size,
                "seed": seed,
                "word_max_tokens": WORD_MAX_TOKENS,
                "char_max_tokens": CHAR_MAX_TOKENS,
                "hidden_units": HIDDEN_UNITS,
                "dropout": DROPOUT,
                "learning_rate": LEARNING_RATE,
                "n_train": len(tr_x),
                "n_validation": len(va_x),
            },
            "history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
            "training_seconds": round(seconds, 3),
        },
    )
