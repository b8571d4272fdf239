"""The Keras invoice classifier: lexicon concepts and character n-grams of each line, a small
ensemble of line scorers, and temperature scaling fitted on a validation split.

An invoice is read line by line (lines.py): each line is scored on its own, for repair and for
scheduled work, and the invoice weighs its strongest repair line against its strongest scheduled
line, since one repair line makes an invoice corrective whatever else it lists. Three scorers
are trained side by side on the same features, each with its own loss and dropout draws, and
their mean logit is calibrated. A line's features are two sparse branches,
each scaled to unit length per line (as in a TF-IDF union, so the handful of concept tokens weighs
as much as the n-grams beside them; a fragment of a few words is scaled down):

* concepts: the lexicon's language-independent tokens (repair, failure, scheduled, worn...),
  counted on a log scale;
* character 3-5-grams inside words, present or not: Romance languages share stems (repar-/ripar-,
  sustitu-/sostitu-, manten-/manuten-), so they carry over to a language never trained on, and a
  word misread by OCR keeps most of its n-grams.

Whole-word n-grams are left out on purpose: they tie the model to the languages it trained on;
and the n-gram branch alone has weight decay, so the lexicon's concepts carry what they can and
the names of machines and parts (in lines of both classes) decide little.
Training adds reworded copies of the texts (augment.py), and predictions inside the uncertain band
of settings abstain (label kept, flagged for review).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from facturas_assets.documents.classifier.quiet import (
    LOG_LEVEL_ENV,
    native_stderr_silenced,
    tensorflow_quiet,
)

os.environ.setdefault(LOG_LEVEL_ENV, "2")

with native_stderr_silenced(tensorflow_quiet()):
    import keras
    import tensorflow as tf

from facturas_assets.documents.classifier.augment import (  # noqa: E402
    with_noisy_copies,
    with_reworded_copies,
)
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
from facturas_assets.documents.classifier.lexicon import CONCEPTS, concept_patterns  # noqa: E402
from facturas_assets.documents.classifier.lines import SplitLines, StrongestEvidence  # noqa: E402
from facturas_assets.documents.classifier.metrics import (  # noqa: E402
    Prediction,
    check_band,
    predictions_from_proba,
)
from facturas_assets.settings import CLASSIFIER_UNCERTAIN_BAND  # noqa: E402

FORMAT_VERSION = 2

DEFAULT_EPOCHS = 30
DEFAULT_BATCH_SIZE = 32
CHAR_MAX_TOKENS = 30_000
CHAR_NGRAMS = (3, 4, 5)
# Weight decay of the n-gram branch only: the lexicon's concepts should carry what they can, the
# n-grams of machine and part names (shared by both classes) only a little.
CHAR_L2 = 1e-3
# Lines with fewer character n-grams than this squared (about three words) are scaled down.
CHAR_MIN_NORM = 8.0
HIDDEN_UNITS = 32
CONCEPT_DROPOUT = 0.2
CHAR_DROPOUT = 0.7  # high: the n-grams of one wording must not carry the decision alone
DROPOUT = 0.3
LEARNING_RATE = 5e-3
EARLY_STOP_PATIENCE = 3
PREDICT_BATCH_SIZE = 256
# Noisy copies of the training texts (OCR-like character errors) added to each training run.
NOISE_COPIES = 0
NOISE_RATE = 0.04
# Reworded copies (synonyms across languages, shuffled lines, no layout furniture, some OCR noise)
# of the training texts: they keep the model off any one supplier's or generator's phrasing.
AUGMENT_COPIES = 2
# Concepts counted (log-scaled), not just present: a line naming two failures says more than one.
CONCEPT_OUTPUT = "count"
# Members of the ensemble: line scorers trained side by side on the same features, each with its
# own dropout draws; their mean logit varies less with the seed than one scorer's.
MEMBERS = 3
OOV_INDEX = 1  # TextVectorization's index for tokens outside its vocabulary

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


_CONCEPT_TOKEN = "kw(?:" + "|".join(CONCEPTS) + ")"


@keras.saving.register_keras_serializable(package="facturas")
def split_concept_tokens(text: tf.Tensor) -> tf.Tensor:
    """Only the lexicon's concept tokens (``kwrepair``...) of a text standardized with concepts."""
    tokens = tf.strings.split(text)
    return tf.ragged.boolean_mask(tokens, tf.strings.regex_full_match(tokens, _CONCEPT_TOKEN))


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
def split_char_ngrams(text: tf.Tensor) -> tf.Tensor:
    """Character n-grams inside each word, the word's start and end marked (``<rep``, ``ion>``)."""
    chars = tf.strings.bytes_split(tf.strings.split(text))  # ASCII after standardization
    grams = tf.strings.ngrams(
        chars, ngram_width=CHAR_NGRAMS, separator="", pad_values=("<", ">"), padding_width=1
    )
    return grams.merge_dims(1, 2)


@keras.saving.register_keras_serializable(package="facturas")
class SparseFeatures(keras.layers.Layer):
    """Sparse n-gram indicators as float32 of unit length per text; in training, a share dropped.

    The vectorizer's out-of-vocabulary bucket is dropped: "a word never seen in training" says
    nothing about the work done, but is what every text in a new language is full of. Dropping
    features in training (like word dropout) keeps the model from leaning on any one n-gram.
    """

    def __init__(
        self,
        rate: float = 0.0,
        seed: int | None = None,
        sublinear: bool = False,
        min_norm: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sublinear = bool(sublinear)
        if min_norm < 0.0:
            raise ValueError(f"min_norm must be >= 0, got {min_norm}")
        self.min_norm = float(min_norm)
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout rate must be in [0, 1), got {rate}")
        self.rate = float(rate)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x: Any, training: bool | None = None) -> Any:
        values = tf.cast(x.values, tf.float32)
        if self.sublinear:
            values = tf.math.log1p(values)  # counts: a second mention adds less than the first
        x = tf.sparse.SparseTensor(x.indices, values, x.dense_shape)
        x = tf.sparse.retain(x, x.indices[:, 1] != OOV_INDEX)
        floor = max(self.min_norm**2, 1e-12)
        if training and self.rate > 0.0:
            draw = keras.random.uniform(tf.shape(x.values), seed=self.seed_generator)
            x = tf.sparse.retain(x, draw >= self.rate)
            floor *= 1.0 - self.rate  # the floor counts features as if none were dropped
        rows = x.indices[:, 0]
        norms = tf.math.unsorted_segment_sum(tf.square(x.values), rows, x.dense_shape[0])
        # A row with fewer features than min_norm (squared) keeps smaller values: a fragment of a
        # few words must not weigh as much as a whole line.
        scale = tf.math.rsqrt(tf.maximum(tf.gather(norms, rows), floor))
        return tf.sparse.SparseTensor(x.indices, x.values * scale, x.dense_shape)

    def compute_output_spec(self, x: Any, training: bool | None = None) -> Any:
        return keras.KerasTensor(x.shape, dtype="float32", sparse=True)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "rate": self.rate,
            "seed": self.seed,
            "sublinear": self.sublinear,
            "min_norm": self.min_norm,
        }


def _as_string_tensor(texts: Sequence[str]) -> tf.Tensor:
    return tf.constant(np.asarray(list(texts), dtype=object).reshape(-1, 1), dtype=tf.string)


def _dataset(
    texts: Sequence[str], y: tuple[np.ndarray, ...] | None, batch: int, seed: int | None
) -> tf.data.Dataset:
    """Batches of texts, with their 0/1 labels once per output of the model when given."""
    x = _as_string_tensor(texts)
    targets = tuple(t.astype("float32") for t in y) if y is not None else None
    ds = tf.data.Dataset.from_tensor_slices((x, targets) if targets is not None else x)
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
    # Probability of labels[1] strictly inside (low, high): the prediction abstains.
    band: tuple[float, float] = CLASSIFIER_UNCERTAIN_BAND

    def __post_init__(self) -> None:
        self.band = check_band(self.band)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability of labels[1] for each text."""
        if len(texts) == 0:
            return np.zeros(0, dtype=np.float64)
        out = self.model.predict(_dataset(texts, None, PREDICT_BATCH_SIZE, None), verbose=0)
        return np.asarray(out, dtype=np.float64).reshape(-1)

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        """The label of each text, the calibrated probability that it is right, and abstention."""
        return predictions_from_proba(self.predict_proba(texts), self.labels, self.band)

    def sidecar(self) -> dict[str, Any]:
        """The JSON sidecar saved beside the model (labels, temperature, data hash, metrics)."""
        return {
            "format_version": FORMAT_VERSION,
            "kind": "keras",
            "model_file": MODEL_FILENAME,
            "labels": list(self.labels),
            "temperature": self.temperature,
            "uncertain_band": list(self.band),
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
    if sidecar.get("format_version") != FORMAT_VERSION:
        # Older formats used other layers and text features: their files cannot be rebuilt here.
        raise ValueError(
            f"classifier at {model_path} is in format {sidecar.get('format_version')}, this "
            f"version reads format {FORMAT_VERSION}: train a new model"
        )
    model = keras.saving.load_model(model_path)
    labels = tuple(sidecar.get("labels", LABELS))
    if len(labels) != 2:
        raise ValueError(
            f"classifier sidecar {sidecar_path} names {len(labels)} labels, expected 2"
        )
    meta = {
        k: v
        for k, v in sidecar.items()
        if k
        not in {"format_version", "kind", "model_file", "labels", "temperature", "uncertain_band"}
    }
    # Models saved before the band existed take the one in settings.
    band = tuple(sidecar.get("uncertain_band", CLASSIFIER_UNCERTAIN_BAND))
    return TrainedClassifier(
        model=model,
        labels=labels,
        temperature=float(sidecar["temperature"]),
        metadata=meta,
        band=band,
    )


def _build_logit_model(train_texts: Sequence[str], seed: int) -> keras.Model:
    concepts = keras.layers.TextVectorization(
        max_tokens=len(CONCEPTS) + 2,  # + padding and out-of-vocabulary
        standardize=standardize_with_concepts,
        split=split_concept_tokens,
        output_mode=CONCEPT_OUTPUT,
        sparse=True,
        name="concepts",
    )
    chars = keras.layers.TextVectorization(
        max_tokens=CHAR_MAX_TOKENS,
        standardize=standardize_invoice_text,
        split=split_char_ngrams,
        output_mode="multi_hot",
        sparse=True,
        name="char_ngrams",
    )
    corpus = tf.data.Dataset.from_tensor_slices(_as_string_tensor(train_texts)).batch(256)
    concepts.adapt(corpus)
    chars.adapt(corpus)

    inputs = keras.Input(shape=(1,), dtype="string", name="text")
    # Each line is scored alone and the text takes its highest score (lines.py).
    lines, rows = SplitLines(name="lines")(inputs)
    concept_ids, char_ids = concepts(lines), chars(lines)
    logits = [
        _member_logit(concept_ids, char_ids, rows, inputs, seed + 10 * k, f"m{k}_" if k else "")
        for k in range(MEMBERS)
    ]
    return keras.Model(inputs, logits, name="invoice_classifier_logits")


def _member_logit(concept_ids: Any, char_ids: Any, rows: Any, texts: Any, seed: int, prefix: str):
    """One member of the ensemble: its own feature dropout, line scorer and pooling."""
    # One dense projection per branch, summed: a layer on both, never materialised densely.
    c = SparseFeatures(
        CONCEPT_DROPOUT, seed, CONCEPT_OUTPUT == "count", name=f"{prefix}concept_features"
    )(concept_ids)
    g = SparseFeatures(
        CHAR_DROPOUT, seed + 1, min_norm=CHAR_MIN_NORM, name=f"{prefix}char_features"
    )(char_ids)
    c = keras.layers.Dense(HIDDEN_UNITS, name=f"{prefix}concept_hidden")(c)
    g = keras.layers.Dense(
        HIDDEN_UNITS,
        use_bias=False,
        kernel_regularizer=keras.regularizers.L2(CHAR_L2) if CHAR_L2 else None,
        name=f"{prefix}char_hidden",
    )(g)
    x = keras.layers.Add(name=f"{prefix}features")([c, g])
    x = keras.layers.Activation("relu", name=f"{prefix}hidden")(x)
    x = keras.layers.Dropout(DROPOUT, seed=seed + 2, name=f"{prefix}dropout")(x)
    line_scores = keras.layers.Dense(2, name=f"{prefix}line_scores")(x)
    return StrongestEvidence(name=f"{prefix}logit")([line_scores, rows, texts])


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
    noise_copies: int = NOISE_COPIES,
    noise_rate: float = NOISE_RATE,
    augment_copies: int = AUGMENT_COPIES,
    band: tuple[float, float] = CLASSIFIER_UNCERTAIN_BAND,
) -> TrainedClassifier:
    """Train and calibrate the Keras classifier; validation is split off the data when not given.

    `noise_copies` OCR-noisy and `augment_copies` reworded copies of the training texts (not of
    the validation texts) are added. Predictions abstain inside `band`.
    """
    band = check_band(band)
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
    n_clean = len(tr_x)
    reworded_x, reworded_y = with_reworded_copies(
        tr_x, tr_y, augment_copies, seed, noise_rate=noise_rate
    )
    noisy_x, noisy_y = with_noisy_copies(tr_x, tr_y, noise_copies, noise_rate, seed)
    tr_x, tr_y = reworded_x + noisy_x[n_clean:], reworded_y + noisy_y[n_clean:]
    y_tr, y_va = encode_labels(tr_y), encode_labels(va_y)

    keras.utils.set_random_seed(seed)
    started = time.perf_counter()
    logits_model = _build_logit_model(tr_x, seed)
    # Each member has its own loss (an ensemble, not one wider model); the text's logit is their mean.
    logits_model.compile(
        optimizer=keras.optimizers.Adam(LEARNING_RATE),
        loss=[keras.losses.BinaryCrossentropy(from_logits=True)] * MEMBERS,
        metrics=[
            [keras.metrics.BinaryAccuracy(name="accuracy", threshold=0.0)] for _ in range(MEMBERS)
        ],
    )
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=EARLY_STOP_PATIENCE, restore_best_weights=True
    )
    history = logits_model.fit(
        _dataset(tr_x, (y_tr,) * MEMBERS, batch_size, seed),
        validation_data=_dataset(va_x, (y_va,) * MEMBERS, batch_size, None),
        epochs=epochs,
        callbacks=[stop, *callbacks],
        shuffle=False,  # the dataset is shuffled with the seed
        verbose=0,
    )
    outputs = logits_model.outputs
    mean_logit = keras.layers.Average(name="mean_logit")(outputs) if MEMBERS > 1 else outputs[0]
    mean_model = keras.Model(logits_model.input, mean_logit)
    val_logits = mean_model.predict(_dataset(va_x, None, PREDICT_BATCH_SIZE, None), verbose=0)
    temperature = fit_temperature(val_logits, y_va)
    scaled = TemperatureScaling(temperature, name="temperature")(mean_logit)
    probability = keras.layers.Activation("sigmoid", name="probability")(scaled)
    model = keras.Model(logits_model.input, probability, name="invoice_classifier")
    seconds = time.perf_counter() - started
    return TrainedClassifier(
        model=model,
        labels=LABELS,
        temperature=temperature,
        band=band,
        metadata={
            "data_hash": data_hash or text_data_hash(texts, labels),
            "params": {
                "epochs": epochs,
                "epochs_run": len(history.history.get("loss", [])),
                "batch_size": batch_size,
                "seed": seed,
                "char_max_tokens": CHAR_MAX_TOKENS,
                "char_ngrams": list(CHAR_NGRAMS),
                "hidden_units": HIDDEN_UNITS,
                "concept_dropout": CONCEPT_DROPOUT,
                "char_dropout": CHAR_DROPOUT,
                "dropout": DROPOUT,
                "learning_rate": LEARNING_RATE,
                "noise_copies": noise_copies,
                "noise_rate": noise_rate,
                "augment_copies": augment_copies,
                "members": MEMBERS,
                "char_l2": CHAR_L2,
                "char_min_norm": CHAR_MIN_NORM,
                "n_train": n_clean,
                "n_validation": len(va_x),
            },
            "history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
            "training_seconds": round(seconds, 3),
        },
    )
