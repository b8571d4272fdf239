"""Seller and buyer: party blocks under their labels (or the letterhead) and their tax ids."""

from __future__ import annotations

from dataclasses import dataclass

from facturas_assets.documents.extraction.labels import LabelMatch
from facturas_assets.documents.extraction.layout import Line
from facturas_assets.documents.extraction.party_blocks import Block, find_blocks
from facturas_assets.documents.extraction.party_confidence import name_confidence
from facturas_assets.documents.extraction.party_footer import (
    _near_below,
    _sender_block,
    footer_legal_name,
    footer_name_by_tax_id,
)
from facturas_assets.documents.extraction.party_letterhead import letterhead
from facturas_assets.documents.extraction.party_name_evidence import _name_evidence
from facturas_assets.documents.extraction.party_names import NameReading, block_name, name_reading
from facturas_assets.documents.extraction.party_second_look import (
    UNSURE,
    Pick,
    neighbour_blocks,
    reader_of,
    second_look,
)
from facturas_assets.documents.extraction.party_tax_ids import _all_tax_ids, _owner
from facturas_assets.documents.extraction.party_unlabelled import (
    _address_block,
    _block_above,
    _unlabelled_buyer,
)
from facturas_assets.documents.extraction.party_words import _trade_name
from facturas_assets.documents.extraction.taxids import TaxIdHit, compact
from facturas_assets.documents.extraction.text import fold
from facturas_assets.documents.model import Party


@dataclass(slots=True)
class Parties:
    """The seller and buyer found, with confidences for their names and tax ids."""

    seller: Party
    buyer: Party
    confidence: dict[str, float]


def _named_in_footer(
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    hits: list[tuple[int, TaxIdHit]],
    hit: TaxIdHit,
    buyer_name: str | None,
) -> tuple[Block, NameReading] | None:
    """The seller's name from the footer line printing its tax id, when nothing else named it."""
    block = next(
        (b for i in _lines_printing(hits, hit) if (b := footer_name_by_tax_id(lines, i))), None
    )
    reading = None if block is None else name_reading(block, lines, labels)
    if block is None or reading is None or not reading.text:
        return None
    if buyer_name and fold(reading.text) == fold(buyer_name):
        return None  # the buyer's own footer line, not the seller's
    return block, reading


@dataclass(frozen=True, slots=True)
class _Page:
    """What the parties' search found on the page, for a second look at their names."""

    lines: list[Line]
    labels: dict[int, list[LabelMatch]]
    skip: set[int]
    blocks: list[Block]
    hits: list[tuple[int, TaxIdHit]]


def _hit_line(
    hits: list[tuple[int, TaxIdHit]], hit: TaxIdHit | None
) -> tuple[int, TaxIdHit] | None:
    """The line index of a party's tax id with the id, None without one."""
    return next(((i, h) for i, h in hits if h is hit), None) if hit is not None else None


def _lines_printing(hits: list[tuple[int, TaxIdHit]], hit: TaxIdHit | None) -> list[int]:
    """The lines printing a party's tax id: its own hit's first, then every other line with
    the same id (a letterhead's id printed again in the footer)."""
    found = _hit_line(hits, hit)
    if found is None or hit is None:
        return []
    return [found[0], *(i for i, h in hits if h is not hit and h.value == hit.value)]


def _repeats_other(
    hit: TaxIdHit,
    owner: str,
    assigned: dict[str, tuple[float, TaxIdHit]],
    hits: list[tuple[int, TaxIdHit]],
) -> bool:
    """Whether `hit` prints the id already given to the other party while an id of another
    value is still on the page for `owner` (a self-billed invoice's parties share one id)."""
    taken = {h.value for other, (_, h) in assigned.items() if other != owner}
    return hit.value in taken and any(h.value not in taken for _, h in hits)


def _look_again(
    seller: Party,
    buyer: Party,
    picks: dict[str, Pick],
    conf: dict[str, float],
    page: _Page,
    assigned: dict[str, tuple[float, TaxIdHit]],
    seller_block: Block | None,
) -> None:
    """Give each unsure name a second look among the other blocks that could name its party
    (party_second_look): the footer line of the seller's tax id, a registry footer's legal
    name, the letterhead; the buyer's block over its tax id, an address block; each party's
    block over its tax id and labelled blocks, and the cells next to its picked name."""
    lines, labels, skip, hits = page.lines, page.labels, page.skip, page.hits
    at = {key: _hit_line(hits, assigned.get(key, (0.0, None))[1]) for key in ("seller", "buyer")}

    def above(key: str) -> Block | None:
        """The block over the party's tax id, name on top."""
        found = at[key]
        return (
            None
            if found is None
            else _block_above(lines, found[0], found[1].words[0], labels, skip)
        )

    def labelled(key: str) -> list[Block]:
        """The party's labelled blocks (a second "Cliente" block, "Facturar a" beside "Enviar a")."""
        return [b for b in page.blocks if b.kind == key]

    def own(key: str) -> list[Block | None]:
        """The blocks that could name the party by where they stand."""
        if key == "seller":
            printing = _lines_printing(hits, assigned.get("seller", (0.0, None))[1])
            return [
                *(footer_name_by_tax_id(lines, i) for i in printing),
                next(iter(footer_legal_name(lines, labels, skip) or ()), None),
                letterhead(lines, labels, skip, page.blocks),
                above("seller"),
                *labelled("seller"),
            ]
        return [
            _unlabelled_buyer(hits, lines, labels, skip, seller_block),
            None if seller_block is None else _address_block(lines, labels, skip, seller_block),
            above("buyer"),
            *labelled("buyer"),
        ]

    def candidates(key: str) -> list[Block | None]:
        """The party's own blocks, then the cells next to its picked name."""
        return [*own(key), *neighbour_blocks(lines, picks.get(key))]

    for key, party, other in (("seller", seller, buyer), ("buyer", buyer, seller)):
        hit = assigned.get(key, (0.0, None))[1]

        def judge(
            block: Block,
            reading: NameReading,
            key: str = key,
            hit: TaxIdHit | None = hit,
            other: Party = other,
        ) -> float:
            # other.name as it stands now: the seller's second look may have changed it
            evidence = _name_evidence(key, block, reading, other.name, hits, hit, lines, labels)
            return name_confidence(evidence)

        current = picks.get(key)
        other_key = "buyer" if key == "seller" else "seller"
        pick = second_look(
            current,
            lambda key=key: candidates(key),
            reader_of(lines, labels),
            judge,
            other.name,
            other_sure=conf.get(f"{other_key}.name", 0.0) >= UNSURE,
        )
        if pick is not current:  # a better name, or none where a label was read as one
            party.name = None if pick is None else pick.reading.text
            conf[f"{key}.name"] = 0.0 if pick is None else pick.confidence


def extract_parties(
    lines: list[Line],
    labels: dict[int, list[LabelMatch]],
    skip: set[int],
    number: str | None = None,
) -> Parties:
    """Seller and buyer names and tax ids, each tax id attached to the nearest party block;
    the invoice's `number` is no party's id wherever it is printed ("A 2022 7724" reads as a
    valid CIF)."""
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
            and not _trade_name(seller_block.runs[0][1])  # a brand in the logo's place
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
    if number:
        own = compact(number)
        hits = [(i, hit) for i, hit in hits if hit.value != own]
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
        if not inside and _repeats_other(hit, owner, assigned, hits):
            continue  # the other party's id printed again (a grid of the buyer's data)
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
    if "seller" not in readings and "seller" in assigned:
        found = _named_in_footer(lines, labels, hits, assigned["seller"][1], buyer.name)
        if found is not None:
            readings["seller"] = found
            seller.name = found[1].text
    picks: dict[str, Pick] = {}
    for key, (block, reading) in readings.items():
        other = buyer.name if key == "seller" else seller.name
        hit = assigned.get(key, (0.0, None))[1]
        evidence = _name_evidence(key, block, reading, other, hits, hit, lines, labels)
        conf[f"{key}.name"] = name_confidence(evidence)
        picks[key] = Pick(block, reading, conf[f"{key}.name"])
    _look_again(
        seller, buyer, picks, conf, _Page(lines, labels, skip, blocks, hits), assigned, seller_block
    )
    return Parties(seller, buyer, conf)
