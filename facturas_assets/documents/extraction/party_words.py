"""What a run of words reads as: a name, a title, a legal name, an acronym, an address, a code."""

from __future__ import annotations

import re

from facturas_assets.documents.extraction.dates import find_dates
from facturas_assets.documents.extraction.labels import INVOICE_WORDS
from facturas_assets.documents.extraction.layout import median
from facturas_assets.documents.extraction.lexicon import ALL_PAGE_WORDS
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.text import alnum_count, fold, squash, token_key
from facturas_assets.documents.model import Word

_FORMS = (
    r"s\.?\s?l\.?\s?u?\.?|s\.?\s?a\.?\s?u?\.?|s\.?\s?coop\.?|sll|gmbh|ag|kg|sarl|sas|s\.?p\.?a\.?|"
    r"s\.?r\.?l\.?|lda\.?|ltd\.?|llc|inc\.?|b\.?v\.?|n\.?v\.?|plc|c\.?b\.?|e\.?u\.?|e\.?\s?k\.?|"
    r"eurl|sasu|s\.?n\.?c\.?|ohg|ug|gbr|limited|sprl|bvba|"
    # The Nordic companies' forms (aktiebolag, handelsbolag, aksjeselskap, osakeyhtiö...), as
    # they are written: "as" or "ab" in lower case are words, not forms.
    r"(?-i:AB|HB|KB|AS|A/S|ASA|ApS|Oy|Oyj)"
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
    *("vat", "recibo", "simplifiee", "simplificata", "sales", "commercial"),
    # Words of a page number's label ("Pág. 1/1", "Hoja 1 de 2"): OCR may lose the number.
    *ALL_PAGE_WORDS,
}


def _is_name(words: list[Word]) -> bool:
    """Whether a run of words can be a company or person name (letters, not a label or value)."""
    text = squash(" ".join(w.text for w in words))
    if text.startswith(("(", "[")):
        return False  # "(Madrid)": a province or a remark in brackets, never a name
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
    return all(_title_key(k) for k in head)


_GLUED_PART = 4  # letters of each title word in a title printed without its spaces


def _title_key(key: str) -> bool:
    """A title word, or title words printed without their spaces ("fatturaaccompagnatoria")."""
    if key in _TITLE_WORDS:
        return True
    return any(
        key[:cut] in _TITLE_WORDS and _title_key(key[cut:])
        for cut in range(_GLUED_PART, len(key) - _GLUED_PART + 1)
    )


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


# An OCR box hugs its word's ink, which spans the share of the type's size its letters reach:
# x-height letters about half, capitals, digits, ascenders, dots and accents about 0.72, and
# descenders 0.22 more; so "Sanz" and "Reparaciones" set in one type are boxed 12 and 15 px
# tall. A text layer's box is the type's own (its words have confidence 1.0).
_X_HEIGHT_SHARE = 0.5
_TALL_SHARE = 0.72
_DESCENDER_SHARE = 0.22
_ASCENDERS = frozenset("bdfhijklt&()/[]{}|!?%#@$€£")
_DESCENDERS = frozenset("gjpqy,;()[]{}|")


def _ink_share(text: str) -> float:
    """The share of its type size the ink of a word of this text spans (letter shapes)."""
    tall = any(
        ch.isupper() or ch.isdigit() or ch in _ASCENDERS or (ch.isalpha() and not ch.isascii())
        for ch in text
    )
    share = _TALL_SHARE if tall else _X_HEIGHT_SHARE
    return share + (_DESCENDER_SHARE if any(ch in _DESCENDERS for ch in text) else 0.0)


def _type_size(words: list[Word]) -> float:
    """The type size of a run of words as _text_height measures it, each OCR box first scaled
    by what its letters reach: comparable between runs whatever their letters."""
    sizes = sorted(_word_size(w) for w in words if alnum_count(w.text) >= 2)
    return sizes[len(sizes) // 4] if sizes else median([_word_size(w) for w in words])


def _word_size(word: Word) -> float:
    """One word's type size: its box's height, an OCR box's scaled by what its letters reach."""
    height = word.y1 - word.y0
    return height if word.confidence >= 1.0 else height / _ink_share(word.text)


def _unsure(words: list[Word]) -> bool:
    """OCR was unsure of these words, or none of them is a word OCR is sure of ("ra n.")."""
    if sum(w.confidence for w in words) / len(words) < _MIN_NAME_CONFIDENCE:
        return True
    return not any(
        sum(ch.isalpha() for ch in w.text) >= 3 and w.confidence >= _MIN_NAME_CONFIDENCE
        for w in words
    )


_OVER_LINES_LETTERS = 4  # letters a word needs for its box's shape to tell
# Width of a letter, in box heights, below which a word's box cannot be one line's: letters
# are 0.25-0.6 type sizes wide and a text layer's box about 1.2 type sizes tall.
_NARROWEST_LETTER = 0.2


def _over_lines(word: Word) -> bool:
    """A word whose box is far narrower than its letters need at its height: a word set over
    two lines (a code wrapped at its hyphen in a narrow cell, boxed from its first letter to
    its last) or set sideways, never a line of large type."""
    letters = len(word.text)
    height = word.y1 - word.y0
    return (
        letters >= _OVER_LINES_LETTERS and word.x1 - word.x0 < _NARROWEST_LETTER * height * letters
    )


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


def _ended_at_legal_form(words: list[Word]) -> list[Word]:
    """A name and the address its line prints after it ("Name Ltd. · Unit 107, Park ...", the
    separator a mark the line dropped): the words up to the last legal form written as one (a
    capital in it) when an address follows (a digit, or a street word first); all the words
    otherwise ("Kunden AG Mitte", "BBB Limited Şirketi" are names). A person's name, two to
    four capitalised words, ends where a street with its number begins ("Jordi Puig Serra ·
    Avda. de Galicia, 8")."""
    if _LEGAL_FORM.search(" ".join(w.text for w in words).strip(" ,")):
        return words
    for end in range(len(words) - 1, 1, -1):
        last, rest = words[end - 1].text, words[end:]
        if not any(ch.isupper() for ch in last) or not _LEGAL_FORM.search(
            " ".join(w.text for w in words[:end]).strip(" ,")
        ):
            continue
        if any(ch.isdigit() for w in rest for ch in w.text) or token_key(rest[0].text) in (
            _STREET_WORDS
        ):
            return words[:end]
        return words
    for end in range(_PERSON_WORDS[0], min(_PERSON_WORDS[1], len(words) - 1) + 1):
        rest = words[end:]
        if (
            token_key(rest[0].text) in _STREET_WORDS
            and _capitalised_words(words[:end])
            and any(ch.isdigit() for w in rest for ch in w.text)
        ):
            return words[:end]
    return words


_PERSON_WORDS = (2, 4)  # words of a person's name before a street on its line


def _address_after_name(cells: list[list[Word]], words: list[Word]) -> bool:
    """Whether a name's line prints its address after it, in its cell or the next one
    ("Absender: Name GmbH · Street 1 · Town"): a return address, a complete block."""
    if len(_ended_at_legal_form(words)) < len(words):
        return True
    after = next((c for c in cells if c[0].x0 > words[-1].x1), None)
    return after is not None and _address_line(after)


def _trade_name(words: list[Word]) -> bool:
    """One word with no legal form and no digit in a logo's place ("Novafix"): a brand, while
    the party is named by its legal name (EN 16931 BT-27) when the page prints one."""
    return (
        len(words) == 1
        and not any(ch.isdigit() for ch in words[0].text)
        and not _LEGAL_FORM.search(words[0].text.strip(" ,"))
    )


def _abbreviates(acronym: str, words: list[Word]) -> bool:
    """Whether a logo's acronym abbreviates a name: the initials of its long words, or of
    all its words (joining words and legal form included: "RGS" for "Ruiz Garrido, S.L.")."""
    every = "".join(fold(w.text)[0] for w in words if w.text[:1].isalpha())
    return len(acronym) >= 2 and (
        _initials(words).startswith(acronym) or every.upper().startswith(acronym.upper())
    )


def _initials(words: list[Word]) -> str:
    """The first letters of a name's words, legal form and short joining words aside."""
    return "".join(
        fold(w.text)[0]
        for w in words
        if sum(ch.isalpha() for ch in w.text) > 2 and w.text[0].isalnum()
    )


_CODE_DIGITS = 2  # digits of a one-word reference ("PO-1234", "0042")


def _code(words: list[Word]) -> bool:
    """A one-word reference or number: a document's code, never a name or an address line."""
    return len(words) == 1 and sum(ch.isdigit() for ch in words[0].text) >= _CODE_DIGITS


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


def _courtesy(word: Word, key: str) -> bool:
    """A courtesy title; two letters only with its dot ("Sr.", "Mr."); a single letter with a
    dot is an initial of the name itself ("M. Weber Bau")."""
    return key in _COURTESY and (len(key) > 2 or not word.text[-1:].isalnum())


def _salutation(words: list[Word]) -> bool:
    """A run of courtesy titles alone ("Sr./Sres.", "Messrs", "Herrn"): an addressee's heading."""
    keyed = [(w, token_key(w.text)) for w in words if token_key(w.text)]
    return bool(keyed) and all(_courtesy(w, k) for w, k in keyed)
