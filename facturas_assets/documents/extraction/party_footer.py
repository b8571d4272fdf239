"""The issuer's legal name in a registry footer, and the top line (sender) that prints it."""

from __future__ import annotations

from collections.abc import Iterable

from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Cell, Line
from facturas_assets.documents.extraction.numbers import find_amounts
from facturas_assets.documents.extraction.party_blocks import Block, _grow
from facturas_assets.documents.extraction.party_words import (
    _LEGAL_FORM,
    _LEGAL_FORM_ALONE,
    _abbreviates,
    _acronym,
    _address_after_name,
    _is_name,
    _legal_name,
    _over_lines,
    _unsure,
)
from facturas_assets.documents.extraction.table_lines import _PAGE_NUMBER
from facturas_assets.documents.extraction.text import alnum_count, fold, squash
from facturas_assets.documents.model import Word


def _leading_segment(words: list[Word]) -> list[Word]:
    """A footer's first item ("Name · street · VAT ..."): the words before its first separator,
    else the longest run before its first digit that ends in a legal form ("Name GmbH Street
    5, Town") but for a second form right after its own, else all its words."""
    for i, w in enumerate(words):
        if w.text in _SEPARATORS:
            return words[:i]
    digit = next((i for i, w in enumerate(words) if any(ch.isdigit() for ch in w.text)), None)
    if digit is None:
        return words
    for end in range(digit, 0, -1):
        if _LEGAL_FORM.search(" ".join(w.text for w in words[:end]).strip(" ,")):
            if end > 1 and all(_form_word(w) for w in words[end - 2 : end]):
                end -= 1  # "Name SAS | SAS au capital de ...": the form opens the next item
            return words[:end]
    return words


def _form_word(word: Word) -> bool:
    """A word that is a legal form by itself ("SAS", "S.L.", "GmbH")."""
    return bool(_LEGAL_FORM_ALONE.fullmatch(word.text.strip(" ,")))


_SEPARATORS = frozenset({"·", "|", "•", "–", "—", "-", "/"})


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
    # A page number the browser or the printer set under the footer is none of its lines.
    ends = [[ln for ln in part if not _PAGE_NUMBER.match(fold(ln.text))] for part in (page, final)]
    last = {ln.index for ln in (*ends[0][-_FOOTER_LINES:], *ends[1][-_FOOTER_LINES:])}
    later = [ln for ln in final if ln.index in last and ln.page != page[0].page]
    looked_over = list({ln.index: ln for ln in (*page, *final)}.values())  # each line once
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
            if any(_over_lines(w) for w in words):
                continue  # a code wrapped in its table cell, repeated down the page
            if not banded and not _legal_name(words):
                continue  # a closing line ("Thank you"), not a footer naming a company
            name = fold(squash(text))
            if _repeated(name, looked_over):
                continue  # an item's description printed down the page, not a name
            for up in top:
                if up.index >= line.index or _item_row(up) or _item_row(line):
                    continue  # an item's description repeated down the page, not a name
                if any(_names_top(c, name, words) for c in up.cells):
                    x1 = max(w.x1 for w in words)
                    runs = [(line.index, words)]
                    block = Block("seller", line.page, words[0].x0, x1, 0.7, runs, "footer")
                    return block, up.index
    return None


def footer_name_by_tax_id(lines: list[Line], index: int) -> Block | None:
    """The seller's legal name opening the footer line `index` that prints the seller's tax
    id ("Name, S.L. - street - CIF ... - Registro Mercantil ..."), for a page whose top names
    no seller (a logo alone): a block of those words, else None."""
    line = lines[index]
    page = [ln for ln in lines if ln.page == line.page]
    # Below the letterhead is enough: OCR's specks under a scanned footer move the page's end.
    if line.y0 < _TOP_UNTIL * max(ln.y1 for ln in page) or not line.cells:
        return None
    words = _leading_segment(line.cells[0].words)
    if not words or not _legal_name(words) or not _is_name(words) or _unsure(words):
        return None
    return Block(
        "seller", line.page, words[0].x0, max(w.x1 for w in words), 0.5, [(index, words)], "footer"
    )


_REPEATS = 3  # cells printing the same words from which they are an item's, not a name


def _repeated(name: str, lines: Iterable[Line]) -> bool:
    """Whether cells of exactly these words stand on several lines: an item's description
    repeated down the pages (a legal name is printed at the top and in the footer)."""
    count = 0
    for line in lines:
        count += sum(fold(squash(c.text)) == name for c in line.cells)
        if count >= _REPEATS:
            return True
    return False


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
            return _with_form_after(named, words[len(acronym) :]), up.index
    return None


_FORM_WORDS = 3  # words of a legal form after a name's last initial ("& Co. KG", "S. Coop.")


def _with_form_after(named: list[Word], rest: list[Word]) -> list[Word]:
    """The words a logo spells with the legal form they open or that follows them ("Name S.L.",
    "Name, S. Coop.", "Name GmbH & Co. KG"): the longest run of up to three more words, no
    digit among them, that makes the name end in a legal form."""
    for extra in range(min(_FORM_WORDS, len(rest)), 0, -1):
        more = rest[:extra]
        if any(ch.isdigit() for w in more for ch in w.text):
            continue
        text = " ".join(w.text for w in (*named, *more)).strip(" ,")
        if _LEGAL_FORM.search(text) and _form_only(named, more):
            return [*named, *more]
    return named


def _form_only(named: list[Word], more: list[Word]) -> bool:
    """Whether the words after a spelled name are only its legal form's: the form alone after
    a name without one, or the rest of one the name's last word opens ("S." + "Coop.",
    "GmbH" + "& Co. KG"); a form repeated ("SAS | SAS au capital de") is the next item's."""
    tail = " ".join(w.text for w in more).strip(" ,")
    last = named[-1].text.strip(" ,")
    if _LEGAL_FORM_ALONE.fullmatch(f"{last} {tail}"):
        return True
    if _LEGAL_FORM_ALONE.fullmatch(last):
        return tail.startswith("&")
    return bool(_LEGAL_FORM_ALONE.fullmatch(tail))


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
    # A return-address line ("Name · street · town") over a window is the whole block.
    if not alone and not _address_after_name([c.words for c in line.cells], cell.words):
        _grow(block, lines, line, labels, skip)
    return block


def _opens(text: str, name: str) -> bool:
    """Whether `text` is `name`, or starts with it followed by a separator ("Name, street")."""
    return text.startswith(name) and (len(text) == len(name) or not text[len(name)].isalnum())


def _near_below(lines: list[Line], above: int, below: int) -> bool:
    """Whether line `below` follows line `above` closely (no more than two lines between)."""
    return 0 < below - above <= 2 and lines[below].page == lines[above].page
