"""Augmentation of training texts: OCR-like noise, synonym rewording, line shuffles, no furniture.

The classifier also reads Tesseract output from scans, and invoices from suppliers whose wording
and layout it never saw: each augmentation changes the surface of a text but not its category.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence

from facturas_assets.documents.classifier.data import LABELS
from facturas_assets.documents.classifier.vocabulary import WordGroup, word_index

# Share of vocabulary words reworded in an augmented copy.
SYNONYM_RATE = 0.6
# A line in at least this share (and BOILERPLATE_MIN_DOCS) of each class's documents is layout
# furniture, not content: one supplier's header among a dozen is in a few percent of them.
BOILERPLATE_SHARE = 0.02
BOILERPLATE_MIN_DOCS = 3
# Share of reworded corrective copies given a few lines of a preventive invoice (see mix_lines).
MIX_SHARE = 0.5
_INDEX = word_index()

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


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)
_LINE_KEY_DIGITS = re.compile(r"\d+")


def _match_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def substitute_synonyms(
    text: str, rng: random.Random, rate: float, index: dict[str, WordGroup] | None = None
) -> str:
    """The text with about `rate` of its vocabulary words swapped for another word of their group.

    Groups hold words of one meaning in several languages, so the category is kept while the
    wording (and often the language of the cue) changes.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"substitution rate must be in [0, 1], got {rate}")
    index = _INDEX if index is None else index

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        group = index.get(word.lower())
        if group is None or rng.random() >= rate:
            return word
        return _match_case(rng.choice(group.words), word)

    return _WORD.sub(swap, text)


def shuffle_lines(text: str, rng: random.Random) -> str:
    """The text's lines in a random order (the category depends on which lines, not where)."""
    lines = text.split("\n")
    rng.shuffle(lines)
    return "\n".join(lines)


def line_key(line: str) -> str:
    """A line compared across documents: lower-case, digits collapsed, spaces squeezed."""
    return " ".join(_LINE_KEY_DIGITS.sub("0", line.lower()).split())


def boilerplate_lines(
    texts: Sequence[str], labels: Sequence[str], min_share: float = BOILERPLATE_SHARE
) -> frozenset[str]:
    """Line keys found in at least `min_share` of the documents of every class: layout furniture.

    Such lines (headers, column titles, payment terms) say nothing about the category, since they
    are as common in one class as in the other; removing them keeps the label by construction.
    """
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels: they must match")
    per_class: dict[str, Counter[str]] = {}
    sizes: Counter[str] = Counter(labels)
    for text, label in zip(texts, labels, strict=True):
        keys = {line_key(x) for x in text.split("\n")} - {""}
        per_class.setdefault(label, Counter()).update(keys)
    if len(per_class) < 2:
        return frozenset()
    common = set.intersection(
        *(
            {
                k
                for k, n in counts.items()
                if n >= max(min_share * sizes[label], BOILERPLATE_MIN_DOCS)
            }
            for label, counts in per_class.items()
        )
    )
    return frozenset(common)


def drop_boilerplate(
    text: str, rng: random.Random, boilerplate: frozenset[str], keep: float = 0.0
) -> str:
    """The text without its boilerplate lines (each kept with probability `keep`)."""
    kept = [x for x in text.split("\n") if line_key(x) not in boilerplate or rng.random() < keep]
    return "\n".join(kept)


def mix_lines(
    text: str, rng: random.Random, donor: str, boilerplate: frozenset[str], most: int = 3
) -> str:
    """The text with up to `most` content lines of `donor` inserted at random places.

    An invoice is corrective when any of its work is a repair, so a corrective text stays
    corrective with lines of a preventive one added: the model learns that scheduled work beside
    a repair does not outweigh it.
    """
    content = [x for x in donor.split("\n") if line_key(x) and line_key(x) not in boilerplate]
    if not content:
        return text
    lines = text.split("\n")
    for line in rng.sample(content, rng.randint(1, min(most, len(content)))):
        lines.insert(rng.randint(0, len(lines)), line)
    return "\n".join(lines)


def reworded(
    text: str,
    rng: random.Random,
    boilerplate: frozenset[str],
    synonym_rate: float = SYNONYM_RATE,
    noise_rate: float = 0.0,
) -> str:
    """One augmented version of a training text: reworded, lines shuffled, furniture dropped, noise."""
    out = substitute_synonyms(text, rng, synonym_rate)
    if rng.random() < 0.5:
        out = shuffle_lines(out, rng)
    if boilerplate and rng.random() < 0.5:
        out = drop_boilerplate(out, rng, boilerplate, keep=0.3)
    if noise_rate > 0.0 and rng.random() < 0.5:
        out = ocr_noise(out, rng, noise_rate)
    return out


def with_reworded_copies(
    texts: Sequence[str],
    labels: Sequence[str],
    copies: int,
    seed: int,
    *,
    synonym_rate: float = SYNONYM_RATE,
    noise_rate: float = 0.0,
) -> tuple[list[str], list[str]]:
    """The texts and labels followed by `copies` reworded versions of each (same labels)."""
    if copies < 0:
        raise ValueError(f"copies must be >= 0, got {copies}")
    rng = random.Random(seed)
    boilerplate = boilerplate_lines(texts, labels) if copies else frozenset()
    donors = [t for t, y in zip(texts, labels, strict=True) if y == LABELS[0]]
    out_x, out_y = list(texts), list(labels)
    for _ in range(copies):
        for text, label in zip(texts, labels, strict=True):
            if label == LABELS[1] and donors and rng.random() < MIX_SHARE:
                text = mix_lines(text, rng, rng.choice(donors), boilerplate)
            out_x.append(reworded(text, rng, boilerplate, synonym_rate, noise_rate))
        out_y += list(labels)
    return out_x, out_y
