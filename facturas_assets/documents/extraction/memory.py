"""What invoices read exactly teach the reading of scans: description words, party tax ids and
the series letters of each seller's invoice numbers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from facturas_assets.documents.extraction.known_parties import PARTIES, KnownParties
from facturas_assets.documents.extraction.vocabulary import Vocabulary
from facturas_assets.documents.model import InvoiceData


class ReadingMemory:
    """Learns from exact readings (e-invoices, text layers); improves OCR'd ones with it."""

    def __init__(self) -> None:
        self.vocabulary = Vocabulary()
        self.parties = KnownParties()

    @classmethod
    def from_rows(
        cls,
        descriptions: Iterable[str | None],
        parties: Iterable[tuple[str | None, str | None]],
        numbers: Iterable[tuple[str | None, str | None]] = (),
    ) -> ReadingMemory:
        """A memory of stored exact readings: item descriptions, (name, tax id) pairs and
        (seller tax id, invoice number) pairs."""
        memory = cls()
        for text in descriptions:
            memory.vocabulary.learn(text)
        for name, tax_id in parties:
            memory.parties.learn(name, tax_id)
        for seller, number in numbers:
            memory.parties.learn_number(seller, number)
        return memory

    def learn(self, data: InvoiceData) -> None:
        """Remember the descriptions and parties of one exactly read invoice."""
        for line in data.lines:
            self.vocabulary.learn(line.description)
        for role in PARTIES:
            party = getattr(data, role)
            self.parties.learn(party.name, party.tax_id)
        self.parties.learn_number(data.seller.tax_id, data.invoice_number)

    def improve(self, data: InvoiceData, tokens: Sequence[str] = ()) -> None:
        """Mend the OCR slips of an invoice read from a scan (`tokens`: its words), saying
        what was changed."""
        changed = 0
        for line in data.lines:
            if line.description:
                mended = self.vocabulary.mend(line.description)
                line.description = mended.text
                changed += mended.words_changed
        if changed:
            data.warnings.append(
                f"descriptions_mended: {changed} OCR'd description words replaced by the known "
                "words they were misread for"
            )
        self.parties.complete(data, tokens)
        self.parties.weigh_names(data)
