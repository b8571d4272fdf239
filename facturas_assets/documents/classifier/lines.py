"""Keras layers that let the classifier score an invoice line by line and keep the highest score.

An invoice is corrective when any of its work is a repair, so the model reads it as a bag of lines
(multiple-instance learning): each line is scored for repair and for scheduled work, and the
document's logit weighs its strongest repair line against its strongest scheduled line. Wording spread over the page (a supplier called "Reparaciones ...", a footer naming a
maintenance contract, a long list of scheduled tasks) then cannot outvote the one line that says
a repair was done, and that line is judged on its own words, not on its neighbours'.
"""

from __future__ import annotations

from typing import Any

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="facturas")
class SplitLines(keras.layers.Layer):
    """Texts (batch, 1) -> all their lines (lines,) and the index of the text each came from.

    A text without a newline is one line and an empty text one empty line, so every text has at
    least one line and StrongestEvidence always has something to take.
    """

    def call(self, texts: Any) -> tuple[Any, Any]:
        lines = tf.strings.split(tf.reshape(texts, [-1]), sep="\n")
        return lines.flat_values, lines.value_rowids()

    def compute_output_spec(self, texts: Any) -> tuple[Any, Any]:
        return (
            keras.KerasTensor((None,), dtype="string"),
            keras.KerasTensor((None,), dtype="int64"),
        )


@keras.saving.register_keras_serializable(package="facturas")
class StrongestEvidence(keras.layers.Layer):
    """A text's logit from its lines' two scores: the strongest repair evidence of any line less
    the strongest scheduled-work evidence of any line.

    Inputs: line scores (lines, 2), row ids, texts (batch, 1); output (batch, 1). Each score goes
    through softplus, so a line that says nothing either way adds nothing: a text without any
    work line (an issuer's letterhead, an empty page) lands near 0, between the classes, where it
    is sent to review rather than called preventive for lack of a repair.
    """

    def call(self, inputs: list[Any]) -> Any:
        scores, rows, texts = inputs
        strongest = tf.math.unsorted_segment_max(
            tf.math.softplus(scores), rows, num_segments=tf.shape(texts)[0]
        )
        return strongest[:, :1] - strongest[:, 1:]

    def compute_output_spec(self, inputs: list[Any]) -> Any:
        return keras.KerasTensor((inputs[2].shape[0], 1), dtype="float32")
