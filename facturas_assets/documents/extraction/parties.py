"""Seller and buyer: party blocks under their labels (or the letterhead) and their tax ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from facturas_assets.documents.extraction.dates import find_dates
from facturas_assets.documents.extraction.labels import (
    INVOICE_WORDS,
    LabelMatch,
    match_field_labels,
)
from facturas_assets.documents.extraction.layout import Cell, Line, median
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.party_confidence import NameEvidence, name_confidence
from facturas_assets.documents.extraction.taxids import TaxIdHit, find_tax_ids
from facturas_assets.documents.extraction.text import alnum_count, fold, squash, token_key
from facturas_assets.documents.model import Party, Word

_FORMS = (
    r"s\.?\s?l\.?\s?u?\.?|s\.?\s?a\.?\s?u?\.?|s\.?\s?coop\.?|sll|gmbh|ag|kg|sarl|sas|s\.?p\.?a\.?|"
    r"s\.?r\.?l\.?|lda\.?|ltd\.?|llc|inc\.?|b\.?v\.?|n\.?v\.?|plc|c\.?b\.?|e\.?u\.?|e\.?\s?k\.?|"
    r"eurl|sasu|s\.?n\.?c\.?|ohg|ug|gbr|limited|sprl|bvba"
)
_LEGAL_FORM = re.compile(rf"\b({_FORMS})$", re.IGNORECASE)
# A legal form standing alone, as OCR leaves it in a cell of its own ("S.L.", "S. Coop.").
_LEGAL_FORM_ALONE = re.compile(rf"({_FORMS})", re.IGNORECASE)
_TITLE_WORDS = {
    *INVOICE_WORDS,
    "original",
    "copia",
    "duplicado",
    "copy",
    "pagina",
    "page",
    "proforma",
    "rectificativa",
    "simplificada",
    "tax",
    "datos",
    "del",
    "de",
    # Other documents' titles: credit and debit notes, receipts ("FATURA-RECIBO").
    *("credit", "debit", "note", "nota", "credito", "debito", "abono", "recibo", "receipt"),
    *("gutschrift", "avoir", "storno", "creditnota", "notadecredito", "ordinaria", "di", "da"),
    # Kinds of invoice a title names ("FATTURA DIFFERITA", "FACTURE ORIGINALE", "VAT INVOICE").
    *("originale", "differita", "immediata", "accompagnatoria", "comercial", "commerciale"),
    *("vat", "recibo", "simplifiee", "simplificata"),
}
_BLOCK_LINES = 7
# Labels that may start a line of an address block ("CIF: B1234...", "Tel.").
_ADDRESS_LABELS = {"tax_id", "other"}
_BLOCK_GAP = 1.8  # line heights between the lines of one address block


@dataclass(slots=True)
class Block:
    """A party's block of lines: the name first, then address and ids."""

    kind: str  # seller | buyer
    page: int
    x0: float
    x1: float
    strength: float
    runs: list[tuple[int, list[Word]]] = field(default_factory=list)  # (line index, words)
    # How it was found: label, letterhead, footer (a registry footer's legal name), sender (the
    # top line printing that legal name), window, tax_id (over a tax id) or address.
    source: str = "label"

    def contains(self, line_index: int, word: Word) -> bool:
        return any(i == line_index and any(w is word for w in words) for i, words in self.runs)


def _label_at_cell_start(line: Line, label: LabelMatch) -> bool:
    first = line.words[label.start]
    return any(cell.words[0] is first for cell in line.cells)


def _cell_of(line: Line, word: Word) -> list[Word]:
    for cell in line.cells:
        if any(w is word for w in cell.words):
            return cell.words
    return [word]


def find_blocks(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int]
) -> list[Block]:
    """Blocks under explicit seller/buyer labels ('Cliente', 'Bill to', 'Emisor', ...)."""
    blocks: list[Block] = []
    for line in lines:
        if line.index in skip:
            continue
        for label in labels.get(line.index, []):
            if label.kind not in ("seller", "buyer") or not _label_at_cell_start(line, label):
                continue
            cell = _cell_of(line, line.words[label.start])
            rest = [w for w in cell if cell.index(w) >= label.end - _offset(line, cell)]
            last_label_word = line.words[label.end - 1]
            if label.strength < 1.0 and not (last_label_word.text.endswith(":") or not rest):
                continue  # "de", "to", "an" name a party only as "De:" or standing alone
            if (
                label.strength < 1.0
                and not last_label_word.text.endswith(":")
                and _ends_block_above(lines, line, cell)
            ):
                continue  # "DE" under an address is its country, not "De" heading a block
            if label.strength < 1.0 and not rest and _in_running_text(line, cell):
                continue  # "25 | de | gener": a word of a phrase OCR split at its spaces
            keys = [k for k in (token_key(w.text) for w in rest) if k]
            if keys and keys[0] in _NUMBER_SIGNS:
                continue  # "Cliente N.º 123": the customer's number, not a block's heading
            if label.strength >= 1.0 and _name_with_label_word(line, label, rest, labels):
                rest = [*line.words[label.start : label.end], *rest]  # "Seller Company SAS"
            block = Block(
                label.kind, line.page, cell[0].x0, max(w.x1 for w in cell), label.strength
            )
            rest = [w for w in rest if w.text not in (":", "-")]
            if rest:
                block.runs.append((line.index, rest))
            _grow(block, lines, line, labels, skip)
            if block.runs:
                blocks.append(block)
    return blocks


# Gap, in line heights, up to which OCR's cells are words of one phrase split at its spaces
# (its ink boxes leave wider gaps than a text layer's); columns stand further apart.
_SPACE_GAP = 1.6


def _in_running_text(line: Line, cell: list[Word]) -> bool:
    """Whether a cell is a word of a phrase OCR split at its spaces ("Página | 1 | de | 1"):
    the cell before or after it on the line stands within a word space's reach."""
    at = next(i for i, c in enumerate(line.cells) if c.words[0] is cell[0])
    reach = _SPACE_GAP * line.height
    before = line.cells[at - 1].words if at else None
    after = line.cells[at + 1].words if at + 1 < len(line.cells) else None
    return (before is not None and cell[0].x0 - before[-1].x1 <= reach) or (
        after is not None and after[0].x0 - cell[-1].x1 <= reach
    )


def _cell_ending(line: Line, words: list[Word]) -> int | None:
    """The index of the line's cell a run of words ends in (None: not a cell's end)."""
    return next((i for i, c in enumerate(line.cells) if c.words[-1] is words[-1]), None)


def _cells_within_reach(line: Line, words: list[Word], reach: float) -> list[list[Word]]:
    """The (at most two) cells right after a run's cell, each within `reach` of the one
    before: where OCR set the rest of a phrase split at its spaces."""
    at = _cell_ending(line, words)
    if at is None:
        return []
    found, last = [], words[-1]
    for cell in line.cells[at + 1 : at + 3]:
        if cell.x0 - last.x1 > reach:
            break
        found.append(cell.words)
        last = cell.words[-1]
    return found


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


def _ends_block_above(lines: list[Line], line: Line, cell: list[Word]) -> bool:
    """Whether a cell is the last line of the block above it (same left edge, no gap): an
    address's country line, not a heading."""
    if line.index == 0:
        return False
    above = lines[line.index - 1]
    if above.page != line.page or line.y0 - above.y1 > _BLOCK_GAP * max(line.height, above.height):
        return False
    tol = max(line.height, 4.0)
    return any(abs(c.x0 - cell[0].x0) <= tol and _is_name(c.words) for c in above.cells)


def _name_with_label_word(
    line: Line, label: LabelMatch, rest: list[Word], labels: dict[int, list[LabelMatch]]
) -> bool:
    """A party word that opens a name rather than heading it ("Seller Company SAS", "Buyer
    Company"): no colon after it, a capitalised word of the name following in its cell, and
    no other label there."""
    if not rest or line.words[label.end - 1].text.endswith((":", ".")):
        return False
    first = rest[0]
    if not first.text[:1].isupper() or not _is_name(rest):
        return False
    index = next(i for i, w in enumerate(line.words) if w is first)
    return not any(m.start <= index < m.end for m in labels.get(line.index, []))


def _offset(line: Line, cell: list[Word]) -> int:
    return next(i for i, w in enumerate(line.words) if w is cell[0])


def _grow(
    block: Block,
    lines: list[Line],
    start: Line,
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
) -> None:
    """Add the lines under the block's first line whose cell starts at the block's left edge."""
    last = start
    for nxt in lines[start.index + 1 : start.index + 1 + _BLOCK_LINES]:
        if nxt.page != start.page or nxt.index in skip:
            break
        if nxt.y0 - last.y1 > _BLOCK_GAP * max(nxt.height, last.height):
            break
        tol = max(nxt.height, 4.0)
        cell = next((c for c in nxt.cells if abs(c.x0 - block.x0) <= 2 * tol), None)
        if cell is None:
            cell = next(
                (
                    c
                    for c in nxt.cells
                    if block.x0 - tol <= c.x0 <= block.x1 + tol and c.x0 >= block.x0 - tol
                ),
                None,
            )
        if cell is None and block.runs:
            # A right-aligned block (a letterhead set flush right): lines ending at its edge.
            cell = next((c for c in nxt.cells if abs(c.x1 - block.x1) <= tol), None)
        if cell is None:
            if block.runs and any(
                c.x1 > block.x0 - tol and c.x0 < block.x1 + tol for c in nxt.cells
            ):
                break
            continue  # nothing in the block's column: a line of the column beside it
        first = _offset(nxt, cell.words)
        if any(
            m.start == first and m.kind not in _ADDRESS_LABELS for m in labels.get(nxt.index, [])
        ):
            break  # another party's label, or a field ("Fattura n.", "Data"): the block ended
        block.runs.append((nxt.index, cell.words))
        block.x1 = max(block.x1, cell.x1)
        last = nxt


def _is_name(words: list[Word]) -> bool:
    """Whether a run of words can be a company or person name (letters, not a label or value)."""
    text = squash(" ".join(w.text for w in words))
    letters = sum(ch.isalpha() for ch in text)
    if letters < 3 or find_dates(text) or len(find_amounts(text)) and letters < len(text) / 2:
        return False
    if any(ch in text for ch in _NOT_IN_NAMES) or _code(words) or _web_address(words):
        return False  # a rate's column ("% IVA"), an e-mail address, a reference
    return not _title(words) and not _garbled_title(text)


_WEB_ADDRESS = re.compile(r"^(www\.)?[\w-]+(\.[\w-]+)*\.[a-z]{2,4}$", re.IGNORECASE)


def _web_address(words: list[Word]) -> bool:
    """A web address, or an e-mail address whose "@" OCR lost or set apart ("info |
    name.es"): one word of a host name ending in its domain."""
    return len(words) == 1 and bool(_WEB_ADDRESS.match(words[0].text.strip(".,;")))


# Number signs after a title ("CREDIT NOTE Nr. A 2024/17"): what follows is its number.
_NUMBER_SIGNS = frozenset({"nr", "no", "n", "num", "numero", "nummer", "number", "nro"})


def _title(words: list[Word]) -> bool:
    """The document's title: words of titles only ("FATURA-RECIBO", "NOTA DE CRÉDITO"), but
    for its number after a number sign."""
    keys = [k for w in words for k in re.split(r"[^a-z0-9#]+", fold(w.text)) if k]
    sign = next(
        (i for i, k in enumerate(keys) if k in _NUMBER_SIGNS or k.startswith("#")), len(keys)
    )
    numbered = any(ch.isdigit() for k in keys for ch in k)
    head = {
        k
        for k in keys[: sign or len(keys)]
        if not any(ch.isdigit() for ch in k) and not (numbered and len(k) <= _SERIES_LETTERS)
    }
    return head <= _TITLE_WORDS


_SERIES_LETTERS = 2  # letters of a number's series ("FT A2024/17") after a title


# Characters no party name holds: a rate's "%", an e-mail's "@".
_NOT_IN_NAMES = "%@"
_TITLE_PREFIX = 4  # letters of the invoice word a title cut short by a scan still shows


def _garbled_title(text: str) -> bool:
    """The document's title as a scan leaves it: cut short ("FACTU") or its letters spaced
    apart ("FAC TUR E"), in capitals as titles are set; or its words cut at either end by a
    stamp or a fold ("¿E ORIGINA", "IGINAL"), or one letter misread in a spaced-out title
    ("E actu ra")."""
    letters = re.sub(r"[^a-z]", "", fold(text))
    if (
        text.isupper()
        and len(letters) >= _TITLE_PREFIX
        and any(word.startswith(letters) for word in INVOICE_WORDS)
    ):
        return True
    pieces = [p for p in re.split(r"[^a-z0-9]+", fold(text)) if p]
    words = [p for p in pieces if len(p) > _SERIES_LETTERS]
    if text.isupper() and words and all(_cut_title_word(p) for p in words):
        return True  # specks of one or two characters aside
    spaced = len(pieces) >= _SPACED_PIECES and all(p.isalpha() for p in pieces)
    return spaced and any(_one_letter_off(letters, word) for word in INVOICE_WORDS)


_CUT_LETTERS = 5  # letters of a title word cut at either end that still name it
_SPACED_PIECES = 3  # pieces of a title set with its letters spaced apart


def _cut_title_word(piece: str) -> bool:
    """A title word, or one cut at its start or end ("origina", "iginal")."""
    if piece in _TITLE_WORDS or piece in INVOICE_WORDS:
        return True
    return len(piece) >= _CUT_LETTERS and any(
        word.startswith(piece) or word.endswith(piece) for word in (*_TITLE_WORDS, *INVOICE_WORDS)
    )


def _one_letter_off(text: str, word: str) -> bool:
    """Whether `text` is `word` with one letter misread (same length, one letter differs)."""
    if len(text) != len(word) or len(word) < _CUT_LETTERS:
        return False
    return sum(a != b for a, b in zip(text, word, strict=True)) == 1


# A letterhead name OCR was this unsure of is a reading of a logo or a dark band, not a name.
_MIN_NAME_CONFIDENCE = 0.5


def _text_height(words: list[Word]) -> float:
    """The size of a run of words, robust to OCR boxes swollen by a speck or the line above:
    the lower quartile of the heights of its words of two or more letters or digits."""
    heights = sorted(w.y1 - w.y0 for w in words if alnum_count(w.text) >= 2)
    return heights[len(heights) // 4] if heights else median([w.y1 - w.y0 for w in words])


def _unsure(words: list[Word]) -> bool:
    """OCR was unsure of these words, or none of them is a word OCR is sure of ("ra n.")."""
    if sum(w.confidence for w in words) / len(words) < _MIN_NAME_CONFIDENCE:
        return True
    return not any(
        sum(ch.isalpha() for ch in w.text) >= 3 and w.confidence >= _MIN_NAME_CONFIDENCE
        for w in words
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
    looked = 0
    for position, (line_index, words) in enumerate(block.runs):
        if looked >= _NAME_RUNS:
            break
        if labels.get(line_index) and any(
            m.kind not in ("seller", "buyer") and words[0] is lines[line_index].words[m.start]
            for m in labels[line_index]
        ):
            looked += 1
            continue
        rest, attention = _past_heading(words)
        if not rest:
            continue  # a heading alone on its line: the name is under it
        looked += 1
        if _split_label(lines[line_index], rest):
            continue  # "Facturer | a:", "Dados | do cliente": a party's label OCR split
        rest = _with_legal_form(lines[line_index], rest)
        if _label_of_reference(lines[line_index], rest):
            continue
        if not _is_name(rest) or _address_line(rest) or _labelled_value(rest):
            continue
        if attention:
            if contact is None or not contact.text:
                contact = NameReading(_clean_name(rest), rest, position, True)
            continue
        named = _wrapped_name(block, line_index, rest)
        return NameReading(_clean_name(named), named, position, False)
    return contact


_WRAP_WORDS = 5  # words of the second line of a name that wrapped
_WRAP_SIZE = 0.1  # share by which the two lines' type sizes may differ
_WRAP_GAP = 0.8  # type heights between the two lines
_WRAP_LINES = 2  # lines a name may wrap onto
_NAME_TYPE = 0.2  # share by which the lines after a name are set smaller than it


def _wrapped_name(block: Block, line_index: int, words: list[Word]) -> list[Word]:
    """A name set in large type that wrapped onto the block's next lines ("Maschinenbau |
    Krämer KG"): the next runs, each right under the last in the same size and holding no
    digit, are the rest of the name when they end in a legal form (the first line has none),
    or when the block's lines after them are set clearly smaller."""
    if _LEGAL_FORM.search(" ".join(w.text for w in words).strip(" ,")):
        return words
    size = _text_height(words)
    runs = dict(block.runs)
    name, last = list(words), words
    for k in range(line_index + 1, line_index + 1 + _WRAP_LINES):
        nxt = runs.get(k)
        if not nxt or len(nxt) > _WRAP_WORDS or any(ch.isdigit() for w in nxt for ch in w.text):
            return words
        if abs(_text_height(nxt) - size) > _WRAP_SIZE * size:
            return words
        if min(w.y0 for w in nxt) - max(w.y1 for w in last) > _WRAP_GAP * size:
            return words
        name, last = [*name, *nxt], nxt
        if _LEGAL_FORM.search(" ".join(w.text for w in name).strip(" ,")):
            return name
        after = runs.get(k + 1)
        if after and _text_height(after) < (1 - _NAME_TYPE) * size:
            return name  # the name's large type ends here: its lines are the name
    return words


_NAME_RUNS = 3  # runs of a block, headings aside, that may hold its name

# Words of street addresses ("C/ Mayor 1", "12 Rue des Lilas", "High Street 7"), as
# keys, and the endings of compound street names ("Lindenstraße", "Dorpslaan").
_STREET_WORDS = frozenset(
    {
        *("c", "calle", "avda", "av", "avenida", "paseo", "pza", "plaza", "ctra", "carretera"),
        *("camino", "ronda", "travesia", "poligono", "pol", "carrer", "passeig", "placa", "rua"),
        *("travessa", "largo", "estrada", "rue", "avenue", "boulevard", "bd", "bld", "chemin"),
        *("allee", "impasse", "quai", "via", "viale", "piazza", "corso", "vicolo", "street"),
        *("st", "road", "rd", "lane", "ln", "drive", "dr", "way", "square", "postbus", "box"),
        *("apartado", "strasse", "str", "weg", "straat", "laan", "plein", "gracht", "kade"),
    }
)
_STREET_ENDINGS = (
    *("strasse", "straße", "str.", "laan", "straat", "gasse", "allee", "weg", "steeg"),
    *("veien", "vej", "gade", "gata", "gatan", "vagen", "vägen", "tie", "katu"),
)


_LABEL_WORDS = 2  # words of an unknown field label ("Vertragsnummer", "Work date")


def _label_of_reference(line: Line, words: list[Word]) -> bool:
    """A field's label the lexicon does not know, with its reference alone in the cell beside
    it ("Vertragsnummer  VN-2024-7"): one or two words and no legal form."""
    if len(words) > _LABEL_WORDS or _LEGAL_FORM.search(" ".join(w.text for w in words)):
        return False
    at = _cell_ending(line, words)
    if at is None or at + 1 >= len(line.cells):
        return False
    beside = line.cells[at + 1].words
    return _code(beside) and not find_tax_ids(beside)


def _labelled_value(words: list[Word]) -> bool:
    """A field with its label ("Pago: contado", "Tel. 900 123 456"), not a name: a word
    ending in a colon before others, or a telephone word opening it."""
    if any(w.text.endswith(":") for w in words[:-1]):
        return True
    return token_key(words[0].text) in _PHONE_WORDS and len(words) > 1


def _address_line(words: list[Word]) -> bool:
    """A street or town line of an address: opening with a house number or postcode ("12 Rue
    des Lilas", "4000 Town"), or a street word with a number ("High Street 7")."""
    digits = [w for w in words if any(ch.isdigit() for ch in w.text)]
    if not digits:
        return False
    first = words[0].text
    if sum(ch.isdigit() for ch in first) >= 2 and first[:1].isdigit() and len(words) > 1:
        return True
    keys = [token_key(w.text) for w in words]
    return any(k in _STREET_WORDS for k in keys) or any(
        fold(w.text).endswith(_STREET_ENDINGS) for w in words
    )


def _heading_phrases(*phrases: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(k for k in (token_key(t) for t in p.split()) if k) for p in phrases)


# Courtesy titles put before a buyer's name ("Sr./Sres.", "Messrs", "Herrn"), as token keys;
# "Sr./Sres." is one word, whose key is the titles glued ("srsres").
_COURTESY = frozenset(
    {
        *("sr", "sra", "sres", "sras", "srs", "srta", "srsres", "srsra", "sressras", "srsras"),
        *("don", "dna", "dona", "exmo", "exma", "exmos", "exmas", "senor", "senora"),
        *("senores", "senhor", "senhora", "senhores", "mr", "mrs", "ms", "messrs", "mme"),
        *("mlle", "mm", "messieurs", "herr", "herrn", "frau", "hr", "sig", "sigra", "sigg"),
        *("spett", "spettle", "dhr", "mevr"),
    }
)
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


def _courtesy(word: Word, key: str) -> bool:
    """A courtesy title; two letters only with its dot ("Sr.", "Mr."); a single letter with a
    dot is an initial of the name itself ("M. Weber Bau")."""
    return key in _COURTESY and (len(key) > 2 or not word.text[-1:].isalnum())


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
    text = squash(" ".join(w.text for w in words))
    for opening, closing in _QUOTES:
        if text.count(opening) + text.count(closing) == 1:
            text = squash(text.replace(opening, " ").replace(closing, " "))
    form = _LEGAL_FORM.search(text.rstrip(" ,"))
    if form:
        head = text[: form.start()].rstrip()
        if head.endswith(";"):
            text = f"{head[:-1]}, {text[form.start() :]}"
    return text.strip(" :;,-")


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


def letterhead(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int], taken: list[Block]
) -> Block | None:
    """The issuer's letterhead: the most prominent name-like cell near the top of page one."""
    first_page = [ln for ln in lines if ln.page == lines[0].page] if lines else []
    if not first_page:
        return None
    page_height = max(ln.y1 for ln in first_page) or 1.0
    found: list[tuple[float, Line, list[Word]]] = []
    for line in first_page:
        if line.index in skip or line.y0 > 0.45 * page_height:
            continue
        joined: list[Word] = []  # words of legal forms joined to the name before them
        for cell in line.cells:
            if any(b.contains(line.index, cell.words[0]) for b in taken):
                continue
            if any(w is cell.words[0] for w in joined):
                continue
            first = _offset(line, cell.words)
            if any(
                m.start <= first < m.end and m.kind != "seller" for m in labels.get(line.index, [])
            ):
                continue
            if any(
                m.end <= first and m.kind in _VALUE_FIELDS for m in labels.get(line.index, [])
            ) and not (_legal_name(cell.words) or _capitalised_words(cell.words)):
                continue  # a number or date beside its label ("FACTURA  A-12"), not a company
            if not _is_name(cell.words) or _unsure(cell.words):
                continue
            if not any(w.text[:1].isupper() for w in cell.words):
                continue  # words in lower case: a phrase's (a date OCR garbled), not a name
            words = _with_legal_form(line, cell.words)
            joined.extend(words[len(cell.words) :])
            height = _text_height(words)
            score = height * (1.0 - 0.5 * line.y0 / page_height)
            found.append((score, line, words))
    if not found:
        return None
    _, line, words = _legal_name_over_logo(found)
    block = Block("seller", line.page, words[0].x0, max(w.x1 for w in words), 0.7)
    block.source = "letterhead"
    block.runs.append((line.index, words))
    _grow(block, lines, line, labels, skip)
    return block


_ACRONYM_LETTERS = 6  # a logo's acronym: one word of at most this many capitals and digits


def _acronym(words: list[Word]) -> str | None:
    """The letters of a logo's acronym ("ABC", "T.M.S."): one word of capitals, else None."""
    if len(words) != 1:
        return None
    letters = "".join(ch for ch in words[0].text if ch.isalnum())
    if not 2 <= len(letters) <= _ACRONYM_LETTERS or not letters.isupper():
        return None
    return fold(letters)


def _capitalised_words(words: list[Word]) -> bool:
    """Two or more words, each capitalised, with no digit ("Jordi Puig Serra"): a name, never
    a number's or a date's value."""
    return len(words) >= 2 and all(
        w.text[:1].isupper() and not any(ch.isdigit() for ch in w.text) for w in words
    )


def _legal_name(words: list[Word]) -> bool:
    """Words that end in a company's legal form and hold no digit ("Orbe Textil, S.L.")."""
    text = " ".join(w.text for w in words).strip(" ,")
    return not any(ch.isdigit() for ch in text) and bool(_LEGAL_FORM.search(text))


def _abbreviates(acronym: str, words: list[Word]) -> bool:
    """Whether a logo's acronym abbreviates a name: the initials of its long words, or of
    all its words (joining words and legal form included: "RGS" for "Ruiz Garrido, S.L.")."""
    every = "".join(fold(w.text)[0] for w in words if w.text[:1].isalpha())
    return len(acronym) >= 2 and (
        _initials(words).startswith(acronym) or every.upper().startswith(acronym.upper())
    )


def _leading_segment(words: list[Word]) -> list[Word]:
    """A footer's first item ("Name · street · VAT ..."): the words before its first separator,
    else the longest run before its first digit that ends in a legal form ("Name GmbH Street
    5, Town"), else all its words."""
    for i, w in enumerate(words):
        if w.text in _SEPARATORS:
            return words[:i]
    digit = next((i for i, w in enumerate(words) if any(ch.isdigit() for ch in w.text)), None)
    if digit is None:
        return words
    for end in range(digit, 0, -1):
        if _LEGAL_FORM.search(" ".join(w.text for w in words[:end]).strip(" ,")):
            return words[:end]
    return words


_SEPARATORS = frozenset({"·", "|", "•", "–", "—", "-", "/"})


def _initials(words: list[Word]) -> str:
    """The first letters of a name's words, legal form and short joining words aside."""
    return "".join(
        fold(w.text)[0]
        for w in words
        if sum(ch.isalpha() for ch in w.text) > 2 and w.text[0].isalnum()
    )


def _legal_name_over_logo(
    found: list[tuple[float, Line, list[Word]]],
) -> tuple[float, Line, list[Word]]:
    """The letterhead among name-like cells: the most prominent, unless it is a logo's acronym
    and the page also prints a legal name (a company form, or words the acronym abbreviates):
    the party is named by its legal name (EN 16931 BT-27), not by its logo."""
    best = max(found, key=lambda f: f[0])
    acronym = _acronym(best[2])
    if acronym is None:
        return best
    legal = [
        f
        for f in found
        if f is not best
        and len(f[2]) >= 2
        and (
            _LEGAL_FORM.search(" ".join(w.text for w in f[2]).strip(" ,"))
            or _abbreviates(acronym, f[2])
        )
    ]
    return max(legal, key=lambda f: f[0]) if legal else best


@dataclass(slots=True)
class Parties:
    """The seller and buyer found, with confidences for their names and tax ids."""

    seller: Party
    buyer: Party
    confidence: dict[str, float]


def extract_parties(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int]
) -> Parties:
    """Seller and buyer names and tax ids, each tax id attached to the nearest party block."""
    blocks = find_blocks(lines, labels, skip)
    seller_block = next((b for b in blocks if b.kind == "seller"), None)
    buyer_block = next((b for b in blocks if b.kind == "buyer"), None)
    legal: tuple[Block, int] | None = None
    legal_name: str | None = None
    if seller_block is None:
        seller_block = letterhead(lines, labels, skip, blocks)
        legal = footer_legal_name(lines, labels, skip)
        if legal is not None and seller_block is not None:
            top_name = fold(block_name(seller_block, lines, labels) or "")
            if top_name.startswith(fold(block_name(legal[0], lines, labels) or "")):
                legal = None  # the letterhead prints the footer's name, or more of it
    if legal is not None:
        # The sender's legal name, printed in the footer and at the page's top, names the
        # seller, whose block is the top line printing it. A letterhead right under that line
        # (a return-address line over the address window) is the address sent to.
        footer, sender_line = legal
        legal_name = block_name(footer, lines, labels)
        window = (
            seller_block is not None
            and (buyer_block is None or not block_name(buyer_block, lines, labels))
            and _near_below(lines, sender_line, seller_block.runs[0][0])
        )
        if window and seller_block is not None:
            buyer_block = Block(
                "buyer",
                seller_block.page,
                seller_block.x0,
                seller_block.x1,
                0.6,
                seller_block.runs,
                "window",
            )
        seller_block = _sender_block(lines, sender_line, legal_name or "", labels, skip, window)
    hits = _all_tax_ids(lines, labels, skip)
    if buyer_block is not None and not block_name(buyer_block, lines, labels):
        found = _unlabelled_buyer(hits, lines, labels, skip, seller_block)
        buyer_block = found or buyer_block  # a label over no name: the block is elsewhere
    if buyer_block is None:
        buyer_block = _unlabelled_buyer(hits, lines, labels, skip, seller_block)
    if buyer_block is None and seller_block is not None:
        buyer_block = _address_block(lines, labels, skip, seller_block)
    conf: dict[str, float] = {}
    seller, buyer = Party(), Party()
    readings: dict[str, tuple[Block, NameReading]] = {}
    for party, block, key in ((seller, seller_block, "seller"), (buyer, buyer_block, "buyer")):
        if block is not None:
            reading = name_reading(block, lines, labels)
            if key == "seller" and legal_name and legal is not None:
                reading = name_reading(legal[0], lines, labels)
            party.name = None if reading is None else reading.text
            if reading is not None and party.name:
                readings[key] = (block, reading)
    assigned: dict[str, tuple[float, TaxIdHit]] = {}
    owners = [(hit, *_owner(hit, i, lines, labels, seller_block, buyer_block)) for i, hit in hits]
    # An id inside a party's block is that party's before any id merely near it.
    for hit, owner, strength, inside in sorted(owners, key=lambda o: not o[3]):
        if owner is None or (not inside and owner in assigned):
            continue
        score = strength * (1.0 if hit.valid else 0.4) * min(w.confidence for w in hit.words)
        if owner not in assigned or score > assigned[owner][0] + 0.2:
            assigned[owner] = (score, hit)
    # Ids nobody claimed: the first goes to the party still without one, seller first; one
    # whose check digit fails (only a tax-id label vouches for it) after every valid one.
    for _, hit in sorted(hits, key=lambda h: not h[1].valid):
        if any(h is hit for _, h in assigned.values()):
            continue
        if any(h.value == hit.value for _, h in assigned.values()):
            continue
        for owner in ("seller", "buyer"):
            if owner not in assigned:
                share = 0.5 if hit.valid else 0.2
                assigned[owner] = (share * min(w.confidence for w in hit.words), hit)
                break
    for owner, (score, hit) in assigned.items():
        party = seller if owner == "seller" else buyer
        party.tax_id = hit.value
        conf[f"{owner}.tax_id"] = round(min(score, 1.0), 3)
    for key, (block, reading) in readings.items():
        other = buyer.name if key == "seller" else seller.name
        hit = assigned.get(key, (0.0, None))[1]
        evidence = _name_evidence(key, block, reading, other, hits, hit, lines, labels)
        conf[f"{key}.name"] = name_confidence(evidence)
    return Parties(seller, buyer, conf)


_SURE_WORD = 0.9  # OCR's certainty of a word it read fairly surely


def _name_evidence(
    role: str,
    block: Block,
    reading: NameReading,
    other: str | None,
    hits: list[tuple[int, TaxIdHit]],
    hit: TaxIdHit | None,
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
) -> NameEvidence:
    """What the extractor knows of a party's name, for its confidence."""
    words = reading.words
    index = {id(w): ln.index for ln in lines for w in ln.words if any(w is x for x in words)}
    label_inside = any(
        any(lines[i].words[m.start] is w for w in words)
        for i in set(index.values())
        for m in labels.get(i, [])
        if m.kind not in ("seller", "buyer")
    )
    return NameEvidence(
        role=role,
        source=block.source,
        strength=block.strength,
        text=reading.text,
        other=other,
        legal_form=bool(_LEGAL_FORM.search(reading.text.rstrip(" ,"))),
        address_like=_address_line(words) or any(token_key(w.text) in _STREET_WORDS for w in words),
        label_inside=label_inside,
        run=reading.run,
        runs=len(block.runs),
        contact=reading.contact,
        wrapped=len(set(index.values())) > 1,
        name_ocr=min(w.confidence for w in words),
        name_ocr_mean=sum(w.confidence for w in words) / len(words),
        unsure_words=sum(w.confidence < _SURE_WORD for w in words) / len(words),
        block_ocr=min(w.confidence for _, ws in block.runs for w in ws),
        tax_id_inside=any(_in_block(block, i, h.words[0]) for i, h in hits),
        tax_id_valid=hit is not None and hit.valid,
        continues=_continues(lines, labels, words, min(index.values()), -1)
        or _continues(lines, labels, words, max(index.values()), 1),
    )


def _continues(
    lines: list[Line], labels: dict[int, list[LabelMatch]], words: list[Word], at: int, step: int
) -> bool:
    """Whether the line right above (`step` -1) or below (+1) the name's line `at` holds words
    in the name's column and type size that could be more of it (letters, no digits, no label):
    a name that may have been cut at a line break."""
    k = at + step
    if not 0 <= k < len(lines) or lines[k].page != lines[at].page:
        return False
    line, nxt = lines[at], lines[k]
    size = _text_height(words)
    gap = line.y0 - nxt.y1 if step < 0 else nxt.y0 - line.y1
    if gap > size:
        return False
    x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
    for cell in nxt.cells:
        if cell.x1 <= x0 or cell.x0 >= x1:
            continue
        first = _offset(nxt, cell.words)
        if any(m.start <= first < m.end for m in labels.get(k, [])) or cell.text.endswith(":"):
            continue
        if any(ch.isdigit() for ch in cell.text) or not _is_name(cell.words):
            continue
        if abs(_text_height(cell.words) - size) <= _WRAP_SIZE * size:
            return True
    return False


_FOOTER_FROM = 0.8  # share of the page's height below which its footer lies
_TOP_UNTIL = 0.45  # ... and above which its letterhead and address window lie
_FOOTER_LINES = 3  # the page's last lines, a footer wherever the page ends


def footer_legal_name(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int]
) -> tuple[Block, int] | None:
    """The issuer's legal name in a registry footer (name, address, register, tax id) that the
    page's top prints too, as a block, with the index of the top line that prints it (the
    letterhead, or a return-address line "Name, street, town" over the address window)."""
    page = (
        [ln for ln in lines if ln.page == lines[0].page and ln.index not in skip] if lines else []
    )
    if not page:
        return None
    bottom = max(ln.y1 for ln in page)
    top = [ln for ln in page if ln.y0 < _TOP_UNTIL * bottom]
    # The last lines of the first and last pages are a footer too: a web page prints it right
    # after the notes, wherever they end.
    final = [ln for ln in lines if ln.page == lines[-1].page and ln.index not in skip]
    last = {ln.index for ln in (*page[-_FOOTER_LINES:], *final[-_FOOTER_LINES:])}
    later = [ln for ln in final if ln.index in last and ln.page != page[0].page]
    for line in (*page, *later):
        banded = line.page == page[0].page and line.y0 >= _FOOTER_FROM * bottom
        if not banded and line.index not in last:
            continue
        for cell in line.cells:
            spelled = _spelled_by_logo(cell.words, [ln for ln in top if ln.index < line.index])
            if spelled is not None:
                named, up_index = spelled
                x1 = max(w.x1 for w in named)
                runs = [(line.index, named)]
                return Block("seller", line.page, named[0].x0, x1, 0.7, runs, "footer"), up_index
            words = _leading_segment(cell.words)
            text = " ".join(w.text for w in words)
            if not words or not _is_name(words) or _unsure(words) or alnum_count(text) < 4:
                continue
            if not banded and not _legal_name(words):
                continue  # a closing line ("Thank you"), not a footer naming a company
            name = fold(squash(text))
            for up in top:
                if up.index >= line.index or _item_row(up) or _item_row(line):
                    continue  # an item's description repeated down the page, not a name
                if any(_names_top(c, name, words) for c in up.cells):
                    x1 = max(w.x1 for w in words)
                    runs = [(line.index, words)]
                    block = Block("seller", line.page, words[0].x0, x1, 0.7, runs, "footer")
                    return block, up.index
    return None


_SPELLED_LETTERS = 3  # letters of a logo acronym that may name a footer's first words


def _spelled_by_logo(words: list[Word], top: list[Line]) -> tuple[list[Word], int] | None:
    """A footer opening with the words a logo's acronym at the page's top spells ("XOV" over
    "Xosé Otero Vidal · NIF ..."): those words (with a legal form right after them) and the
    logo's line index."""
    for up in top:
        for cell in up.cells:
            acronym = _acronym(cell.words)
            if acronym is None or len(acronym) < _SPELLED_LETTERS or len(words) < len(acronym):
                continue
            named = words[: len(acronym)]
            if "".join(fold(w.text)[:1] for w in named) != acronym:
                continue
            if not all(w.text[:1].isupper() for w in named):
                continue
            rest = words[len(acronym) :]
            if rest and _LEGAL_FORM_ALONE.fullmatch(rest[0].text.strip(" ,")):
                named = [*named, rest[0]]
            return named, up.index
    return None


def _names_top(cell: Cell, name: str, words: list[Word]) -> bool:
    """A cell at the page's top that prints the footer's name `name` (`words`): the name, the
    name and more, or a logo that is the legal name's first words or its acronym."""
    text = fold(squash(cell.text))
    if _opens(text, name):
        return True
    if not _legal_name(words):
        return False
    return (alnum_count(text) >= _LOGO_LETTERS and _opens(name, text)) or _logo_of(cell, words)


_LOGO_LETTERS = 4  # letters of a logo word that is the name's first word ("Webtechnik")


def _logo_of(cell: Cell, words: list[Word]) -> bool:
    """A cell at the page's top that is a logo's acronym of the name `words`."""
    acronym = _acronym(cell.words)
    return (
        acronym is not None
        and _LEGAL_FORM.search(" ".join(w.text for w in words).strip(" ,")) is not None
        and _abbreviates(acronym, words)
    )


_ITEM_AMOUNTS = 2  # cells of amounts alone that make a line an item's row (price, amount)


def _item_row(line: Line) -> bool:
    """A row of the items table: two or more cells holding an amount and few letters."""
    amounts = [
        c for c in line.cells if find_amounts(c.text) and sum(ch.isalpha() for ch in c.text) <= 3
    ]
    return len(amounts) >= _ITEM_AMOUNTS


def _sender_block(
    lines: list[Line],
    index: int,
    name: str,
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
    alone: bool,
) -> Block:
    """The seller's block from the top line printing its legal name: the cell holding it, with
    the lines under it unless they are the address window's (`alone`)."""
    line = lines[index]
    key = fold(squash(name))
    cell = next((c for c in line.cells if _opens(fold(squash(c.text)), key)), line.cells[0])
    block = Block("seller", line.page, cell.x0, cell.x1, 0.7, [(index, cell.words)], "sender")
    if not alone:
        _grow(block, lines, line, labels, skip)
    return block


def _opens(text: str, name: str) -> bool:
    """Whether `text` is `name`, or starts with it followed by a separator ("Name, street")."""
    return text.startswith(name) and (len(text) == len(name) or not text[len(name)].isalnum())


def _near_below(lines: list[Line], above: int, below: int) -> bool:
    """Whether line `below` follows line `above` closely (no more than two lines between)."""
    return 0 < below - above <= 2 and lines[below].page == lines[above].page


def _unlabelled_buyer(
    hits: list[tuple[int, TaxIdHit]],
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
    seller: Block | None,
) -> Block | None:
    """An address block without a label, found from its tax id upwards (name on top): an id
    whose check digit holds, or one a tax-id label vouches for in the page's top part (where
    the parties' blocks stand; a registry footer's id is the seller's)."""
    tops = {ln.page: _TOP_UNTIL * max(o.y1 for o in lines if o.page == ln.page) for ln in lines}
    for line_index, hit in hits:
        word = hit.words[0]
        vouched = any(m.kind == "tax_id" for m in labels.get(line_index, []))
        if not hit.valid and not (vouched and lines[line_index].y0 < tops[word.page]):
            continue
        if seller is not None and _in_block(seller, line_index, word):
            continue
        block = _block_above(lines, line_index, word, labels, skip)
        if block is None or not block_name(block, lines, labels):
            continue
        if seller is not None and block.runs[0][0] <= seller.runs[0][0]:
            continue  # level with the letterhead: the seller's own address column
        if seller is not None and any(_in_block(seller, i, ws[0]) for i, ws in block.runs):
            continue  # lines of the seller's block: its address, not another party's
        return block
    return None


_ADDRESS_MIN_RUNS = 3  # lines of an address block: a name, a street, a town at least


def _address_block(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int], seller: Block
) -> Block | None:
    """A buyer's address block with neither label nor tax id: the first block under the
    seller's and above the items table (or in the page's top part), of a name over lines
    holding numbers (street, postcode) and no field labels."""
    page = [ln for ln in lines if ln.page == seller.page]
    if not page:
        return None
    table = min((i for i in skip if lines[i].page == seller.page), default=None)
    bottom = _TOP_UNTIL * max(ln.y1 for ln in page)
    below = max(i for i, _ in seller.runs)
    for line in page:
        if line.index <= below or line.index in skip:
            continue
        if (table is not None and line.index > table) or (table is None and line.y0 > bottom):
            break
        for cell in line.cells:
            first = _offset(line, cell.words)
            if any(m.start <= first < m.end for m in labels.get(line.index, [])):
                continue
            if not _is_name(cell.words) or any(ch.isdigit() or ch == ":" for ch in cell.text):
                continue
            runs = [(line.index, cell.words)]
            block = Block("buyer", line.page, cell.x0, cell.x1, 0.5, runs, "address")
            _grow(block, lines, line, labels, skip)
            rest = block.runs[1:]
            if len(block.runs) < _ADDRESS_MIN_RUNS:
                continue
            if not any(any(ch.isdigit() for ch in w.text) for _, ws in rest for w in ws):
                continue
            if any(
                m.kind not in _ADDRESS_LABELS
                and any(w is lines[i].words[m.start] for w in ws)  # in the block's own cell
                for i, ws in rest
                for m in labels.get(i, [])
            ) or any(find_dates(" ".join(w.text for w in ws)) for _, ws in block.runs):
                continue  # the header's fields, not an address
            return block
    return None


def _in_block(block: Block, line_index: int, word: Word) -> bool:
    """Whether a word sits on one of the block's lines, within its horizontal extent."""
    return any(i == line_index and block.x0 - 4 <= word.x0 <= block.x1 + 4 for i, _ in block.runs)


def _block_above(
    lines: list[Line],
    line_index: int,
    word: Word,
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
) -> Block | None:
    """The lines above a word whose cells start at the same x: an address block ending there."""
    line = lines[line_index]
    cell = _cell_of(line, word)
    label = _label_cell_before(line, cell, labels.get(line_index, []))
    if label is not None:
        cell = [*label, *cell]  # "N° TVA | FR123...": the block's edge is its label's
    x0 = cell[0].x0
    runs = [(line_index, cell)]
    last = line
    for k in range(line_index - 1, max(-1, line_index - 1 - 2 * _BLOCK_LINES), -1):
        up = lines[k]
        if up.page != line.page or k in skip:
            break
        if last.y0 - up.y1 > _BLOCK_GAP * max(up.height, last.height):
            break
        tol = max(up.height, 4.0)
        aligned = next((c for c in up.cells if abs(c.x0 - x0) <= 2 * tol), None)
        if aligned is None:
            continue
        first = _offset(up, aligned.words)
        if any(m.start == first and m.kind != "tax_id" for m in labels.get(k, [])):
            break
        if _field_row(up, aligned.words, first, labels.get(k, [])):
            break  # the header's fields stacked over the block, not its address
        runs.insert(0, (k, aligned.words))
        last = up
        if len(runs) > _BLOCK_LINES:
            break
    if len(runs) < 2:
        return None
    x1 = max(w.x1 for _, ws in runs for w in ws)
    return Block("buyer", line.page, x0, x1, 0.6, runs, "tax_id")


def _label_cell_before(
    line: Line, cell: list[Word], line_labels: list[LabelMatch]
) -> list[Word] | None:
    """The cell right before `cell` if it is a tax-id label alone ("N° TVA"), else None."""
    at = next(i for i, c in enumerate(line.cells) if c.words[0] is cell[0])
    if at == 0:
        return None
    before = line.cells[at - 1].words
    first = _offset(line, before)
    if any(m.kind == "tax_id" and m.start == first for m in line_labels):
        return before
    alone = not any(w.text.strip(":.").isalpha() for w in cell)  # the id, no label of its own
    near = alone and cell[0].x0 - before[-1].x1 < _LABEL_GAP * (cell[0].y1 - cell[0].y0)
    if (
        near
        and len(before) <= _LABEL_WORDS
        and not any(ch.isdigit() for w in before for ch in w.text)
    ):
        return before  # a label the lexicon reads as another field's ("TVA intracom.")
    return None


_LABEL_GAP = 4  # word heights between a label's cell and its value's


def _field_row(line: Line, words: list[Word], first: int, line_labels: list[LabelMatch]) -> bool:
    """Whether a cell is a header field's, not an address line: a field's label anywhere in it
    ("F. vencimiento", "Cta. cliente") or a label with a date or a reference beside it ("Work
    date  01/02/2024"), or a value stacked under its label (a date, a reference "PO-1234")."""
    last = first + len(words)
    inside = [m for m in line_labels if first <= m.start < last and m.kind != "tax_id"]
    party = ("seller", "buyer")  # a party's word inside a name or street ("Centro Cliente")
    if any(m.strength >= 1.0 and m.kind not in party for m in inside) or _value_cell(words):
        return True
    # ... labels one only with a value beside it ("Cta. cliente  123", "Work date  01/02").
    if not any(m.kind not in party or m.strength >= 1.0 for m in inside):
        return False
    at = next(i for i, c in enumerate(line.cells) if c.words[0] is words[0])
    return at + 1 < len(line.cells) and _value_cell(line.cells[at + 1].words)


def _value_cell(words: list[Word]) -> bool:
    """A header field's value: a date, or a one-word reference that is not a tax id."""
    text = squash(" ".join(w.text for w in words))
    return bool(find_dates(text)) or (_code(words) and not find_tax_ids(words))


_CODE_DIGITS = 2  # digits of a one-word reference ("PO-1234", "0042")


def _code(words: list[Word]) -> bool:
    """A one-word reference or number: a document's code, never a name or an address line."""
    return len(words) == 1 and sum(ch.isdigit() for ch in words[0].text) >= _CODE_DIGITS


def _all_tax_ids(
    lines: list[Line], labels: dict[int, list[LabelMatch]], skip: set[int]
) -> list[tuple[int, TaxIdHit]]:
    out: list[tuple[int, TaxIdHit]] = []
    for line in lines:
        if line.index in skip:
            continue
        tax_labels = [m for m in labels.get(line.index, []) if m.kind == "tax_id"]
        after = tax_labels[0].end if tax_labels else len(line.words)
        values = _field_values(line, labels.get(line.index, []))
        for hit in find_tax_ids(line.words[:after]):
            if not any(w is v for w in hit.words for v in values) and not _phone(line, hit):
                out.append((line.index, hit))
        if after < len(line.words):
            out.extend((line.index, h) for h in find_tax_ids(line.words[after:], labelled=True))
    return out


# Words a telephone or fax number follows ("Tel. 900 123 456", "T: 900 654 321"), as keys.
_PHONE_WORDS = frozenset(
    {
        *("tel", "telf", "tlf", "tlfn", "tfno", "tfn", "telefono", "telefon", "telefone"),
        *("telephone", "phone", "ph", "t", "fax", "f", "movil", "mobile", "mob", "tm"),
        *("telemovel", "cell", "handy", "tf", "telefonoa", "telefoon", "tel", "gsm"),
    }
)


def _phone(line: Line, hit: TaxIdHit) -> bool:
    """Whether a number read as an id is a telephone number: the digits of a number opened by
    a "+" country code or by a phone word, in its cell or the one before ("Tel. 900 123 456",
    "Tél | +33 1 23 45 67 89"), with no other word between."""
    at = next(i for i, c in enumerate(line.cells) if any(w is hit.words[0] for w in c.words))
    words = line.cells[at].words
    j = next(i for i, w in enumerate(words) if w is hit.words[0])
    while j >= 0 and _phone_digits(words[j].text):
        if words[j].text.startswith("+"):
            return True
        j -= 1
    if j >= 0:
        return token_key(words[j].text) in _PHONE_WORDS
    before = line.cells[at - 1].words if at else []
    return bool(before) and token_key(before[-1].text) in _PHONE_WORDS


def _phone_digits(text: str) -> bool:
    """A group of a telephone number's digits ("+34", "(030)", "1234-0")."""
    return any(ch.isdigit() for ch in text) and all(ch.isdigit() or ch in "+()-./" for ch in text)


# Fields whose value, right after its label, is never a tax id ("Facture n° 2007-99123").
_VALUE_FIELDS = ("invoice_number", "issue_date")


def _field_values(line: Line, line_labels: list[LabelMatch]) -> list[Word]:
    """The first word after each number or date label of a line (its value)."""
    out = []
    for m in line_labels:
        if m.kind in _VALUE_FIELDS and m.strength >= 1.0:
            after = [w for w in line.words[m.end :] if any(ch.isalnum() for ch in w.text)]
            out.extend(after[:1])
    return out


def _owner(
    hit: TaxIdHit,
    line_index: int,
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    seller: Block | None,
    buyer: Block | None,
) -> tuple[str | None, float, bool]:
    """Which party a tax id belongs to, how sure, and whether its block holds it (else it is
    the nearest block's)."""
    word = hit.words[-1]
    party_labels = {
        m.kind
        for m in labels.get(line_index, [])
        if m.kind in ("seller", "buyer") and m.strength >= 1.0
    }
    if len(party_labels) == 1:
        return party_labels.pop(), 1.0, True  # "Customer VAT ID:", "USt-IdNr. Kunde:"
    for block in (buyer, seller):
        if block is not None and _in_block(block, line_index, hit.words[0]):
            return block.kind, block.strength, True
    best: tuple[float, str] | None = None
    for block in (seller, buyer):
        if block is None or block.page != word.page:
            continue
        ys = [lines[i].y1 for i, _ in block.runs]
        dy = max(0.0, word.y0 - max(ys), min(lines[i].y0 for i, _ in block.runs) - word.y1)
        dx = max(0.0, block.x0 - word.x1, word.x0 - block.x1)
        dist = dy + dx
        if dist < 60 and (best is None or dist < best[0]):
            best = (dist, block.kind)
    if best is None:
        return None, 0.0, False
    return best[1], 0.7, False
