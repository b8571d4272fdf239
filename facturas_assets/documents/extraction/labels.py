"""Matching the lexicon's field and column labels (lexicon.py) in runs of words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from facturas_assets.documents.extraction import lexicon
from facturas_assets.documents.extraction.lexicon import ASIDE_KINDS, PARTY_KINDS, VALUE_KINDS
from facturas_assets.documents.extraction.text import token_key
from facturas_assets.documents.extraction.vocabulary import lookalike

# Field labels, from the lexicon. A phrase is words separated by spaces, compared by token_key
# (no accents, case or punctuation). The labels of things that are not our values (due and
# delivery dates, withholdings, references) are one kind, "other": matched so that their
# values are never taken for ours (a due date for the issue date).
FIELD_LABELS: dict[str, list[str]] = {
    kind: list(lexicon.HEADER_LABELS[kind]) for kind in (*VALUE_KINDS, *PARTY_KINDS)
}
FIELD_LABELS["other"] = list(
    dict.fromkeys(p for kind in ASIDE_KINDS for p in lexicon.HEADER_LABELS[kind])
)

# "Invoice" in the lexicon's languages: alone it is a document title, or a weak number label.
INVOICE_WORDS = lexicon.ALL_INVOICE_WORDS

# Phrases that name their field only in context.
WEAK: dict[str, set[str]] = {kind: set(words) for kind, words in lexicon.GENERIC.items()}

# Table column headers.
COLUMN_LABELS: dict[str, list[str]] = {k: list(v) for k, v in lexicon.COLUMN_LABELS.items()}


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """A label found in a run of words: its kind, the word index range [start, end) and strength."""

    kind: str
    start: int
    end: int
    strength: float


WEAK_STRENGTH = 0.6  # of a label that names its field only in context

# The totals a document states (field kinds of FIELD_LABELS).
TOTAL_KINDS = frozenset({"net_total", "tax_total", "total"})
_MIN_GLUED = 7
_MIN_SPLIT = 6  # letters of a label word that OCR may split in two and still be told


def _compile(table: dict[str, list[str]]) -> dict[tuple[str, ...], str]:
    phrases: dict[tuple[str, ...], str] = {}
    for kind, entries in table.items():
        for entry in entries:
            key = tuple(k for k in (token_key(t) for t in entry.split()) if k)
            phrases.setdefault(key, kind)
    # OCR drops spaces after short words and signs ("N*Factura", "Nº.Factura"): a phrase glued
    # into one word is matched too when that word is long enough not to be something else.
    # "TOTALA PAGAR": two neighbouring words of a longer phrase glued.
    for key, kind in list(phrases.items()):
        glued = "".join(key)
        if len(key) > 1 and len(glued) >= _MIN_GLUED:
            phrases.setdefault((glued,), kind)
        for i in range(len(key) - 1):
            pair = key[i] + key[i + 1]
            if len(key) > 2 and len(pair) >= 4:
                phrases.setdefault((*key[:i], pair, *key[i + 2 :]), kind)
    return phrases


# The keys of the number sign as written: "N." keys "n", "Nº", "N°" and "No." key "no", and
# "Núm." and "Nr." abbreviate the word.
_SIGN_SPELLINGS = ("n", "no", "num", "nr")


def _with_sign_spellings(phrases: dict[tuple[str, ...], str]) -> dict[tuple[str, ...], str]:
    """The phrases with their number sign in every spelling, so "bl n" matches "BL n°", "no
    ref" matches "N. ref." and "cliente no" matches "Cliente núm."."""
    out = dict(phrases)
    for key, kind in phrases.items():
        for sign in _SIGN_SPELLINGS:
            if sign in key:
                for other in _SIGN_SPELLINGS:
                    out.setdefault(tuple(other if k == sign else k for k in key), kind)
    return out


_FIELD_PHRASES = _with_sign_spellings(_compile(FIELD_LABELS))
# "Nº Factura" read with its number sign garbled and glued: "NtFactura", "NeFactura", "N*Factura".
for _word in INVOICE_WORDS:
    for _sign in ("", *"abcdefghijklmnopqrstuvwxyz0123456789#%"):
        _FIELD_PHRASES.setdefault((f"n{_sign}{_word}",), "invoice_number")
_COLUMN_PHRASES = _compile(COLUMN_LABELS)
_WEAK_KEYS = {
    (kind, tuple(token_key(t) for t in phrase.split()))
    for kind, ps in WEAK.items()
    for phrase in ps
}
# Words of the longest phrase ("fecha de emisión de la factura"): longer runs are never tried.
_MAX_LEN = max(len(key) for key in (*_FIELD_PHRASES, *_COLUMN_PHRASES))


def word_keys(texts: Sequence[str]) -> list[str]:
    """Comparison keys of words; a word made only of punctuation gets an empty key."""
    return [token_key(t) for t in texts]


def _prefixes(phrases: dict[tuple[str, ...], str]) -> frozenset[tuple[str, ...]]:
    """Every proper prefix of the phrases' keys, built once per phrase table (a walk along a
    run of words stops as soon as no phrase goes on)."""
    found = _PREFIXES.get(id(phrases))
    if found is None:
        found = frozenset(key[:n] for key in phrases for n in range(1, len(key)))
        _PREFIXES[id(phrases)] = found
    return found


_PREFIXES: dict[int, frozenset[tuple[str, ...]]] = {}


def _match(
    keys: list[str], phrases: dict[tuple[str, ...], str], weak: set[tuple[str, tuple[str, ...]]]
) -> list[LabelMatch]:
    """The labels in a run of word keys, the longest phrase first at each word, skipping
    punctuation-only words inside a phrase ("Nº : factura")."""
    prefixes = _prefixes(phrases)
    found: list[LabelMatch] = []
    filled = [j for j, k in enumerate(keys) if k]
    rank = {j: n for n, j in enumerate(filled)}
    i = 0
    while i < len(keys):
        if not keys[i]:
            i += 1
            continue
        hit = None
        key: tuple[str, ...] = ()
        for j in filled[rank[i] : rank[i] + _MAX_LEN]:
            key = (*key, keys[j])
            kind = phrases.get(key)
            if kind is not None:
                strength = WEAK_STRENGTH if (kind, key) in weak else 1.0
                hit = LabelMatch(kind, i, j + 1, strength)
            if key not in prefixes:
                break
        if hit:
            found.append(hit)
            i = hit.end
        else:
            i += 1
    return found


# OCR's readings of the number sign "nº" after a word ("Fatura n.2", "Factura n9"), as keys.
_SIGN_READING = re.compile(r"^no?[290]$")
# The same readings of "Nº" opening a label ("N.2 DOCUMENTO", "Ne:"; "º" read as "e" or "p"
# too, or read and then read again as a digit: "Nº2 Fra.:", "NP FRA").
_LEADING_SIGN_READING = re.compile(r"^n(?:o?[290]|[ep])$")


# A reference: digits parted by slashes or hyphens, a series letter or two before them.
_REFERENCE = re.compile(r"^[A-Za-z]{0,3}\d+(?:[/\-]\d+)+$")


def sign_reading_before_reference(sign: str, after: str) -> bool:
    """Whether a word alone in its cell is "Nº" as OCR misreads it ("N2"), the next cell
    opening with a reference ("24/12292")."""
    key = token_key(sign)
    return key != "n" and bool(_LEADING_SIGN_READING.match(key)) and bool(_REFERENCE.match(after))


def _leading_sign_reading(keys: list[str], texts: Sequence[str]) -> bool:
    """Whether the first word is "Nº" as OCR misreads it: a sign reading that ends in a colon
    or that, read as "nº", begins a label with the word after it ("N.2 DOCUMENTO")."""
    if not keys or not _LEADING_SIGN_READING.match(keys[0]) or keys[0] == "n":
        return False
    if texts[0].endswith(":"):
        return True
    if len(keys) == 1:
        return False
    follow = ("no", keys[1])
    return follow in _FIELD_PHRASES or follow in _prefixes(_FIELD_PHRASES)


# Digits OCR reads for the letters they look like inside a word ("CUOTA 1.V.A." for I.V.A.,
# "T0TAL"), and the words of every label: a word is read with them only when it then is one.
_LOOKALIKE_LETTERS = str.maketrans("10", "io")
_LABEL_WORDS = frozenset(k for key in (*_FIELD_PHRASES, *_COLUMN_PHRASES) for k in key)
_MIN_LOOKALIKE_LETTERS = 2  # letters a word needs besides its one digit ("1va")


# A label's initial OCR read as the digit it looks like ("8. imponible" for B. imponible).
_INITIAL_LETTERS = {"8": "b", "0": "o", "1": "i", "5": "s"}
_PHRASE_STARTS = frozenset(key[:2] for key in _FIELD_PHRASES if len(key) >= 2)


def _initial_for_digit(key: str, after: str) -> str:
    """A lone digit's look-alike letter where it opens a label with the word after it."""
    letter = _INITIAL_LETTERS[key]
    return letter if (letter, after) in _PHRASE_STARTS else key


def _letters_for_digits(key: str) -> str:
    """A word's key with a look-alike digit read as its letter ("1va" -> "iva") when that makes
    it a word of a label and it was not one already; otherwise the key as it is."""
    if key.isalpha() or key.isdigit() or len(key) <= _MIN_LOOKALIKE_LETTERS:
        return key  # most words: letters only or digits only
    letters = key.translate(_LOOKALIKE_LETTERS)
    if letters == key or key in _LABEL_WORDS or not letters.isalpha():
        return key
    one_digit = sum(a != b for a, b in zip(key, letters, strict=True)) == 1
    return letters if one_digit and letters in _LABEL_WORDS else key


# A tax label with its rate glued on by OCR ("IVA21%", "TVA20", "MwSt19%").
_GLUED_RATE = re.compile(r"^([a-z]{2,})(\d{1,2}(?:\d{1,2})?%?)$")
# The kinds of label a rate is printed with (a tax's, a withholding's "IRPF15%"): digits glued
# to any other label word are a value ("Invoice01", "Factura2024"), not a rate.
_RATED_KINDS = frozenset({"tax_total", "other"})


def _rated(key: str) -> bool:
    """Whether a one-word label `key` is one a rate may be glued to."""
    return _FIELD_PHRASES.get((key,)) in _RATED_KINDS


# A phrase's words joined by a hyphen or slash into one word, and the key prefix that marks it
# (no token key holds a "-"); such a word is matched whatever its length.
_JOINED = re.compile(r"(?<=[^\W\d_])[-/](?=[^\W\d_])")
_HYPHENATED = "-"
_FIELD_PHRASES.update(
    {
        (_HYPHENATED + "".join(key),): kind
        for key, kind in list(_FIELD_PHRASES.items())
        if len(key) > 1
    }
)


def match_field_labels(texts: Sequence[str]) -> list[LabelMatch]:
    """Field labels (invoice_number, issue_date, net_total, ..., other) in a run of words."""
    return list(_field_labels(tuple(texts)))


@lru_cache(maxsize=65536)
def _field_labels(texts: tuple[str, ...]) -> tuple[LabelMatch, ...]:
    """match_field_labels, once per run of words (one line is looked at by many rules)."""
    keys = word_keys(texts)
    for i, key in enumerate(keys):
        if i and _SIGN_READING.match(key):
            keys[i] = "no"  # "Fatura n.2": the number sign as OCR reads it
        elif i and _LEADING_SIGN_READING.match(key) and (keys[i - 1], "no") in _FIELD_PHRASES:
            keys[i] = "no"  # "Fra. ne": a misreading that makes a number label with its word
        elif key in _INITIAL_LETTERS and i + 1 < len(keys):
            keys[i] = _initial_for_digit(key, keys[i + 1])
        elif not i and _leading_sign_reading(keys, texts):
            keys[i] = "no"  # "N.2 DOCUMENTO", "Ne:": a label opened by the sign OCR misread
        else:
            keys[i] = _letters_for_digits(key)
        glued = _GLUED_RATE.match(key)
        if glued and (key,) not in _FIELD_PHRASES and _rated(glued.group(1)):
            keys[i] = glued.group(1)
        elif (key,) not in _FIELD_PHRASES and _JOINED.search(texts[i]):
            parts = tuple(k for k in (token_key(t) for t in _JOINED.split(texts[i])) if k)
            if parts in _FIELD_PHRASES:
                keys[i] = _HYPHENATED + key  # "NIF-IVA:", "CIF/NIF": a phrase in one word
    joined = _join_split_words(keys)
    return tuple(
        LabelMatch(m.kind, m.start, m.end + (m.end in joined), m.strength)
        for m in _signs_to_references(keys, _match(keys, _FIELD_PHRASES, _WEAK_KEYS))
    )


# A bare number sign ("Nº", "Nr.", "No.", "#") names the number of the label it stands beside:
# after or before a reference's or a tax id's label ("Presupuesto nº", "Nº de presupuesto",
# "Angebot Nr.", "NIF nº"), the number is that label's, never the invoice's. Words that may join the two ("de", "of").
_NUMBER_SIGNS = frozenset({"no", "n", "nr", "num", "numero", "number", "nummer", "#", "zk", "zenb"})
_JOINING_WORDS = frozenset({"de", "del", "d", "da", "do", "di", "of", "der", "des", "du", "van"})
# Labels a number sign beside them belongs to: a reference's ("Presupuesto nº") and a tax id's
# ("Contribuinte n.º", "NIF nº", "N.º contribuinte", "Partita IVA n.").
_SIGN_OWNERS = frozenset({"other", "tax_id"})


def _signs_to_references(keys: list[str], found: list[LabelMatch]) -> list[LabelMatch]:
    """Matches with each bare number sign beside a reference or tax-id label made part of it."""
    out: list[LabelMatch] = []
    i = 0
    while i < len(found):
        m = found[i]
        after = found[i + 1] if i + 1 < len(found) else None
        if (
            m.kind in _SIGN_OWNERS
            and after is not None
            and _bare_sign(keys, after)
            and _adjacent(keys, m.end, after.start)
        ):
            out.append(LabelMatch(m.kind, m.start, after.end, m.strength))
            i += 2
            continue
        if _bare_sign(keys, m) and _names_word_before(keys, m, found):
            out.append(LabelMatch("other", m.start, m.end, m.strength))
            i += 1
            continue
        if _bare_sign(keys, m):
            # "Nº de presupuesto": the joining word between may have matched as a weak label.
            j = i + 1
            if j < len(found) and _joining(keys, found[j]):
                j += 1
            if (
                j < len(found)
                and found[j].kind in _SIGN_OWNERS
                and _adjacent(keys, m.end, found[j].start)
            ):
                out.append(LabelMatch(found[j].kind, m.start, found[j].end, found[j].strength))
                i = j + 1
                continue
        out.append(m)
        i += 1
    return out


def _names_word_before(keys: list[str], m: LabelMatch, found: list[LabelMatch]) -> bool:
    """A bare sign after a word no label holds, with no invoice word before it ("Aries.3 nº 34",
    "telar nº 11"): the number of that thing (a machine, a part), not the invoice's."""
    before = [k for k in keys[: m.start] if k]
    if not before or any(f.kind == "invoice_number" and f.end <= m.start for f in found):
        return False
    covered = {j for f in found for j in range(f.start, f.end)}
    last = max(j for j in range(m.start) if keys[j])
    word = keys[last]
    named = word.isalpha() and len(word) >= _MIN_NAMED and word not in _DOCUMENT_WORDS
    return last not in covered and (any(ch.isdigit() for ch in word) or named)


_MIN_NAMED = 3  # letters of a word a number sign may name ("A nº 12" is a series, not a thing)
# Last words of a document's own title before its number sign ("Credit note Nr.", "Nota de
# crédito nº", "Gutschrift Nr.", "Avoir n°", "Fatura-Recibo n.º"): the number is the document's.
_DOCUMENT_WORDS = frozenset(
    {
        "note", "nota", "credit", "credito", "debit", "debito", "abono", "avoir", "gutschrift",
        "storno", "proforma", "recibo", "rectificativa", "rectificativo",
        "creditnota", "accredito", "document", "documento", "belastungsanzeige", "faktura",
    }
)  # fmt: skip


def _bare_sign(keys: list[str], m: LabelMatch) -> bool:
    """A weak invoice-number match that is a number sign alone."""
    words = [k for k in keys[m.start : m.end] if k]
    return m.kind == "invoice_number" and len(words) == 1 and words[0] in _NUMBER_SIGNS


def opens_with_bare_sign(texts: Sequence[str], found: list[LabelMatch]) -> bool:
    """Whether a run of words opens with a number sign alone read as the invoice number's
    label ("n.º 527/AT", "No. 285235")."""
    return bool(found) and found[0].start == 0 and _bare_sign(word_keys(texts), found[0])


def ends_naming_a_thing(texts: Sequence[str], found: list[LabelMatch]) -> bool:
    """Whether a run of words ends with a word a number sign after it would number ("...
    programa certificado", "... CRO"), as `_names_word_before` judges one inside a run."""
    keys = [*word_keys(texts), "no"]
    sign = LabelMatch("invoice_number", len(keys) - 1, len(keys), 1.0)
    return _names_word_before(keys, sign, found)


def _joining(keys: list[str], m: LabelMatch) -> bool:
    """A weak match of one joining word ("de" is a bare seller label too)."""
    words = [k for k in keys[m.start : m.end] if k]
    return m.strength < 1.0 and len(words) == 1 and words[0] in _JOINING_WORDS


def _adjacent(keys: list[str], end: int, start: int) -> bool:
    """Nothing but punctuation and at most one joining word between two matches."""
    between = [k for k in keys[end:start] if k]
    return len(between) <= 1 and all(k in _JOINING_WORDS for k in between)


# Words of the lexicon's own phrases (not of their glued variants: "de pago" glued is no word).
_FIELD_WORDS = {
    k
    for entries in FIELD_LABELS.values()
    for entry in entries
    for k in (token_key(t) for t in entry.split())
    if len(k) >= _MIN_SPLIT
}


def _join_split_words(keys: list[str]) -> set[int]:
    """A label word OCR split in two ("Fac tura", "Factur a"), made one key in place; returns
    the indexes of the second halves (their keys emptied)."""
    joined = set()
    for i in range(len(keys) - 1):
        a, b = keys[i], keys[i + 1]
        if a and b and a not in _FIELD_WORDS and a + b in _FIELD_WORDS:
            keys[i], keys[i + 1] = a + b, ""
            joined.add(i + 1)
    return joined


_COLUMN_FIRST = {phrase[0] for phrase in _COLUMN_PHRASES}
# Later words of column phrases ("unitari" of "preu unitari"): no glued unit to cut off.
_COLUMN_LATER = {word for phrase in _COLUMN_PHRASES for word in phrase[1:]}


# Letters OCR reads a table's vertical rule as, glued to the head after it ("Jprezo").
_RULE_LETTERS = frozenset("jli")
_RULED_LABEL = 5  # letters of a head with its rule glued on, at least
_ELISION = re.compile(r"^\W*[a-zA-Z]['’]")  # "l'unité", "l'import": an article, no rule


def match_column_labels(texts: Sequence[str]) -> list[LabelMatch]:
    """Table column labels (description, quantity, unit_price, amount, ...) in a run of words.

    A header word with a unit glued on ("Precio/u", "Importe/EUR") is matched by its first part.
    """
    keys = word_keys(texts)
    for i, text in enumerate(texts):
        if keys[i] not in _COLUMN_FIRST and keys[i].strip("%") in _COLUMN_FIRST:
            keys[i] = keys[i].strip("%")  # "%Dto": the sign glued to its label
        elif keys[i] not in _COLUMN_FIRST and "/" in text:
            head = token_key(text.split("/")[0])
            if head in _COLUMN_FIRST:
                keys[i] = head
        elif (
            keys[i] not in _COLUMN_FIRST
            and keys[i][:1] in _RULE_LETTERS
            and keys[i][1:] in _COLUMN_FIRST
            and len(keys[i]) >= _RULED_LABEL
            and not _ELISION.match(text)
        ):
            keys[i] = keys[i][1:]  # "Jimporte": the column's rule read as a letter glued on
        elif keys[i] not in _COLUMN_FIRST and keys[i] not in _COLUMN_LATER and len(keys[i]) >= 6:
            # ... or with the "/" read as a letter by OCR ("Preciolu" for "Precio/u").
            head = next((k for k in (keys[i][:-1], keys[i][:-2]) if k in _COLUMN_FIRST), None)
            if head is not None and len(head) >= 5:
                keys[i] = head
            else:
                keys[i] = _one_letter_off(keys[i]) or keys[i]
    return _match(keys, _COLUMN_PHRASES, set())


_COLUMN_WORDS: dict[int, list[str]] = {}
for _key in {k[0] for k in _COLUMN_PHRASES if len(k) == 1 and len(k[0]) >= 5}:
    _COLUMN_WORDS.setdefault(len(_key), []).append(_key)
_LONG_WORD = 8


@lru_cache(maxsize=65536)
def _one_letter_off(key: str) -> str | None:
    """The one column word `key` is with one letter misread ("descripcien"; in a shorter word
    only a look-alike, "preclo"), if any."""
    near = []
    for word in _COLUMN_WORDS.get(len(key), ()):
        diff = [(a, b) for a, b in zip(word, key, strict=True) if a != b]
        if len(diff) == 1 and (len(key) >= _LONG_WORD or lookalike(*diff[0])):
            near.append(word)
    return near[0] if len(near) == 1 else None
