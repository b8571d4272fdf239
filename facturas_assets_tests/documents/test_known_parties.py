"""Tax ids of parties known from exact readings, for scans where the id is unreadable."""

from __future__ import annotations

from decimal import Decimal

from facturas_assets.documents.extraction.known_parties import KnownParties
from facturas_assets.documents.extraction.memory import ReadingMemory
from facturas_assets.documents.model import InvoiceData, InvoiceLine, Party

SELLER = "Manutenzioni Tessili Biellesi S.r.l."
SELLER_ID = "IT13302270122"
BUYER = "Hilaturas Núñez, S.A."
BUYER_ID = "A58818501"


def _scan(seller: Party, buyer: Party) -> InvoiceData:
    data = InvoiceData(seller=seller, buyer=buyer)
    data.confidence = {"seller.tax_id": 0.0, "buyer.tax_id": 0.0}
    return data


def _known() -> KnownParties:
    parties = KnownParties()
    parties.learn(SELLER, SELLER_ID)
    parties.learn(BUYER, BUYER_ID)
    parties.learn("Doble, S.L.", "B12345674")
    parties.learn("Doble, S.L.", "A58818501")  # one name, two ids: nothing can be told
    parties.learn("Sin identificar, S.L.", "B12345670")  # an invalid id is not learnt
    return parties


def test_an_unreadable_or_invalid_id_is_the_one_its_party_is_known_by() -> None:
    data = _scan(Party(SELLER, None), Party("HILATURAS NUÑEZ S.A.", "A58818507"))
    _known().complete(data)
    assert (data.seller.tax_id, data.buyer.tax_id) == (SELLER_ID, BUYER_ID)
    assert data.confidence["seller.tax_id"] == 0.5
    told = [w for w in data.warnings if w.startswith("tax_id_from_known_party")]
    assert len(told) == 2 and "unread here" in told[0] and "A58818507" in told[1]


def test_a_name_with_ocr_slips_is_still_known() -> None:
    data = _scan(Party("Manutenzioni Tessili Bie1lesi S.r.1.", None), Party(None, None))
    _known().complete(data)
    assert data.seller.tax_id == SELLER_ID


def test_valid_ids_unknown_or_ambiguous_names_and_the_other_partys_id_are_left() -> None:
    parties = _known()
    kept = _scan(Party(SELLER, "IT00743110157"), Party("Nadie Conocido, S.L.", None))
    parties.complete(kept)
    assert (kept.seller.tax_id, kept.buyer.tax_id) == ("IT00743110157", None)
    for name in ("Doble, S.L.", "Sin identificar, S.L."):
        data = _scan(Party(name, None), Party(None, None))
        parties.complete(data)
        assert data.seller.tax_id is None and not data.warnings
    same = _scan(Party(BUYER, None), Party("Otro", BUYER_ID))  # would make seller = buyer
    parties.complete(same)
    assert same.seller.tax_id is None


def test_the_memory_learns_an_exact_invoice_and_improves_a_scan() -> None:
    memory = ReadingMemory()
    exact = InvoiceData(seller=Party(SELLER, SELLER_ID), buyer=Party(BUYER, BUYER_ID))
    exact.lines = [InvoiceLine("Revisión periódica del telar", None, None, Decimal("10.00"))]
    memory.learn(exact)
    scan = _scan(Party(SELLER, None), Party(BUYER, BUYER_ID))
    scan.lines = [InvoiceLine("Revision periodica del telar", None, None, Decimal("10.00"))]
    memory.improve(scan)
    assert scan.seller.tax_id == SELLER_ID
    assert scan.lines[0].description == "Revisión periódica del telar"


def test_a_sellers_series_letters_read_as_look_alikes_are_given_back() -> None:
    memory = ReadingMemory.from_rows(
        [], [(SELLER, SELLER_ID)], [(SELLER_ID, f"INT250{n}") for n in range(3)]
    )
    scan = _scan(Party(SELLER, SELLER_ID), Party(BUYER, BUYER_ID))
    scan.invoice_number, scan.confidence["invoice_number"] = "1NT2503135", 0.9
    memory.improve(scan)
    assert scan.invoice_number == "INT2503135"
    assert any(w.startswith("invoice_number_mended: 1NT2503135") for w in scan.warnings)
    for read in ("XNT2503135", "2503135"):  # not a look-alike; no series letters at all
        other = _scan(Party(SELLER, SELLER_ID), Party(BUYER, BUYER_ID))
        other.invoice_number = read
        memory.improve(other)
        assert other.invoice_number == read
    mixed = ReadingMemory.from_rows(
        [], [], [(SELLER_ID, "INT1"), (SELLER_ID, "A2"), (SELLER_ID, "INT3")]
    )
    assert mixed.parties.series_of(SELLER_ID) is None  # series that disagree teach nothing


def test_a_number_shaped_unlike_every_one_of_its_seller_is_found_by_that_shape() -> None:
    numbers = [(SELLER_ID, f"CPS/24/0{n}123") for n in range(3)]
    memory = ReadingMemory.from_rows([], [(SELLER, SELLER_ID)], numbers)
    assert memory.parties.shape_of(SELLER_ID) == "CPS/99/99999"

    def improved(number: str | None, tokens: list[str]) -> InvoiceData:
        scan = _scan(Party(SELLER, SELLER_ID), Party(BUYER, BUYER_ID))
        scan.invoice_number = number
        memory.improve(scan, tokens)
        return scan

    # Its label unreadable ("NPFnctura"), the number is the one word with the seller's shape.
    scan = improved(None, ["NPFnctura", "06/11/2023", "CPS/23/05548", "CM-2023-005"])
    assert scan.invoice_number == "CPS/23/05548"
    assert scan.confidence["invoice_number"] == 0.5
    assert any(w.startswith("invoice_number_by_shape: CPS/23/05548") for w in scan.warnings)
    assert improved("1CPS/23/05548", []).invoice_number == "CPS/23/05548"  # a speck glued on
    assert improved("CPS/23/ 05548", []).invoice_number == "CPS/23/05548"  # a space inside
    # A number misread beside its label ("4"): the one word on the page with the shape.
    assert improved("4", ["Factura", "4", "CPS/23/05548"]).invoice_number == "CPS/23/05548"
    assert improved("4", ["Factura", "4"]).invoice_number == "4"
    # Two words with the shape, or none: nothing is guessed; a well-shaped number stays.
    assert improved(None, ["CPS/23/05548", "CPS/23/05549"]).invoice_number is None
    assert improved(None, ["CPS/23/0554"]).invoice_number is None
    assert improved("CPS/23/99999", ["CPS/23/05548"]).invoice_number == "CPS/23/99999"
    varied = ReadingMemory.from_rows([], [], [*numbers, (SELLER_ID, "R-1")])
    assert varied.parties.shape_of(SELLER_ID) is None  # numbering that varies teaches nothing


def test_a_name_read_as_its_tax_ids_known_name_is_vouched_for_another_doubted() -> None:
    parties = _known()
    same = _scan(Party(SELLER.upper(), SELLER_ID), Party(None, None))
    slip = _scan(Party("Manutenzioni Tessili Biellèsi S.r.l.", SELLER_ID), Party(None, None))
    for data in (same, slip):
        data.confidence["seller.name"] = 0.4
        parties.weigh_names(data)
    assert same.confidence["seller.name"] == 0.7  # the known name (case aside): lifted
    assert slip.confidence["seller.name"] == 0.2  # an accent misread: doubted
    assert slip.seller.name == "Manutenzioni Tessili Biellèsi S.r.l."  # the name is kept
    # An unknown id, or one known by two names (here the buyer's), tells nothing.
    unknown = _scan(Party(SELLER, "IT00743110157"), Party("Doble, S.L.", BUYER_ID))
    unknown.confidence.update({"seller.name": 0.4, "buyer.name": 0.4})
    parties.weigh_names(unknown)
    assert (unknown.confidence["seller.name"], unknown.confidence["buyer.name"]) == (0.4, 0.4)
