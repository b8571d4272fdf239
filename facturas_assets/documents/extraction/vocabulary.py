"""OCR slips in item descriptions mended with the words of descriptions read exactly.

A maintenance business bills the same services, parts and machines again and again, and most of
its invoices arrive with exact text (e-invoices, PDF text layers). The words of those exact
descriptions, the pairs they form and the punctuation around them make a vocabulary. A word of an
OCR'd description that the vocabulary does not know is replaced by the one known word it is an
OCR slip away from ("rectilinea" -> "rectilínea", "Brickner" -> "Brückner", "de!" -> "del");
a word with no such neighbour, or with several, stays as read. Known pairs also split glued
words ("1m"), put back a lost one-letter unit or short word, and tell specks from text. Digits
are never changed into other digits; a lone "1" becomes the unit "l" only where the word before
it says so ("20 1" -> "20 l" when "20 l" is known and "20 1" is not).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from facturas_assets.documents.extraction.text import fold

# Punctuation that hugs a word without being part of it ("(fusto", "telar,", "vuoto)").
_EDGE = "\"'.,;:()[]{}«»“”‘’/_"
# Characters OCR reads for each other; a slip within one group costs half a letter.
_LOOKALIKES = ("l1iI|!¡íj", "o0ºO°Q*%", "s5", "b6", "g9qy", "z2", "uüúv", "ce(", "rn", "a@")
_CLASS = {ch: group[0] for group in _LOOKALIKES for ch in group}
# Letter pairs OCR reads as one letter ("tomilleria", "matenal", "auxihar").
_MERGES = (("rn", "m"), ("ri", "n"), ("li", "h"), ("cl", "d"))
_ACCENT_COST = 0.25  # same letter, accent lost or changed ("rectilinea")
_LOOKALIKE_COST = 0.5
# A word is rewritten when the nearest known word is at most this far (by its length).
_SHORT, _MEDIUM = 3, 8
_BUDGET_SHORT, _BUDGET_MEDIUM, _BUDGET_LONG = _LOOKALIKE_COST, 1.0, 2.0
_NEVER = 100.0  # digits are never added, dropped or changed into other digits
_DOMINANT = 3  # among equally near words, one this many times more frequent wins
_WELL_KNOWN = 3  # times a word must have been seen for its punctuation to be known
_FINAL_DOT_SHARE = 0.05  # below this share of known descriptions ending in a dot, one is a speck
_WORD = re.compile(r"\S+")
_QUOTES = set("\"'()[]{}«»“”‘’")  # never put or taken between words: they pair up
_SEGMENTED_MIN = 6  # letters of a word before it is tried as known words glued together
# Bounds on what one description may cost. A word's index entries grow with the square of its
# length and its OCR-slip search with more; no service, part or machine name (nor a few of them
# OCR glued together) comes near this many letters, so longer words are matched exactly only.
MAX_FUZZY_LETTERS = 40
# Mending weighs a description's words against each other (quadratic in their count): a
# description longer than this is no line item OCR slipped on; it is neither learnt nor mended.
MAX_DESCRIPTION_CHARS = 500
_TRAILING_SPECKS = 4  # at most this many dropped after a description's known last word
_LOST_TAIL_WORDS = 2  # at most this many last words of a known description put back
_LOST_TAIL_CHARS = 5  # and this many characters
_SPECK = 2  # letters and digits of a speck after a known ending
_WHOLE_SPECK = 3  # and after a whole known description
# A word OCR made of a stamp or of dirt: a capital inside small letters ("qIOQRc"), dashes or
# marks no description word holds, one letter three times ("MMMM"), or a stamp's date.
_GARBLED = re.compile(r"[a-zß-ÿ][A-ZÀ-Þ]|[—_~|¡¿«»]|(\w)\1\1|\d/\d")
_BRIDGE_MAX = 3  # letters of a word that may be put back between two others ("e", "de", "del")
_NEGATIONS = {"no", "non", "not", "ne", "nie", "pas", "sin", "nem", "nor"}
_JOINERS = ".-'’:"  # what OCR reads in place of a space between two words
# The number sign "nº" and what OCR makes of its small raised "º": "n2 34", "n. 2 34", "n°? 5".
_ORDINAL = "nº"
_ORDINAL_READ = re.compile(r"^(?:n[.°º*?”“\"¥]{0,3}-?2?|1[°º])$")  # "1°": its "n" a 1
_ORDINAL_SPECKS = {"2", "?", "°", "º", "*"}
# The sign glued to its number ("n°9", "n°:37", "n”13", "n*-17", Italian "n.-2"); a glued
# "2" is not split ("n231" may be 231).
_ORDINAL_GLUED = re.compile(r"^[¡!|]?(n[°º*®”“\"¥]|n\.)[:.\-]?(\d+\S*)$", re.IGNORECASE)
# And to the word before it ("K20n°9", "80n°6", "10.n®"), split where that word is known.
_ORDINAL_AFTER_WORD = re.compile(r"^(.+?)[.,]?(n[°º*®”“\"¥])[:.\-]?(\d+\S*)?$", re.IGNORECASE)
_NUMBER_SPECKS = "-¡!|"  # read before a number right after its sign ("n. -19", "n. ¡35")
# How much likelier (log) one number sign must be than another to be the description's own.
_SIGN_MARGIN = math.log(50)
_SIGN_FOLLOWS_SHARE = 0.75  # of the words after a word, signs: a number there lost its sign


def agreed(seen: Counter[str] | None) -> str | None:
    """The one value seen (a punctuation, a series), when it was seen often enough to be the
    rule; None when several were seen or it was seen too seldom."""
    if not seen or len(seen) != 1 or sum(seen.values()) < _WELL_KNOWN:
        return None
    return next(iter(seen))


def _split(token: str) -> tuple[str, str, str]:
    """Leading punctuation, the word, trailing punctuation."""
    start, end = 0, len(token)
    while start < end and token[start] in _EDGE:
        start += 1
    while end > start and token[end - 1] in _EDGE:
        end -= 1
    return token[:start], token[start:end], token[end:]


def _key(word: str) -> str:
    return word.casefold()


def _skeletons(key: str) -> set[str]:
    """A word with accents dropped and look-alike characters made one, with and without the
    letter pairs OCR reads as one letter merged ("pulizia" read "pubizia" keeps its "li")."""
    folded = fold(key)
    return {"".join(_CLASS.get(ch, ch) for ch in text) for text in (folded, _merged(folded))}


def _variants(key: str) -> set[str]:
    """The index entries of a word: its skeletons with up to its depth of letters deleted."""
    return {v for skeleton in _skeletons(key) for v in _deletes(skeleton, _depth(len(key)))}


def lookalike(a: str, b: str) -> bool:
    """True when OCR reads one of the two characters for the other (accents aside)."""
    return _CLASS.get(fold(a), fold(a)) == _CLASS.get(fold(b), fold(b))


def _merged(text: str) -> str:
    """`text` with the letter pairs OCR reads as one letter ("rn" as "m") made that letter."""
    for pair, single in _MERGES:
        text = text.replace(pair, single)
    return text


def _deletes(text: str, depth: int) -> set[str]:
    """`text` with every choice of up to `depth` (at most 2) of its letters deleted, never all
    but one; made by slicing (C), not letter by letter: this is what a word's cost is."""
    out = {text}
    n = len(text)
    if depth >= 1 and n >= 2:
        out.update(text[:i] + text[i + 1 :] for i in range(n))
    if depth >= 2 and n >= 3:
        out.update(text[:i] + text[i + 1 : j] + text[j + 1 :] for i, j in combinations(range(n), 2))
    return out


def _substitution(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if a.isdigit() and b.isdigit():
        return _NEVER  # "9200" and "9100" are two models, not a slip
    if fold(a) == fold(b):
        return _ACCENT_COST
    if _CLASS.get(a, a) == _CLASS.get(b, b):
        return _LOOKALIKE_COST
    return 1.0


def _indel(ch: str) -> float:
    return _NEVER if ch.isdigit() else 1.0


def slip_distance(a: str, b: str) -> float:
    """Edit distance where accents and OCR look-alikes cost less than other letters (letter
    pairs read as one letter, "rn" as "m", among them)."""
    plain = _edit_distance(a, b)
    merged_a, merged_b = _merged(a), _merged(b)
    if (merged_a, merged_b) == (a, b):
        return plain
    return min(plain, _edit_distance(merged_a, merged_b) + _LOOKALIKE_COST)


def _edit_distance(a: str, b: str) -> float:
    previous = [0.0]
    for cb in b:
        previous.append(previous[-1] + _indel(cb))
    for ca in a:
        current = [previous[0] + _indel(ca)]
        for j, cb in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + _indel(ca),
                    current[j - 1] + _indel(cb),
                    previous[j - 1] + _substitution(ca, cb),
                )
            )
        previous = current
    return previous[-1]


def _budget(length: int) -> float:
    if length <= _SHORT:
        return _BUDGET_SHORT
    return _BUDGET_MEDIUM if length < _MEDIUM else _BUDGET_LONG


def _depth(length: int) -> int:
    return 0 if length <= _SHORT else 1 if length < _MEDIUM else 2


@dataclass(slots=True)
class Mended:
    text: str
    words_changed: int


class Vocabulary:
    """Words (and word pairs) of exactly read descriptions, and the mending of OCR'd ones."""

    def __init__(self) -> None:
        self._forms: dict[str, Counter[str]] = defaultdict(Counter)  # key -> surface forms
        self._pairs: Counter[tuple[str, str]] = Counter()
        # (key, next key) -> the punctuation between them ("transporte, tramo")
        self._joints: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self._trails: dict[str, Counter[str]] = defaultdict(Counter)  # key -> punctuation after
        self._follows: dict[str, set[str]] = defaultdict(set)  # key -> keys seen right after it
        self._starts: Counter[str] = Counter()  # first words of descriptions
        self._leads: dict[str, Counter[str]] = defaultdict(Counter)  # key -> punctuation before
        self._endings: dict[str, Counter[str]] = defaultdict(Counter)  # last key -> punctuation
        self._continued: set[tuple[str, str]] = set()  # (key, punctuation) followed by more
        self._descriptions = 0
        self._wholes: Counter[tuple[str, ...]] = Counter()  # whole descriptions, as keys
        self._whole_shapes: Counter[tuple[str, ...]] = Counter()  # and with digits as 0
        self._tails: dict[tuple[str, ...], Counter[tuple[str, ...]]] = defaultdict(Counter)
        self._final_dots = 0  # descriptions ending in a dot
        # Words before numbers ("nº", Italian "n."): descriptions holding each, and the words
        # those descriptions hold (a Spanish "de la" or an Italian "della" tells the sign).
        self._signs: Counter[str] = Counter()
        self._sign_company: dict[str, Counter[str]] = defaultdict(Counter)
        # Likewise for words spelt with or without accents ("técnico", Italian "tecnico").
        self._spelt: Counter[str] = Counter()
        self._spelling_company: dict[str, Counter[str]] = defaultdict(Counter)
        self._index: dict[str, set[str]] = defaultdict(set)  # skeleton deletes -> keys
        self._accents: dict[str, set[str]] = defaultdict(set)  # key without accents -> keys

    @classmethod
    def from_descriptions(cls, descriptions: Iterable[str | None]) -> Vocabulary:
        """A vocabulary learnt from descriptions read exactly."""
        vocabulary = cls()
        for text in descriptions:
            vocabulary.learn(text)
        return vocabulary

    def __len__(self) -> int:
        return len(self._forms)

    def learn(self, description: str | None) -> None:
        """Add the words of one exactly read description (none of one over the length bound)."""
        if not description or len(description) > MAX_DESCRIPTION_CHARS:
            return
        previous, joint = "", ""
        self._descriptions += 1
        self._final_dots += description.rstrip().endswith(".")
        tokens = _WORD.findall(description)
        ordered: list[str] = []  # the keys of the words, in order
        starts: list[int] = []  # per token, how many keys come before it
        for token in tokens:
            starts.append(len(ordered))
            lead, word, trail = _split(token)
            if not word:
                continue
            key = _key(word)
            ordered.append(key)
            self._leads[key][lead] += 1
            if key not in self._forms and len(key) <= MAX_FUZZY_LETTERS:
                for variant in _variants(key):
                    self._index[variant].add(key)
                self._accents[fold(key)].add(key)
            self._forms[key][word] += 1
            self._trails[key][trail] += 1
            if previous:
                self._follows[previous].add(key)
                self._pairs[previous, key] += 1
                self._joints[previous, key][joint + lead] += 1
                self._continued.add((previous, joint))
            else:
                self._starts[key] += 1
            previous, joint = key, trail
        if previous:
            self._endings[previous][joint] += 1
        whole = tuple(ordered)
        self._wholes[whole] += 1
        self._whole_shapes[_digits_as_zero(whole)] += 1
        # The last words of a whole description, as written, after each of its short prefixes.
        for n in range(max(1, len(tokens) - _LOST_TAIL_WORDS), len(tokens)):
            self._tails[whole[: starts[n]]][tuple(tokens[n:])] += 1
        keys = set(ordered)
        self._learn_signs(tokens, keys)
        self._learn_spellings(keys)

    def _learn_signs(self, tokens: list[str], keys: set[str]) -> None:
        """The words before numbers in one description, and the words they came with."""
        signs = {
            _key(_split(t)[1])
            for t, after in zip(tokens, tokens[1:], strict=False)
            if after[:1].isdigit() and not any(ch.isdigit() for ch in t)
        }
        for sign in signs:
            self._signs[sign] += 1
            self._sign_company[sign].update(keys - signs)

    def _learn_spellings(self, keys: set[str]) -> None:
        """The words of one description beside each of its words that has another spelling."""
        for key in keys:
            if len(self._accents[fold(key)]) > 1:
                self._spelt[key] += 1
                self._spelling_company[key].update(keys - {key})

    def _sign_by_company(self, candidates: Iterable[str], parts: list[list[str]]) -> str | None:
        """Of the words written before numbers, the one descriptions holding this one's other
        words use, when it is far likelier than the rest."""
        known = [c for c in candidates if self._signs[c]]
        if not known or any(self._signs[c] < _WELL_KNOWN for c in known):
            return None  # a sign seen too seldom to be told from the others
        if len(known) == 1:
            return known[0]
        return self._vote(known, self._signs, self._sign_company, parts)

    def _vote(
        self,
        candidates: list[str],
        seen: Counter[str],
        company: dict[str, Counter[str]],
        parts: list[list[str]],
    ) -> str | None:
        """Of words that may stand in one place (signs, spellings), the one the descriptions
        holding this one's other words use, when it is far likelier than the rest: a naive
        Bayes vote of the words (`seen`: descriptions holding each, `company`: their words)."""
        words = {_key(w) for _, word, _ in parts for w in word.split(" ")} - set(candidates)
        words = {w for w in words if w in self._forms and not any(ch.isdigit() for ch in w)}
        scores = sorted(
            (
                math.log(seen[c])
                + sum(math.log((company[c][w] + 1) / (seen[c] + 2)) for w in words),
                c,
            )
            for c in candidates
        )
        (second, _), (best, chosen) = scores[-2], scores[-1]
        return chosen if best - second >= _SIGN_MARGIN else None

    def _mend_accents_by_company(self, parts: list[list[str]]) -> int:
        """A word spelt as in another language ("técnico" in an Italian "rapportino n. 18942,
        técnico: a. ferrer") where its neighbours do not tell: the spelling descriptions
        holding its other words use (Italian ones, "tecnico"), when far likelier."""
        changed = 0
        for part in parts:
            key = _key(part[1])
            twins = [k for k in self._accents.get(fold(key), ()) if self._spelt[k] >= _WELL_KNOWN]
            if key not in twins or len(twins) < 2:
                continue
            chosen = self._vote(twins, self._spelt, self._spelling_company, parts)
            if chosen is not None and chosen != key:
                part[1] = _cased_like(part[1], self._form(chosen))
                changed += 1
        return changed

    def mend(self, description: str) -> Mended:
        """`description` with each unknown word replaced by the one known word it is a slip of,
        a lost one-letter word or bridging word put back, and a leading speck dropped; one
        over the length bound is left as read."""
        if len(description) > MAX_DESCRIPTION_CHARS:
            return Mended(description, 0)
        parts = [list(_split(token)) for token in _WORD.findall(description)]
        changed = 0
        previous = ""
        for n, part in enumerate(parts):
            lead, word, trail = part
            following = _key(parts[n + 1][1]) if n + 1 < len(parts) else ""
            replacement = (
                self._nearest(word, previous, following) if word else self._lost(lead, previous)
            )
            if replacement is not None:
                if not word:  # "(bidón 20 )": the unit "l" lost before its parenthesis
                    lead, trail = "", lead
                word = _cased_like(word, replacement)
                changed += 1
            if trail and self._stray(word.split(" ")[-1], trail, self._trails):
                trail = ""  # "vacío." where the word never ends in a dot
                changed += 1
            elif not trail and word and (lost := self._lost_trail(word.split(" ")[-1])):
                trail = lost  # "n 12" where "n" is always "n."
                changed += 1
            if lead and word and self._stray(word.split(" ")[0], lead, self._leads):
                lead = ""  # "'telaio", "[Desplazamiento": a speck read before the word
                changed += 1
            part[:] = [lead, word, trail]
            previous = _key(word.split(" ")[-1]) if word else previous
        changed += self._mend_by_mended_neighbours(parts)
        changed += self._mend_accents_by_company(parts)
        changed += self._mend_sequence(parts)
        changed += self._drop_trailing_specks(parts)
        changed += self._drop_leading_strays(parts)
        changed += self._mend_joints(parts)
        changed += self._close_parenthesis(parts)
        changed += self._finish_cut_word(parts)
        if parts and parts[-1][2].endswith(".") and self._rarely_end_in_a_dot():
            parts[-1][2] = parts[-1][2][:-1]  # a speck after the last word, read as a dot
            changed += 1
        text = " ".join("".join(part) for part in parts if any(part))
        tail = self._lost_tail(parts)
        if tail:
            return Mended(f"{text} {tail}", changed + 1)
        return Mended(text, changed)

    def _lost_tail(self, parts: list[list[str]]) -> str | None:
        """The last words of a description OCR lost ("(bidón 20" for "(bidón 20 l)"): short
        ones, when the words read are the start of one whole description only, read exactly
        well before, and never a whole description themselves."""
        keys = _keys([part[1] for part in parts])
        if not keys or self._wholes[keys]:
            return None
        tails = self._tails.get(keys)
        if not tails or len(tails) != 1:
            return None
        ((tail, seen),) = tails.items()
        if seen < _WELL_KNOWN or sum(len(t) for t in tail) > _LOST_TAIL_CHARS:
            return None
        return " ".join(tail)

    def _finish_cut_word(self, parts: list[list[str]]) -> int:
        """A last word OCR read only the start of ("telar de pi", "técnico espec\""): the word
        of the one description, read exactly well before, whose start the other words are
        and whose next word begins so, with any short words after it."""
        if len(parts) < 2 or not parts[-1][1]:
            return 0
        cut = _key(parts[-1][1])
        if len(cut) < 2 or cut in self._forms or not cut.isalpha():
            return 0
        tails = self._tails.get(_keys([part[1] for part in parts[:-1]]), {})
        fits = [t for t in tails if _key(_split(t[0])[1]).startswith(cut) and len(t[0]) > len(cut)]
        if len(fits) != 1 or tails[fits[0]] < _WELL_KNOWN:
            return 0
        word, *rest = fits[0]
        if sum(len(t) for t in rest) > _LOST_TAIL_CHARS:
            return 0
        parts[-1:] = [[parts[-1][0], *_split(word)[1:]], *(list(_split(t)) for t in rest)]
        return 1

    def _close_parenthesis(self, parts: list[list[str]]) -> int:
        """The end of a parenthesis OCR lost after a description's last word ("(servicio
        urgente" for "(servicio urgente)", "(caja de 100 ud" for "(caja de 100 ud.)"), where
        the words read are a whole description read exactly well before, whose last word
        always ended it so."""
        text = "".join("".join(part) for part in parts)
        if not parts or not parts[-1][1] or text.count("(") <= text.count(")"):
            return 0
        keys = _keys([part[1] for part in parts])
        ending = agreed(self._endings.get(keys[-1]))
        if self._wholes[keys] < _WELL_KNOWN or not ending or ")" not in ending:
            return 0
        if not ending.startswith(parts[-1][2]) or ending == parts[-1][2]:
            return 0
        parts[-1][2] = ending
        return 1

    def _mend_by_mended_neighbours(self, parts: list[list[str]]) -> int:
        """Short words still unknown, told again by their neighbours as mended ("tas
        instataciones" -> "las instalaciones" once "instalaciones" is mended)."""
        changed = 0
        for n in range(1, len(parts) - 1):
            word = parts[n][1]
            if not word or _key(word) in self._forms:
                continue
            before = _key(parts[n - 1][1].split(" ")[-1])
            after = _key(parts[n + 1][1].split(" ")[0])
            found = self._by_context(_key(word), before, after)
            if found is not None:
                parts[n][1] = _cased_like(word, found)
                changed += 1
        return changed

    def _mend_joints(self, parts: list[list[str]]) -> int:
        """The punctuation between two words always seen with one and the same ("transporte
        tramo" -> "transporte, tramo", "39069; tecnico" -> "39069, tecnico")."""
        changed = 0
        for left, right in zip(parts, parts[1:], strict=False):
            if right[0] or not left[1] or not right[1]:
                continue
            known = agreed(
                self._joints.get((_key(left[1].split(" ")[-1]), _key(right[1].split(" ")[0])))
            )
            if known is not None and left[2] != known and not _QUOTES.intersection(left[2] + known):
                left[2] = known
                changed += 1
        return changed

    def _drop_trailing_specks(self, parts: list[list[str]]) -> int:
        """Specks and garbled words after a word that always ends descriptions ("material
        auxiliar 4", "telar de pinzas og", "tramo de 1 m úí—_ AXATI": a stamp's or a rule's
        remnants): up to three words, none of them known, one at least a speck or garbled.
        After a whole description read exactly before, a speck may have three letters ("para
        motor loa"); after one whose numbers differ, such specks are letters' only (a number
        after "nº 2" may be the machine's)."""
        for n in range(len(parts) - 2, max(len(parts) - 2 - _TRAILING_SPECKS, -1), -1):
            start = _keys([part[1] for part in parts[: n + 1]])
            after = [part[1] for part in parts[n + 1 :]]
            lettered = not any(w.isdigit() for w in after)
            exact = self._wholes[start] >= _WELL_KNOWN
            whole = exact or (
                lettered and self._whole_shapes[_digits_as_zero(start)] >= _WELL_KNOWN
            )
            if not whole and not self._always_last(parts[n]):
                continue
            speck = _WHOLE_SPECK if whole else _SPECK
            short = [sum(ch.isalnum() for ch in w) <= speck for w in after]
            # A known word (not a lone number) may be a new ending.
            unknown = all(w.isdigit() or _key(w) not in self._forms for w in after)
            specks = any(s or _GARBLED.search(w) for s, w in zip(short, after, strict=True))
            if (unknown and specks) or (exact and self._strays(start[-1], after)):
                del parts[n + 1 :]
                return len(after)
            return 0
        return 0

    def _drop_leading_strays(self, parts: list[list[str]]) -> int:
        """Words before a whole description read exactly well before (its numbers aside) that
        were never seen beside each other nor before its first word ("nico reparación de...",
        "bh o. mom o» ff lubrificazione...": a stamp's or a rule's): up to four, dropped."""
        for n in range(1, min(_TRAILING_SPECKS, len(parts) - 1) + 1):
            rest = _keys([part[1] for part in parts[n:]])
            shape = self._whole_shapes[_digits_as_zero(rest)]
            if shape < _WELL_KNOWN and not (shape and self._starts[rest[0]] >= _WELL_KNOWN):
                continue
            if self._any_pair_seen([*_keys([part[1] for part in parts[:n]]), rest[0]]):
                return 0
            del parts[:n]
            return n
        return 0

    def _strays(self, last: str, after: list[str]) -> bool:
        """Whether words after a whole known description are a stamp's ("material auxiliar
        en", "de trama og a"): no two neighbours among them ever seen side by side, and none
        a word of four letters or more never seen (that may be a new ending: "inox")."""
        if self._any_pair_seen([last, *_keys(after)]):
            return False
        return not any(
            k.isalpha() and len(k) >= 4 and k not in self._forms and not _GARBLED.search(w)
            for w in after
            for k in [_key(w)]
        )

    def _any_pair_seen(self, keys: list[str]) -> bool:
        """Whether any two neighbours among `keys` were seen side by side."""
        return any(pair in self._pairs for pair in zip(keys, keys[1:], strict=False))

    def _always_last(self, part: list[str]) -> bool:
        """Whether a word, with the punctuation after it, only ever ended known descriptions."""
        key = (_key(part[1].split(" ")[-1]), part[2])
        return self._endings[key[0]][key[1]] >= _WELL_KNOWN and key not in self._continued

    def _lost_trail(self, word: str) -> str | None:
        """The dot of a well-known abbreviation always written with it ("n" in "n. 12")."""
        dot = agreed(self._trails.get(_key(word))) == "."
        return "." if dot and any(ch.isalpha() for ch in word) else None

    def _rarely_end_in_a_dot(self) -> bool:
        return self._descriptions >= _WELL_KNOWN and self._final_dots < _FINAL_DOT_SHARE * (
            self._descriptions
        )

    def _mend_sequence(self, parts: list[list[str]]) -> int:
        """Drop specks (a stray dash or quote, a letter before the first word); put back a
        word lost between two others."""
        changed = 0
        specks = [
            n
            for n, (lead, word, trail) in enumerate(parts)
            if len(word) == 1 and not word.isalnum() and _key(word) not in self._forms
        ]
        if specks and len(self._forms) >= _WELL_KNOWN and len(specks) < len(parts):
            for n in reversed(specks):
                del parts[n]
            changed += len(specks)
        changed += self._mend_ordinals(parts)
        keys = [_key(word.split(" ")[0]) for _, word, _ in parts]
        if (
            len(parts) > 1
            and len(keys[0]) == 1
            and (keys[0], keys[1]) not in self._pairs
            and self._starts[keys[1]] >= _WELL_KNOWN
        ):
            del parts[0], keys[0]  # "i Kit de juntas": a rule remnant before the description
            changed += 1
        n = 1
        while n < len(parts):
            before, after = _key(parts[n - 1][1].split(" ")[-1]), keys[n]
            bridge = self._bridge(before, after, parts) if parts[n - 1][2] == "" else None
            if bridge is not None:
                trail = (agreed(self._trails.get(bridge)) or "") if self._signs[bridge] else ""
                parts.insert(n, ["", self._form(bridge), trail])
                keys.insert(n, bridge)
                changed += 1
            n += 1
        return changed

    def _mend_ordinals(self, parts: list[list[str]]) -> int:
        """ "nº 34" as OCR reads its small raised "º" before a number: "n2 34", "nº2 12",
        "n. 2 34", "n°? 5". Only where the vocabulary knows the sign well."""
        if self._count(_ORDINAL) < _WELL_KNOWN:
            return 0
        changed = 0
        for n in reversed(range(len(parts))):  # "n°9" -> "nº 9"
            token = parts[n][1] + parts[n][2]
            glued = _ORDINAL_GLUED.match(token)
            if glued and not parts[n][0]:
                # "n." may be the sign itself (Italian): left for the words to tell below.
                sign = ["", "n", "."] if glued[1] == "n." else ["", self._form(_ORDINAL), ""]
                parts[n : n + 1] = [sign, ["", *_split(glued[2])[1:]]]
                changed += 1
            elif (after_word := _ORDINAL_AFTER_WORD.match(token)) and (
                _key(after_word[1]),
                _ORDINAL,
            ) in self._pairs:
                word, _, number = after_word.groups()
                split = [[parts[n][0], word, ""], ["", self._form(_ORDINAL), ""]]
                parts[n : n + 1] = split + ([["", *_split(number)[1:]]] if number else [])
                changed += 1
        for sign, number in zip(parts, parts[1:], strict=False):
            bare = number[1].lstrip(_NUMBER_SPECKS)
            if _key(sign[1]) in {_ORDINAL, "n"} and bare != number[1] and bare.isdigit():
                number[1] = bare  # "n. -19": a rule or a speck before the number
                changed += 1
        n = 0
        while n + 1 < len(parts):
            token, after = "".join(parts[n]).replace(" ", ""), "".join(parts[n + 1])
            spare = (
                after in _ORDINAL_SPECKS and n + 2 < len(parts) and parts[n + 2][1][:1].isdigit()
            )
            misread = after[:1].isdigit() and (
                _key(parts[n][1]) not in self._forms
                or token.endswith("2")
                or (  # "n. 12" in a Spanish description: its "º" read as a dot
                    token != _ORDINAL
                    and self._sign_by_company({_ORDINAL, _key(parts[n][1])}, parts) == _ORDINAL
                )
            )
            if _ORDINAL_READ.match(token) and (spare or misread):
                parts[n] = ["", self._form(_ORDINAL), ""]
                if spare:
                    del parts[n + 1]
                changed += 1
            n += 1
        return changed

    def _bridge(self, before: str, after: str, parts: list[list[str]]) -> str | None:
        """The one short known word that joins two words never seen side by side ("Minuteria
        materiale" -> "e"), when both are known and were seen with it. Only short words are
        put back (OCR loses small glyphs), and never a negation."""
        if not before or not after or (before, after) in self._pairs:
            return None
        if after[:1].isdigit():
            return self._lost_sign(before, parts)
        if before not in self._forms or after not in self._forms:
            return None
        joins = [
            k
            for k in self._follows.get(before, ())
            if (k, after) in self._pairs
            and k not in {before, after}
            and len(k) <= _BRIDGE_MAX
            and k not in _NEGATIONS
        ]
        return joins[0] if len(joins) == 1 else None

    def _lost_sign(self, before: str, parts: list[list[str]]) -> str | None:
        """The number sign lost between a word and its number ("Isodirect 1800 22"): where the
        word was never followed by a number and mostly by a sign, the sign its description's
        words use."""
        follows = self._follows.get(before, set())
        if any(k[:1].isdigit() for k in follows):
            return None
        signs = [k for k in follows if self._signs[k]]
        seen = sum(self._pairs[before, k] for k in follows)
        if sum(self._pairs[before, k] for k in signs) < _SIGN_FOLLOWS_SHARE * seen:
            return None
        return self._sign_by_company(signs, parts)

    def _lost(self, punctuation: str, previous: str) -> str | None:
        """The one-letter word before `punctuation` that OCR lost, where the pair says so."""
        if not previous or not punctuation:
            return None
        fits = [
            k
            for k in self._follows.get(previous, ())
            if len(k) == 1 and k.isalpha() and punctuation in self._trails[k]
        ]
        return self._form(fits[0]) if len(fits) == 1 else None

    def _stray(self, word: str, punctuation: str, seen_with: dict[str, Counter[str]]) -> bool:
        """True when `punctuation` hugs a well-known word never seen with it (before or after)."""
        if not word or any(ch.isdigit() for ch in word):
            return False  # "nº 28. Trabajos": after a number a dot may end a sentence
        seen = seen_with.get(_key(word))
        return bool(seen) and sum(seen.values()) >= _WELL_KNOWN and punctuation not in seen

    def _count(self, key: str) -> int:
        forms = self._forms.get(key)  # .get: looking a word up must not make it known
        return sum(forms.values()) if forms else 0

    def _nearest(self, word: str, previous: str, following: str) -> str | None:
        key = _key(word)
        if not self._forms or len(key) > MAX_FUZZY_LETTERS:
            return None  # too long to be a slip of a known word: kept as read
        if len(key) == 1:
            return self._by_neighbours(key, previous, following)
        if not any(ch.isalpha() for ch in key):  # "201)" for "20 l)", "5%" for "5 %"
            return (
                self._unit_glued(key, previous)
                or self._unglued(word)
                or self._letters_read_as_digits(key, previous)
            )
        if key in self._forms:
            return self._case_slip(word, key) or self._accented_by_neighbours(
                key, previous, following
            )
        glued = self._unglued(word)
        if glued is not None:
            return glued
        scored = self._scored(key)
        between = self._seen_between(key, previous, following)
        if between is not None and not (scored and self._fits(scored[0][2], previous, following)):
            return between
        if not scored:
            return self._segmented(key) or self._by_context(key, previous, following)
        best_cost, best_count, best = scored[0]
        rivals = [s for s in scored[1:] if s[0] == best_cost]
        if rivals and -best_count < _DOMINANT * -rivals[0][1]:
            # Equally near known words, none clearly more common: the one the words around
            # it were seen with ("compresi controlo" -> "controllo", not "control"), if any.
            fits = [
                c
                for _, _, c in (scored[0], *rivals)
                if (previous, c) in self._pairs or (c, following) in self._pairs
            ]
            return self._form(fits[0]) if len(fits) == 1 else None
        return self._form(best)

    def _scored(self, key: str) -> list[tuple[float, int, str]]:
        """Known words within an OCR slip of `key`: (cost, -count, word), nearest first."""
        candidates: set[str] = set()
        for variant in _variants(key):
            candidates |= self._index.get(variant, set())
        budget = _budget(len(key))
        return sorted(
            (cost, -self._count(c), c)
            for c in candidates
            if (cost := slip_distance(key, c)) <= budget
        )

    def _segmented(self, key: str) -> str | None:
        """Known words OCR read without the spaces between them ("kitdejuntastéricas" -> "Kit
        de juntas tóricas"): each a known word (one of them at most an OCR slip away from
        one), each pair of neighbours a known pair."""
        if len(key) < _SEGMENTED_MIN or not key.isalpha():
            return None
        memo: dict[tuple[int, str, bool], tuple[str, ...] | None] = {}

        def pieces(start: int, previous: str, slipped: bool) -> tuple[str, ...] | None:
            if start == len(key):
                return ()
            if (start, previous, slipped) not in memo:
                memo[start, previous, slipped] = None
                for end in range(len(key), start, -1):
                    for known, slip in self._piece(key[start:end], slipped):
                        if previous and (previous, known) not in self._pairs:
                            continue
                        rest = pieces(end, known, slipped or slip)
                        if rest is not None:
                            memo[start, previous, slipped] = (known, *rest)
                            break
                    if memo[start, previous, slipped] is not None:
                        break
            return memo[start, previous, slipped]

        found = pieces(0, "", False)
        return " ".join(self._form(k) for k in found) if found and len(found) > 1 else None

    def _piece(self, text: str, slipped: bool) -> list[tuple[str, bool]]:
        """The known word `text` is, or (if no slip was spent yet) the one it is a slip of."""
        if text in self._forms:
            return [(text, False)]
        if slipped or len(text) < _SHORT + 1:
            return []
        scored = self._scored(text)
        if not scored or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return []
        return [(scored[0][2], True)]

    def _case_slip(self, word: str, key: str) -> str | None:
        """A known word in a mix of cases it was never written in ("iSO" for "ISO")."""
        forms = self._forms[key]
        if word in forms or word.islower() or word.isupper() or word.istitle():
            return None
        form, count = forms.most_common(1)[0]
        return form if count >= _WELL_KNOWN else None

    def _accented_by_neighbours(self, key: str, previous: str, following: str) -> str | None:
        """A known word spelt with another language's accents ("manodopera técnico" for
        "tecnico"): the one spelling seen beside its neighbours, where it never was."""
        if self._fits(key, previous, following):
            return None
        fits = [
            k
            for k in self._accents.get(fold(key), ())
            if k != key and self._fits(k, previous, following)
        ]
        return self._form(fits[0]) if len(fits) == 1 else None

    def _fits(self, key: str, previous: str, following: str) -> bool:
        """Whether `key` was seen after `previous` or before `following`."""
        return (previous, key) in self._pairs or (key, following) in self._pairs

    def _seen_between(self, key: str, previous: str, following: str) -> str | None:
        """A word of letters two slips off ("telar lema R9500" for "Itema") where exactly one
        known word was seen between the words around it, and the nearest known word was not
        seen beside them ("tema")."""
        if not key.isalpha():
            return None
        fits = [
            c
            for c in self._between(previous, following)
            if c.isalpha() and slip_distance(key, c) <= _BUDGET_LONG
        ]
        return self._form(fits[0]) if len(fits) == 1 else None

    def _between(self, previous: str, following: str) -> list[str]:
        """The known words seen right after `previous` and right before `following`."""
        if not previous or not following:
            return []
        return [c for c in self._follows.get(previous, ()) if (c, following) in self._pairs]

    def _by_context(self, key: str, previous: str, following: str) -> str | None:
        """A short word one letter off ("det" for "del", "tas" for "las") where exactly one
        known word of its length was seen between the words around it."""
        if len(key) > _SHORT or not key.isalpha():
            return None
        fits = [
            c
            for c in self._between(previous, following)
            if len(c) == len(key) and slip_distance(key, c) <= _BUDGET_MEDIUM
        ]
        return self._form(fits[0]) if len(fits) == 1 else None

    def _by_neighbours(self, key: str, previous: str, following: str) -> str | None:
        """A one-character word the words around it say was misread ("20 1)" for "20 l)",
        "Mayer € Cie" for "Mayer & Cie"); a digit never becomes another digit."""
        if not previous or (previous, key) in self._pairs:
            return None  # a known pair, or no word before to tell
        fits = [
            k
            for k in self._follows.get(previous, ())
            if len(k) == 1
            and k != key
            and not (key.isdigit() and k.isdigit())
            and (following == "" or (k, following) in self._pairs)
        ]
        if following == "":  # one neighbour only: the character must look alike too
            fits = [k for k in fits if _CLASS.get(k, k) == _CLASS.get(key, key)]
        return self._form(fits[0]) if len(fits) == 1 else None

    def _unit_glued(self, key: str, previous: str) -> str | None:
        """A number with its one-letter unit glued and misread ("(bidón 201)" for "20 l)"),
        when the word before it, the number and the unit all make known pairs."""
        number, last = key[:-1], key[-1]
        if not previous or (previous, key) in self._pairs or (previous, number) not in self._pairs:
            return None
        units = [
            k
            for k in self._follows.get(number, ())
            if len(k) == 1 and k.isalpha() and _CLASS.get(k) == _CLASS.get(last)
        ]
        return f"{number} {self._form(units[0])}" if len(units) == 1 else None

    def _letters_read_as_digits(self, key: str, previous: str) -> str | None:
        """A model name's letters read as look-alike digits ("TC 191" for "TC 19i"): the one
        word seen after `previous` that it reads as, where the number itself never was."""
        if not previous or (previous, key) in self._pairs:
            return None
        fits = [
            k
            for k in self._follows.get(previous, ())
            if len(k) == len(key)
            and k != key
            and all(
                a == b or (a.isdigit() and b.isalpha() and lookalike(a, b))
                for a, b in zip(key, k, strict=True)
            )
        ]
        return self._form(fits[0]) if len(fits) == 1 else None

    def _unglued(self, word: str) -> str | None:
        """Two known words OCR glued, or joined by a dot, dash or quote ("1m", "nº3",
        "la-continua", "Cuscinetto.SKF", "50.n*" for "50 nº")."""
        for cut in range(1, len(word)):
            left, right = word[:cut], word[cut:]
            if right[0] in _JOINERS and len(right) > 1:
                right = right[1:]
            elif left[-1].isdigit() == right[0].isdigit():
                continue  # glued words are split where letters meet digits (or at a joiner)
            left_key = _key(left)
            if left_key not in self._forms:
                continue
            right_key, right_text = _key(right), None
            if (left_key, right_key) not in self._pairs:
                mended = self._nearest(right, left_key, "")
                if mended:  # one word, or several ("10n.2" -> "10" + "n. 2")
                    right_text = mended
                    right_key = _key(_split(mended.split(" ")[0])[1])
            if (left_key, right_key) in self._pairs:
                trail = self._trails[left_key].most_common(1)[0][0]
                return f"{self._form(left_key)}{trail} {right_text or self._form(right_key)}"
        return None

    def _form(self, key: str) -> str:
        return self._forms[key].most_common(1)[0][0]


def _digits_as_zero(keys: tuple[str, ...]) -> tuple[str, ...]:
    """Keys with every run of digits a 0: descriptions that differ in their numbers only (a machine's
    "nº 13" or "nº 14") share them."""
    return tuple(re.sub(r"\d+", "0", key) for key in keys)


def _keys(words: list[str]) -> tuple[str, ...]:
    """The keys of a description's words, words a mending joined split apart."""
    return tuple(_key(w) for word in words for w in word.split(" ") if w)


def _cased_like(read: str, known: str) -> str:
    """The known word in the case the word was printed in (a header in capitals stays so)."""
    if len(read) > 1 and read.isupper() and not known.isupper():
        return known.upper()
    return known
