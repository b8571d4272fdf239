"""A party block's name: the run that names it, past its headings, mended of OCR's traces."""

from __future__ import annotations

from dataclasses import dataclass

from facturas_assets.documents.extraction.labels import LabelMatch, match_field_labels
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.party_blocks import (
    _SPACE_GAP,
    Block,
    _cell_ending,
    _cells_within_reach,
)
from facturas_assets.documents.extraction.party_tax_ids import _PHONE_WORDS
from facturas_assets.documents.extraction.party_words import (
    _LEGAL_FORM,
    _LEGAL_FORM_ALONE,
    _MIN_NAME_CONFIDENCE,
    _STREET_ENDINGS,
    _STREET_WORDS,
    _address_line,
    _code,
    _courtesy,
    _ended_at_legal_form,
    _is_name,
    _legal_name,
    _text_height,
    _type_size,
    _unsure,
)
from facturas_assets.documents.extraction.taxids import find_tax_ids
from facturas_assets.documents.extraction.text import alnum_count, fold, squash, token_key
from facturas_assets.documents.model import Word


def _with_legal_form(line: Line, words: list[Word]) -> list[Word]:
    """A name with its legal form when OCR set the form in a cell of its own ("Name, | S.L.",
    "Name | S. | Coop."): the cells right after the name's, within a word space's reach,
    that together are a legal form."""
    reach = _SPACE_GAP * max(line.height, _text_height(words))
    extra: list[Word] = []
    for cell in _cells_within_reach(line, words, reach):
        extra.extend(cell)
        if _LEGAL_FORM_ALONE.fullmatch(" ".join(w.text for w in extra).strip(" ,")):
            return [*words, *extra]
    return words


def _split_label(line: Line, words: list[Word]) -> bool:
    """Whether a run opens a party's label that OCR split at its spaces into cells ("Facturer
    | a:"): with the cells right after it, it reads as a seller or buyer label."""
    after = _cells_within_reach(line, words, _SPACE_GAP * line.height)
    if not after:
        return False
    joined = [*words, *(w for cell in after for w in cell)]
    return any(
        m.start == 0 and m.end > len(words) and m.kind in ("seller", "buyer")
        for m in match_field_labels([w.text for w in joined])
    )


@dataclass(frozen=True, slots=True)
class NameReading:
    """A block's name: its text, its words, the position of its run in the block, whether it
    names a contact (an attention line)."""

    text: str
    words: list[Word]
    run: int
    contact: bool


def block_name(block: Block, lines: list[Line], labels: dict[int, list[LabelMatch]]) -> str | None:
    """The block's name (see name_reading)."""
    reading = name_reading(block, lines, labels)
    return None if reading is None else reading.text


def name_reading(
    block: Block, lines: list[Line], labels: dict[int, list[LabelMatch]]
) -> NameReading | None:
    """The block's name: its first run that looks like a name and not like a labelled field,
    past the lines that only head it (a salutation, "Razón social:", "Billing details:"); an
    attention line ("Attn: ...") names a contact, so it is the name only when no other is."""
    contact: NameReading | None = None
    unsure: NameReading | None = None
    looked = 0
    for position, (line_index, words) in enumerate(block.runs):
        if looked >= _NAME_RUNS:
            break
        if (
            labels.get(line_index)
            and any(
                m.kind not in ("seller", "buyer") and words[0] is lines[line_index].words[m.start]
                for m in labels[line_index]
            )
            and not _legal_name(words)  # "Project Services AB": a name opening with a label word
        ):
            looked += 1
            continue
        rest, attention = _past_heading(words)
        if not rest:
            continue  # a heading alone on its line: the name is under it
        looked += 1
        if _split_label(lines[line_index], rest):
            continue  # "Facturer | a:", "Dados | do cliente": a party's label OCR split
        rest = _ended_at_legal_form(_with_legal_form(lines[line_index], rest))
        if _label_of_reference(lines[line_index], rest, lines, labels):
            continue
        if not _is_name(rest) or _address_line(rest) or _labelled_value(rest):
            continue
        if _unsure(rest):
            # OCR's guess at ink it could not read (a label in a band, a stamp: "eee", "paros"):
            # a name only when the block holds no other.
            if unsure is None:
                unsure = NameReading(_clean_name(rest), rest, position, False)
            continue
        if attention:
            if contact is None or not contact.text:
                contact = NameReading(_clean_name(rest), rest, position, True)
            continue
        named = _wrapped_name(block, line_index, rest)
        return NameReading(_clean_name(named), named, position, False)
    return contact or unsure


_WRAP_WORDS = 5  # words of the second line of a name that wrapped
_WRAP_SIZE = 0.1  # share by which the two lines' type sizes may differ
_OCR_WRAP_SIZE = 0.2  # the same for OCR'd lines (a pixel of a 12 px box is 8 %)
_WRAP_GAP = 0.8  # type heights between the two lines
_WRAP_LINES = 2  # lines a name may wrap onto
_NAME_TYPE = 0.2  # share by which the lines after a name are set smaller than it


def _wrapped_name(block: Block, line_index: int, words: list[Word]) -> list[Word]:
    """A name set in large type that wrapped onto the block's next lines ("Maschinenbau |
    Krämer KG"): the next runs, each right under the last in the same size and holding no
    digit, are the rest of the name when they end in a legal form (the first line has none),
    or when the block's lines after them are set clearly smaller; or a name wrapped in a
    narrow column, read on while each line ran out of room (_column_wrapped)."""
    if _LEGAL_FORM.search(" ".join(w.text for w in words).strip(" ,")):
        return words
    size = _type_size(words)
    runs = _runs_after(block, line_index)
    name, last = list(words), words
    for k in range(_WRAP_LINES):
        nxt = runs[k] if k < len(runs) else None
        if not _continues_name(block, nxt, last, size):
            break
        name, last = [*name, *nxt], nxt
        if _LEGAL_FORM.search(" ".join(w.text for w in name).strip(" ,")):
            return name
        after = runs[k + 1] if k + 1 < len(runs) else None
        if after and _type_size(after) < (1 - _NAME_TYPE) * size:
            return name  # the name's large type ends here: its lines are the name
    return _column_wrapped(block, words, runs, size)


def _continues_name(block: Block, nxt: list[Word] | None, last: list[Word], size: float) -> bool:
    """Whether a run may be a line of the name after `last`: right under it, in its type,
    short and holding no digit."""
    if not nxt or len(nxt) > _WRAP_WORDS or any(ch.isdigit() for w in nxt for ch in w.text):
        return False
    if not _same_type(nxt, last, size, block.source == "letterhead"):
        return False
    return min(w.y0 for w in nxt) - max(w.y1 for w in last) <= _WRAP_GAP * size


_COLUMN_LINES = 4  # lines a name wrapped in a narrow column may take after its first


def _column_wrapped(
    block: Block, words: list[Word], runs: list[list[Word]], size: float
) -> list[Word]:
    """A name wrapped in a narrow column ("Acabados Textiles | Terrassa, S.L.", "Cooperativa
    Textil de | Baza"): the runs after its first line as long as the line before ran out of
    room (_wrapped_line), when they reach a legal form or each line before ended in a joining
    word; else the first line alone (a line of an address may be as short as a name's)."""
    name, last, joined, best = list(words), words, True, words
    for nxt in runs[:_COLUMN_LINES]:
        if not _continues_name(block, nxt, last, size) or not _wrapped_line(block, last, nxt):
            break
        joined = joined and _joining_end(last)
        name, last = [*name, *nxt], nxt
        if _LEGAL_FORM.search(" ".join(w.text for w in name).strip(" ,")):
            return name
        if joined and not _joining_end(last):
            best = name  # every line so far went on past a joining word
    return best


# Words a name never ends in: it goes on on the next line ("Cooperativa Textil de | Baza").
_JOINING_ENDS = frozenset(
    {
        *("de", "del", "dels", "d", "da", "do", "dos", "das", "di", "della", "delle", "dei"),
        *("y", "e", "i", "et", "und", "and", "of", "the", "van", "von", "der", "des", "du"),
        *("la", "las", "los", "le", "les", "für", "fur", "per", "para"),
    }
)
_SPACE = 0.25  # type sizes of a word space


def _joining_end(words: list[Word]) -> bool:
    """A run ending in a joining word, an ampersand or a hyphen: the name goes on after it."""
    last = words[-1].text
    return last.endswith(("&", "-", "+")) or token_key(last) in _JOINING_ENDS


def _wrapped_line(block: Block, last: list[Word], nxt: list[Word]) -> bool:
    """Whether a name's line wrapped onto the next run of its block: it ends in a joining word,
    or it reaches the column's edge (as far as the block's other lines) and the next run's
    first word would not have fit after it; the next run being no address line nor a label."""
    if _address_line(nxt) or any(
        token_key(w.text) in _STREET_WORDS or fold(w.text).endswith(_STREET_ENDINGS) for w in nxt
    ):
        return False
    if any(w.text.endswith(":") for w in nxt):
        return False
    if not _is_name(nxt) and not _LEGAL_FORM_ALONE.fullmatch(" ".join(w.text for w in nxt)):
        return False
    if _joining_end(last):
        return True
    others = [run for _, run in block.runs if run is not last and run is not nxt]
    # A line of one word may overflow its column (a long word cannot wrap): lines of several
    # words show how wide the column is, when there are some.
    others = [run for run in others if len(run) > 1] or others
    if not others:
        return False
    # The column's edge: as far as its other lines reach. A line reaching past them (a name
    # wider than its address) shows no edge it could have run into.
    edge = max(max(w.x1 for w in run) for run in others)
    end = max(w.x1 for w in last)
    if end > edge + _SPACE * _type_size(last):
        return len(last) == 1  # one word overflowing the column, else a line wider than it
    first = nxt[0]
    return end + _SPACE * _type_size(last) + (first.x1 - first.x0) > edge


def _runs_after(block: Block, line_index: int) -> list[list[Word]]:
    """The block's runs on the lines after `line_index`, in order, past OCR specks: a run of
    one letter or digit read off a speck or a rule ("i", "0") is no line of the name, and a
    line of the column beside (which the block skipped) does not end it either."""
    return [run for k, run in sorted(block.runs) if k > line_index and not _speck_run(run)]


def _speck_run(words: list[Word]) -> bool:
    """An OCR'd run of a single letter or digit: a speck or a rule read as text."""
    return all(w.confidence < 1.0 for w in words) and sum(alnum_count(w.text) for w in words) < 2


# Top to top, the lines of one name sit about 1.2 type sizes apart (at most this many).
_OCR_PITCH = 1.6


def _same_type(nxt: list[Word], last: list[Word], size: float, letterhead: bool) -> bool:
    """Whether a run is set in the name's type: its size about the name's, or, OCR'd under a
    letterhead (picked as the most prominent line: nothing under it is set larger), larger but
    its top one line under the last run's (a speck below a word swells its box down)."""
    found = _type_size(nxt)
    if abs(found - size) <= _wrap_size(nxt) * size:
        return True
    if not letterhead or all(w.confidence >= 1.0 for w in nxt) or found < size:
        return False
    pitch = min(w.y0 for w in nxt) - min(w.y0 for w in last)
    return 0 < pitch <= _OCR_PITCH * size


def _wrap_size(words: list[Word]) -> float:
    """The share by which a wrapped name's lines may differ in size: more for OCR'd words,
    whose boxes are a pixel or two off their ink."""
    return _WRAP_SIZE if all(w.confidence >= 1.0 for w in words) else _OCR_WRAP_SIZE


_NAME_RUNS = 3  # runs of a block, headings aside, that may hold its name


_LABEL_WORDS = 2  # words of an unknown field label ("Vertragsnummer", "Work date")


def _label_of_reference(
    line: Line,
    words: list[Word],
    lines: list[Line] | None = None,
    labels: dict[int, list[LabelMatch]] | None = None,
) -> bool:
    """A field's label the lexicon does not know, with its reference alone in the cell beside
    it ("Vertragsnummer  VN-2024-7"): one or two words and no legal form; not when that cell
    stands under a label of its own (a row of values under a row of heads)."""
    if len(words) > _LABEL_WORDS or _LEGAL_FORM.search(" ".join(w.text for w in words)):
        return False
    at = _cell_ending(line, words)
    if at is None or at + 1 >= len(line.cells):
        return False
    beside = line.cells[at + 1].words
    if not _code(beside) or find_tax_ids(beside):
        return False
    return lines is None or labels is None or not _under_label(line, beside, lines, labels)


_HEAD_LINES = 3  # lines above a value in which its column's head may stand


def _under_label(
    line: Line, words: list[Word], lines: list[Line], labels: dict[int, list[LabelMatch]]
) -> bool:
    """Whether the words stand under a head within a few lines above: a cell without digits
    over them, on a line holding a field's label (a row of heads, "Hoja | F. factura")."""
    x0, x1 = words[0].x0, words[-1].x1
    for up in lines[max(0, line.index - _HEAD_LINES) : line.index]:
        if up.page != line.page:
            continue
        if not any(m.kind not in ("seller", "buyer") for m in labels.get(up.index, [])):
            continue
        for cell in up.cells:
            if min(x1, cell.x1) > max(x0, cell.x0) and not any(ch.isdigit() for ch in cell.text):
                return True
    return False


def _labelled_value(words: list[Word]) -> bool:
    """A field with its label ("Pago: contado", "Tel. 900 123 456"), not a name: a word
    ending in a colon before others, or a telephone word opening it."""
    if any(w.text.endswith(":") for w in words[:-1]):
        return True
    return token_key(words[0].text) in _PHONE_WORDS and len(words) > 1


def _heading_phrases(*phrases: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(k for k in (token_key(t) for t in p.split()) if k) for p in phrases)


_INITIAL_TITLES = frozenset({"d", "m"})  # "D." (Don), "M." (Monsieur) after another title
# Phrases that open an attention line: the contact at the party, not the party.
_ATTENTION = _heading_phrases(
    *("attn", "att", "attention", "for the attention of", "fao", "aa", "atn", "a la atencion de"),
    *("atencion", "a l atencio de", "a latencio de", "a atencao de", "ao cuidado de"),
    *("a l attention de", "a lattention de", "a l att de", "a latt de", "attention de", "ca"),
    *("all attenzione di", "allattenzione di", "alla cortese attenzione di", "alla c a"),
    *("z hd", "zhd", "z hd v", "z hdn", "zu handen", "zu handen von", "zh", "ter attentie van"),
    *("t a v", "tav", "attentie"),
)
# Labels of the name field itself, and headings of a party's data over its name.
_NAME_HEADINGS = _heading_phrases(
    *("razon social", "nombre", "nombre o razon social", "denominacion", "denominacion social"),
    *("nom o rao social", "rao social", "nom", "razao social", "nome", "denominacao"),
    *("raison sociale", "denomination", "denomination sociale", "ragione sociale"),
    *("denominazione", "firma", "firmenname", "name", "company", "company name"),
    *("business name", "legal name", "naam", "bedrijfsnaam", "bedrijf", "empresa"),
    *("datos de facturacion", "dades de facturacio", "dados de faturacao", "dati di fatturazione"),
    *("donnees de facturation", "rechnungsdaten", "billing details", "billing information"),
    *("factuurgegevens", "datos fiscales", "dados fiscais", "izena"),
)
_HEADING_WORDS = 5  # words a heading phrase spans at most


def _past_heading(words: list[Word]) -> tuple[list[Word], bool]:
    """The words of a run after what heads the name in it (courtesy titles, an attention
    phrase, a name-field label "Razón social:"), with whether an attention phrase was among
    them; no words if the run is only a heading (any label ending in a colon alone)."""
    keys = [token_key(w.text) for w in words]
    i, attention = 0, False
    while i < len(words):
        if not keys[i]:
            i += 1  # ":" or "-" between a heading and the name
            continue
        if _courtesy(words[i], keys[i]) or (
            i
            and _courtesy(words[i - 1], keys[i - 1])
            and (keys[i] in _INITIAL_TITLES and not words[i].text[-1:].isalnum())
        ):
            i += 1  # "Sr. D. Juan ...": a one-letter title only after another
            continue
        step = _heading_at(words, keys, i)
        if step is None:
            break
        i, seen = step
        attention = attention or seen
    rest = words[i:]
    if len(rest) == len(words) and words[-1].text.endswith(":") and len(words) <= _HEADING_WORDS:
        return [], False  # "DATOS DE FACTURACIÓN:": a heading, its value under it
    return rest, attention


def _heading_at(words: list[Word], keys: list[str], i: int) -> tuple[int, bool] | None:
    """The index after an attention phrase or name heading starting at word `i`, with whether
    it was an attention phrase; None if none starts there. One word heads a name only with a
    colon, standing alone, or (an attention abbreviation) with its punctuation."""
    filled = [j for j in range(i, len(keys)) if keys[j]]
    for length in range(min(_HEADING_WORDS, len(filled)), 0, -1):
        span = filled[:length]
        key = tuple(keys[j] for j in span)
        attention = key in _ATTENTION
        if not attention and key not in _NAME_HEADINGS:
            continue
        end = span[-1] + 1
        text = words[span[-1]].text
        after = [w.text for w in words[end:]]
        colon = text.endswith(":") or (after[:1] and not keys[end] and ":" in after[0])
        alone = not any(token_key(t) for t in after)
        marked = any(not ch.isalnum() for ch in text)
        if length == 1 and not (colon or alone or (attention and (marked or len(key[0]) > 4))):
            return None
        return end, attention
    return None


def _clean_name(words: list[Word]) -> str:
    """The name's text, mended of what OCR adds to it: a leading speck or logo fragment it was
    unsure of ("“sx. Name"), quotes with no partner ("Name, “S.A."), and a comma before the
    legal form read as a semicolon ("Name; S.A.")."""
    while len(words) > 1 and _speck(words[0]):
        words = words[1:]
    text = squash(_joined_text(words))
    for opening, closing in _QUOTES:
        if text.count(opening) + text.count(closing) == 1:
            text = squash(text.replace(opening, " ").replace(closing, " "))
    form = _LEGAL_FORM.search(text.rstrip(" ,"))
    if form:
        head = text[: form.start()].rstrip()
        if head.endswith(";"):
            text = f"{head[:-1]}, {text[form.start() :]}"
    return text.strip(" :;,-")


def _joined_text(words: list[Word]) -> str:
    """The words' text, a space between each but after a hyphen a line broke ("Baden- |
    Württemberg")."""
    parts = [words[0].text] if words else []
    for before, word in zip(words, words[1:], strict=False):
        parts.append(word.text if _hyphen_break(before, word) else f" {word.text}")
    return "".join(parts)


def _hyphen_break(before: Word, word: Word) -> bool:
    """Whether `before` ends its line in a hyphen that joins it to `word`, a capital or a digit
    starting the next line: a compound's hyphen the line broke at ("Baden-Württemberg",
    "10-15"); before a small letter it may be a word split at a syllable ("Heizungs- und")."""
    text = before.text
    if len(text) < 2 or not text.endswith("-") or not text[-2].isalnum():
        return False
    if word.y0 < (before.y0 + before.y1) / 2:
        return False  # on the same line: "Elektro- und" keeps its space
    return word.text[:1].isupper() or word.text[:1].isdigit()


# Quotes OCR leaves beside words (opening, closing); a name quotes in pairs only.
_QUOTES = (("“", "”"), ("«", "»"), ("„", "“"), ("‘", "’"), ('"', '"'))
_SPECK_LETTERS = 3  # letters of a word a logo or a speck leaves before a name


def _speck(word: Word) -> bool:
    """A word OCR was unsure of, short and not a capitalised word: a logo's or a speck's trace."""
    letters = sum(ch.isalpha() for ch in word.text)
    return (
        word.confidence < _MIN_NAME_CONFIDENCE
        and letters <= _SPECK_LETTERS
        and not word.text[:1].isupper()
    )
