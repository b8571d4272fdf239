"""Invoice content imported from real e-invoices, rendered through the generator's layouts.

An e-invoice (UBL, CII, ZUGFeRD 1.0 or Facturae XML, or a PDF carrying one) is read with the
project's e-invoice reader for its fields; what the reader does not keep (addresses, contacts,
IBAN, due date, VAT rates, order reference, item codes) is read here from the same XML. The
content then becomes a `SynthInvoice` printed by any layout, as a text PDF or a scan, with a
ground truth equal to what the e-invoice states. Nothing of any real invoice lives in this code:
content is loaded from the files at run time.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree
from reportlab.pdfbase import pdfmetrics

from facturas_assets.documents.einvoice import (
    EInvoiceFormat,
    detect_format,
    parse_einvoice_root,
    parse_xml,
)
from facturas_assets.documents.einvoice.cii import NS_CII
from facturas_assets.documents.einvoice.common import find, find_all, first_text, text
from facturas_assets.documents.einvoice.embedded import embedded_xml
from facturas_assets.documents.model import DocumentRejected, InvoiceData
from facturas_dev.synth.content import PartyInfo, SynthInvoice, SynthLine
from facturas_dev.synth.fonts import STANDARD, ensure_font
from facturas_dev.synth.generator import GeneratedInvoice, file_suffix, render_bytes
from facturas_dev.synth.layouts import (
    DEJAVU_SANS,
    DEJAVU_SERIF,
    LAYOUTS,
    LIBERATION_MONO,
    LIBERATION_SANS,
    LIBERATION_SERIF,
    Fonts,
    Issuer,
    Layout,
    layout_named,
)
from facturas_dev.synth.pdf import render_text_pdf

NS_ZUGFERD1 = "urn:ferd:CrossIndustryDocument:invoice:1p0"
NS_FACTURAE_32 = "http://www.facturae.es/Facturae/2009/v3.2/Facturae"
UNLABELLED = "unlabelled"  # imported content carries no preventive / corrective label
# ZUGFeRD 1.0 names the CII blocks differently; renamed, the project's CII reader reads it.
_ZUGFERD1_NAMES = {
    "CrossIndustryDocument": "CrossIndustryInvoice",
    "HeaderExchangedDocument": "ExchangedDocument",
    "SpecifiedSupplyChainTradeTransaction": "SupplyChainTradeTransaction",
    "ApplicableSupplyChainTradeAgreement": "ApplicableHeaderTradeAgreement",
    "ApplicableSupplyChainTradeSettlement": "ApplicableHeaderTradeSettlement",
    "ApplicableSupplyChainTradeDelivery": "ApplicableHeaderTradeDelivery",
    "SpecifiedSupplyChainTradeAgreement": "SpecifiedLineTradeAgreement",
    "SpecifiedSupplyChainTradeDelivery": "SpecifiedLineTradeDelivery",
    "SpecifiedSupplyChainTradeSettlement": "SpecifiedLineTradeSettlement",
    "ApplicablePercent": "RateApplicablePercent",
}
# A built-in PDF font prints only Windows-1252: content beyond it takes the metric-compatible
# TrueType face, and DejaVu (wider coverage, e.g. Arabic) when that lacks a character too.
_FONT_FALLBACKS = {
    "Helvetica": (LIBERATION_SANS, DEJAVU_SANS),
    "Times-Roman": (LIBERATION_SERIF, DEJAVU_SERIF),
    "Courier": (LIBERATION_MONO, DEJAVU_SANS),
}
# Symbols the layouts may print; any other currency is printed by its ISO code.
_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


class ExternalContentError(ValueError):
    """A file that holds no e-invoice the importer can turn into content."""


@dataclass(frozen=True, slots=True)
class ExternalContent:
    """The printable content of one e-invoice, with where it came from."""

    id: str
    source: str  # where it came from (a repository for the corpus, else the file)
    data: InvoiceData  # the fields as the e-invoice states them
    seller: PartyInfo
    buyer: PartyInfo
    due_date: date | None
    tax_rates: tuple[Decimal, ...]
    order_ref: str
    codes: tuple[str, ...]  # item code per line ("" where none)


# ------------------------------------------------------------------ reading
def _zugferd1_as_cii(root: etree._Element) -> etree._Element:
    """A copy of a ZUGFeRD 1.0 tree with CII D16B element names and root namespace."""
    root = copy.deepcopy(root)
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        q = etree.QName(el)
        name = _ZUGFERD1_NAMES.get(q.localname, q.localname)
        if name == "SpecifiedTradeSettlementMonetarySummation":
            # Header totals and line totals share one name in 1.0; D16B tells them apart.
            in_line = any(
                etree.QName(a).localname == "IncludedSupplyChainTradeLineItem"
                for a in el.iterancestors()
            )
            name = f"SpecifiedTradeSettlement{'Line' if in_line else 'Header'}MonetarySummation"
        el.tag = etree.QName(NS_CII if el is root else q.namespace, name).text
    return root


def einvoice_root(data: bytes) -> etree._Element:
    """The e-invoice XML root of an XML file or of a PDF's embedded attachment."""
    if data.lstrip()[:5] == b"%PDF-":
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
        try:
            found = embedded_xml(doc, data) or _any_xml_attachment(doc)
        finally:
            doc.close()
        if found is None:
            raise ExternalContentError("the PDF carries no e-invoice XML")
        data = found[1]
    try:
        root = parse_xml(data)
    except DocumentRejected as exc:
        raise ExternalContentError(str(exc)) from exc
    q = etree.QName(root)
    if q.namespace == NS_ZUGFERD1:
        root = _zugferd1_as_cii(root)
    elif q.localname == "Facturae" and "facturae" in (q.namespace or "").lower():
        # Older Facturae versions (3.0, 3.1) keep the 3.2 element names under another namespace.
        root = copy.deepcopy(root)
        root.tag = etree.QName(NS_FACTURAE_32, "Facturae").text
    return root


def _any_xml_attachment(doc: Any) -> tuple[str, bytes] | None:
    """The first attachment that is XML, for PDFs whose attachment the reader does not name."""
    for i in range(doc.count_attachments()):
        attachment = doc.get_attachment(i)
        data = bytes(attachment.get_data())
        if (
            attachment.get_name().lower().endswith(".xml")
            or data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] == b"<"
        ):
            return attachment.get_name(), data
    return None


def _tax_registration(el: etree._Element | None, fmt: EInvoiceFormat) -> str | None:
    """A party's VAT (or fiscal) registration only: legal and scheme ids are not tax ids."""
    if fmt is EInvoiceFormat.CII:
        regs = {r.get("schemeID"): text(r) for r in find_all(el, "SpecifiedTaxRegistration/ID")}
        return regs.get("VA") or regs.get("FC") or next(iter(regs.values()), None)
    # A party may list several tax schemes (e.g. a tax-status note beside its VAT number).
    schemes = find_all(find(el, "Party"), "PartyTaxScheme")
    vat = [s for s in schemes if (text(s, "TaxScheme/ID") or "").upper() == "VAT"]
    return next((v for v in (text(s, "CompanyID") for s in vat + schemes) if v), None)


def _address(el: etree._Element | None, fmt: EInvoiceFormat) -> tuple[str, ...]:
    """Address lines of a party element: street lines, then postcode and town, then country."""
    if fmt is EInvoiceFormat.CII:
        a = find(el, "PostalTradeAddress")
        street = [text(a, p) for p in ("LineOne", "LineTwo", "LineThree")]
        town = [text(a, "PostcodeCode"), text(a, "CityName")]
        country = text(a, "CountryID")
    elif fmt is EInvoiceFormat.UBL:
        a = find(el, "Party/PostalAddress")
        street = [text(a, "StreetName"), text(a, "AdditionalStreetName")]
        street += [text(x, "Line") for x in find_all(a, "AddressLine")]
        town = [text(a, "PostalZone"), text(a, "CityName")]
        country = text(a, "Country/IdentificationCode")
    else:
        entity = find(el, "LegalEntity")
        entity = entity if entity is not None else find(el, "Individual")
        a = find(entity, "AddressInSpain")
        a = a if a is not None else find(entity, "OverseasAddress")
        street = [text(a, "Address")]
        town = [first_text(a, "PostCode", "PostCodeAndTown"), text(a, "Town"), text(a, "Province")]
        country = text(a, "CountryCode")
    lines = [s for s in street if s]
    place = " ".join(t for t in town if t)
    return tuple(x for x in (*lines, place, country) if x)


def _contact(el: etree._Element | None, fmt: EInvoiceFormat) -> tuple[str, str]:
    """Phone and e-mail of a party, empty where the e-invoice states none."""
    if fmt is EInvoiceFormat.CII:
        c = find(el, "DefinedTradeContact")
        phone = text(c, "TelephoneUniversalCommunication/CompleteNumber")
        email = text(c, "EmailURIUniversalCommunication/URIID")
    elif fmt is EInvoiceFormat.UBL:
        c = find(el, "Party/Contact")
        phone, email = text(c, "Telephone"), text(c, "ElectronicMail")
    else:
        c = find(find(el, "LegalEntity"), "ContactDetails")
        phone, email = text(c, "Telephone"), text(c, "ElectronicMail")
    return phone or "", email or ""


def _party_elements(
    root: etree._Element, fmt: EInvoiceFormat
) -> tuple[etree._Element | None, etree._Element | None]:
    """The seller and buyer elements of the e-invoice."""
    if fmt is EInvoiceFormat.CII:
        agreement = find(root, "SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement")
        return find(agreement, "SellerTradeParty"), find(agreement, "BuyerTradeParty")
    if fmt is EInvoiceFormat.UBL:
        return find(root, "AccountingSupplierParty"), find(root, "AccountingCustomerParty")
    return find(root, "Parties/SellerParty"), find(root, "Parties/BuyerParty")


def _first_date(values: Sequence[str | None]) -> date | None:
    """The first value that is a date (YYYY-MM-DD or YYYYMMDD)."""
    for value in values:
        if not value:
            continue
        raw = value.strip()
        for candidate in (raw[:10], raw[:8]):
            try:
                if len(candidate) == 10:
                    return date.fromisoformat(candidate)
                return date(int(candidate[:4]), int(candidate[4:6]), int(candidate[6:8]))
            except ValueError:
                continue
    return None


def _rates(values: list[str | None]) -> tuple[Decimal, ...]:
    """The distinct VAT rates stated, highest first."""
    out: set[Decimal] = set()
    for v in values:
        try:
            out.add(Decimal(v).normalize() if v else Decimal("NaN"))
        except ArithmeticError:
            continue
    return tuple(sorted((r for r in out if r.is_finite()), reverse=True))


def _extras(
    root: etree._Element, fmt: EInvoiceFormat
) -> tuple[date | None, tuple[Decimal, ...], str, str, list[str]]:
    """Due date, VAT rates, order reference, seller IBAN and per-line item codes."""
    if fmt is EInvoiceFormat.CII:
        trade = find(root, "SupplyChainTradeTransaction")
        settle = find(trade, "ApplicableHeaderTradeSettlement")
        due = _first_date(
            [
                text(t, "DueDateDateTime/DateTimeString")
                for t in find_all(settle, "SpecifiedTradePaymentTerms")
            ]
        )
        rates = _rates(
            [text(t, "RateApplicablePercent") for t in find_all(settle, "ApplicableTradeTax")]
        )
        order = text(
            trade, "ApplicableHeaderTradeAgreement/BuyerOrderReferencedDocument/IssuerAssignedID"
        )
        iban = text(
            settle, "SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount/IBANID"
        )
        codes = [
            text(item, "SpecifiedTradeProduct/SellerAssignedID") or ""
            for item in find_all(trade, "IncludedSupplyChainTradeLineItem")
        ]
    elif fmt is EInvoiceFormat.UBL:
        due = _first_date([text(root, "DueDate"), text(root, "PaymentMeans/PaymentDueDate")])
        rates = _rates(
            [
                first_text(s, "TaxCategory/Percent", "Percent")
                for t in find_all(root, "TaxTotal")
                for s in find_all(t, "TaxSubtotal")
            ]
        )
        order = text(root, "OrderReference/ID")
        iban = text(root, "PaymentMeans/PayeeFinancialAccount/ID")
        line_tag = (
            "CreditNoteLine" if etree.QName(root).localname == "CreditNote" else "InvoiceLine"
        )
        codes = [
            text(ln, "Item/SellersItemIdentification/ID") or "" for ln in find_all(root, line_tag)
        ]
    else:
        invoice = find(root, "Invoices/Invoice")
        installment = find(invoice, "PaymentDetails/Installment")
        due = _first_date([text(installment, "InstallmentDueDate")])
        rates = _rates([text(t, "TaxRate") for t in find_all(invoice, "TaxesOutputs/Tax")])
        order = None
        iban = text(installment, "AccountToBeCredited/IBAN")
        codes = [text(ln, "ArticleCode") or "" for ln in find_all(invoice, "Items/InvoiceLine")]
    return due, rates, order or "", iban or "", codes


def read_content(data: bytes, content_id: str, source: str = "") -> ExternalContent:
    """The printable content of one e-invoice file (XML, or a PDF with an embedded one)."""
    root = einvoice_root(data)
    fmt = detect_format(root)
    if fmt is None:
        raise ExternalContentError(f"<{etree.QName(root).localname}> is not an e-invoice")
    _, fields = parse_einvoice_root(root)
    seller_el, buyer_el = _party_elements(root, fmt)
    if fmt is not EInvoiceFormat.FACTURAE:
        fields.seller.tax_id = _tax_registration(seller_el, fmt)
        fields.buyer.tax_id = _tax_registration(buyer_el, fmt)
    elif fields.tax_total is None:
        # Some Facturae leave the total empty and state the tax per rate only.
        amounts = [
            text(t, "TaxAmount/TotalAmount")
            for t in find_all(root, "Invoices/Invoice/TaxesOutputs/Tax")
        ]
        if amounts and all(amounts):
            fields.tax_total = sum((Decimal(a) for a in amounts if a), Decimal(0))
    due, rates, order, iban, codes = _extras(root, fmt)
    phone, email = _contact(seller_el, fmt)
    seller = PartyInfo(
        fields.seller.name or "",
        fields.seller.tax_id or "",
        _address(seller_el, fmt),
        phone=phone,
        email=email,
        iban=iban,
    )
    buyer = PartyInfo(fields.buyer.name or "", fields.buyer.tax_id or "", _address(buyer_el, fmt))
    if len(codes) != len(fields.lines):
        codes = [""] * len(fields.lines)
    return ExternalContent(
        content_id, source or content_id, fields, seller, buyer, due, rates, order, tuple(codes)
    )


# ------------------------------------------------------------------ the corpus folder
def corpus_records(folder: Path) -> list[dict[str, Any]]:
    """The ground-truth records (gt.jsonl) of a corpus folder, in file order."""
    with (Path(folder) / "gt.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def corpus_file(folder: Path, record: dict[str, Any]) -> Path:
    """The e-invoice file of one ground-truth record."""
    return Path(folder) / record["kind"] / f"{record['id']}.{record['kind']}"


def load_corpus(folder: Path) -> Iterator[tuple[dict[str, Any], ExternalContent]]:
    """Every corpus record with its imported content (raises on a file that cannot be read)."""
    for record in corpus_records(folder):
        path = corpus_file(folder, record)
        yield record, read_content(path.read_bytes(), record["id"], record["source"]["repo"])


# ------------------------------------------------------------------ rendering
def printed_amount(value: Decimal | None) -> Decimal | None:
    """An amount as a layout prints it: cents at least, every stated decimal kept."""
    if value is None or value.as_tuple().exponent <= -2:  # type: ignore[operator]
        return value
    return value.quantize(Decimal("0.01"))


def external_seed(content_id: str, layout: str, seed: int = 0) -> int:
    """The 48-bit seed of one content in one layout (decorations and scan defects)."""
    digest = hashlib.sha256(f"facturas-external:{seed}:{content_id}:{layout}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def choose_layouts(content_id: str, k: int, seed: int = 0) -> list[str]:
    """k distinct layouts for one content, drawn reproducibly from its id and `seed`."""
    names = sorted(LAYOUTS)
    rng = random.Random(f"facturas-external-layouts:{seed}:{content_id}")
    return rng.sample(names, k=min(k, len(names)))


def _covers(fonts: Fonts, chars: set[str]) -> bool:
    """Whether every face of `fonts` has a glyph for each of `chars`."""
    for face in (fonts.regular, fonts.bold, fonts.italic):
        if face in STANDARD:
            try:
                "".join(chars).encode("cp1252")
            except UnicodeEncodeError:
                return False
            continue
        ensure_font(face)
        cmap = pdfmetrics.getFont(face).face.charToGlyph
        if any(ord(c) not in cmap for c in chars):
            return False
    return True


def content_chars(content: ExternalContent) -> set[str]:
    """Every non-blank character the content prints."""
    texts = [
        content.seller.name,
        content.buyer.name,
        content.seller.tax_id,
        content.buyer.tax_id,
        content.seller.email,
        content.seller.phone,
        content.data.invoice_number or "",
        content.order_ref,
        *content.seller.address,
        *content.buyer.address,
        *(ln.description or "" for ln in content.data.lines),
        *content.codes,
    ]
    return {c for t in texts for c in t if not c.isspace()}


def fonts_for(fonts: Fonts, chars: set[str]) -> Fonts:
    """The layout's fonts if they print every character, else the first fallback that does."""
    candidates = (fonts, *_FONT_FALLBACKS.get(fonts.regular, ()), DEJAVU_SANS)
    return next((f for f in candidates if _covers(f, chars)), DEJAVU_SANS)


def adapt_layout(layout: Layout, content: ExternalContent) -> Layout:
    """The layout with the content's seller as issuer, its currency and only stated references."""
    s = content.seller
    issuer = Issuer(s.name, "", s.address, s.phone, s.email, "", "", "external")
    currency = content.data.currency or ""
    symbol = layout.numbers.symbol if currency == "EUR" else _SYMBOLS.get(currency, currency)
    stated = {"number", "date"}
    stated |= {"due"} if content.due_date else set()
    stated |= {"order"} if content.order_ref else set()
    meta = tuple(f for f in layout.meta_fields if f in stated) or ("number", "date")
    if "number" not in meta:
        meta = ("number", *meta)
    if "date" not in meta:
        meta = (*meta, "date")
    return replace(
        layout,
        issuer=issuer,
        meta_fields=meta,
        # An ISO code is never glued to the number ("CHF 12.00", not "CHF12.00").
        numbers=replace(
            layout.numbers,
            symbol=symbol,
            symbol_space=layout.numbers.symbol_space or len(symbol) > 1,
        ),
        fonts=fonts_for(layout.fonts, content_chars(content)),
    )


def content_invoice(content: ExternalContent, layout: Layout, seed: int) -> SynthInvoice:
    """The content as the generator's invoice structure, to be drawn by `layout`."""
    d = content.data
    if d.issue_date is None:
        raise ExternalContentError(f"{content.id}: the e-invoice states no issue date")
    lines = [
        SynthLine(
            ln.description or "",
            ln.quantity,
            printed_amount(ln.unit_price),
            None,
            printed_amount(ln.amount),  # type: ignore[arg-type]  # None prints as an empty cell
            "item",
            code,
        )
        for ln, code in zip(d.lines, content.codes, strict=True)
    ]
    due = content.due_date or d.issue_date
    inv = SynthInvoice(
        seed=seed,
        layout=layout.name,
        language=layout.language,
        category=UNLABELLED,
        number=d.invoice_number or "",
        issue_date=d.issue_date,
        due_date=due,
        service_date=d.issue_date,
        order_ref=content.order_ref,
        contract_ref="",
        customer_code="",
        seller=content.seller,
        buyer=content.buyer,
        lines=lines,
        tax_rate=content.tax_rates[0] if content.tax_rates else Decimal("0"),
        exempt_note=None,
        payment_days=max(0, (due - d.issue_date).days),
        currency=d.currency or "",
        tax_rates=content.tax_rates,
    )
    # The stated totals, never recomputed: documents whose lines do not add up stay so.
    inv.net, inv.tax, inv.total = (  # type: ignore[assignment]
        printed_amount(d.net_total),
        printed_amount(d.tax_total),
        printed_amount(d.total),
    )
    return inv


def render_external(
    content: ExternalContent, layout_name: str, rendering: str = "text-pdf", seed: int = 0
) -> tuple[bytes, SynthInvoice, int]:
    """The file bytes of `content` drawn by one layout, the invoice drawn and its page count."""
    layout = adapt_layout(layout_named(layout_name), content)
    inv = content_invoice(content, layout, external_seed(content.id, layout_name, seed))
    pdf, pages = render_text_pdf(inv, layout)
    return render_bytes(inv, pdf, pages, rendering), inv, pages


def write_external(
    content: ExternalContent,
    layout_name: str,
    out: Path,
    rendering: str = "text-pdf",
    seed: int = 0,
) -> GeneratedInvoice:
    """Write one rendering of `content` and its ground truth (`<stem>.truth.json`) into `out`."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data, inv, pages = render_external(content, layout_name, rendering, seed)
    stem = f"{content.id}--{layout_name}--{rendering}"
    path = out / (stem + file_suffix(inv, rendering, pages))
    truth = inv.truth(rendering, pages, path.name)
    truth["source"] = {"id": content.id, "origin": content.source}
    path.write_bytes(data)
    truth_path = out / f"{stem}.truth.json"
    truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return GeneratedInvoice(path, truth_path, truth)
