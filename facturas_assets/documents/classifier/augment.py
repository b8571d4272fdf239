"""OCR-like noise for training texts: the classifier also reads Tesseract output from scans."""

from __future__ import annotations

import random
from collections.abc import Sequence

# Confusions Tesseract makes on invoice fonts (each way); anything else becomes a random letter.
_CONFUSIONS: dict[str, str] = {
    "l": "1I|i",
    "1": "lI",
    "i": "l1í",
    "o": "0eó",
    "0": "oO",
    "e": "cé",
    "c": "e",
    "a": "oá",
    "n": "ri",
    "m": "rn",
    "u": "ii",
    "s": "5",
    "5": "s",
    "t": "f",
    "f": "t",
    "b": "h6",
    "h": "b",
    "g": "q9",
}
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def ocr_noise(text: str, rng: random.Random, rate: float) -> str:
    """The text with about `rate` of its characters dropped, misread, or split by a stray space."""
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"noise rate must be in [0, 1), got {rate}")
    out: list[str] = []
    for ch in text:
        if ch.isspace() or rng.random() >= rate:
            out.append(ch)
            continue
        roll = rng.random()
        if roll < 0.3:
            continue  # dropped
        if roll < 0.85:
            options = _CONFUSIONS.get(ch.lower(), _LETTERS)
            out.append(rng.choice(options))
        else:
            out.append(ch + " ")  # a word broken in two
    return "".join(out)


def with_noisy_copies(
    texts: Sequence[str], labels: Sequence[str], copies: int, rate: float, seed: int
) -> tuple[list[str], list[str]]:
    """The texts and labels followed by `copies` noisy versions of each (same labels)."""
    if copies < 0:
        raise ValueError(f"copies must be >= 0, got {copies}")
    rng = random.Random(seed)
    out_x, out_y = list(texts), list(labels)
    for _ in range(copies):
        out_x += [ocr_noise(t, rng, rate) for t in texts]
        out_y += list(labels)
    return out_x, out_y
