"""The multilingual label lexicon (es, en, fr, de, it, pt, nl) and matching labels in word runs."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from facturas_assets.documents.extraction.text import token_key
from facturas_assets.documents.extraction.vocabulary import lookalike

# Field labels. A phrase is words separated by spaces, compared by token_key (no accents, case or
# punctuation). Phrases listed under WEAK are generic words that name the field only in context.
FIELD_LABELS: dict[str, list[str]] = {
    "invoice_number": [
        # es
        "factura no",
        "factura num",
        "factura numero",
        "factura n",
        "no factura",
        "no de factura",
        "n de factura",
        "num factura",
        "num de factura",
        "numero de factura",
        "numero factura",
        "n factura",
        "factura",
        "serie y numero",
        "serie numero",
        "numero",
        "num",
        "no",
        "n",
        "factura rectificativa no",
        "codigo de factura",
        # en
        "invoice no",
        "invoice number",
        "invoice #",
        "invoice nr",
        "invoice num",
        "invoice id",
        "invoice ref",
        "invoice",
        "inv no",
        "inv #",
        "number",
        "#",
        "ref no",
        # fr
        "facture no",
        "facture n",
        "facture numero",
        "numero de facture",
        "no de facture",
        "n de facture",
        "facture",
        # de
        "rechnungsnummer",
        "rechnung nr",
        "rechnungs nr",
        "rechnungsnr",
        "rechnung",
        "nr",
        "nummer",
        "rechnung no",
        # it
        "fattura n",
        "fattura no",
        "fattura nr",
        "numero fattura",
        "n fattura",
        "nr fattura",
        "fattura",
        "numero documento",
        "documento n",
        # pt
        "fatura n",
        "fatura no",
        "fatura numero",
        "numero da fatura",
        "n da fatura",
        "fatura",
        # nl
        "factuurnummer",
        "factuur nr",
        "factuurnr",
        "factuur",
        "factuur nummer",
    ],
    "issue_date": [
        "fecha",
        "fecha factura",
        "fecha de factura",
        "fecha de emision",
        "fecha emision",
        "fecha de expedicion",
        "fecha expedicion",
        "fecha de la factura",
        "date",
        "invoice date",
        "date of issue",
        "issue date",
        "date issued",
        "dated",
        "issued",
        "date de facture",
        "date facture",
        "date d emission",
        "date de emission",
        "date demission",
        "rechnungsdatum",
        "datum",
        "ausstellungsdatum",
        "rechnungs datum",
        "data",
        "data fattura",
        "data emissione",
        "data documento",
        "data della fattura",
        "data de emissao",
        "data da fatura",
        "data fatura",
        "data emissao",
        "factuurdatum",
        "datum factuur",
        "factuur datum",
    ],
    "net_total": [
        "base imponible",
        "base",
        "subtotal",
        "sub total",
        "importe neto",
        "neto",
        "total neto",
        "total sin iva",
        "total base imponible",
        "suma",
        "base imp",
        "total bruto",
        "bruto",
        "net",
        "net amount",
        "net total",
        "total net",
        "total excl vat",
        "total excluding vat",
        "total exc vat",
        "amount before tax",
        "total before tax",
        "total before vat",
        "net value",
        "subtotal excl vat",
        "total ht",
        "montant ht",
        "sous total",
        "soustotal",
        "total hors taxes",
        "total hors taxe",
        "base ht",
        "nettobetrag",
        "netto",
        "summe netto",
        "zwischensumme",
        "gesamt netto",
        "nettosumme",
        "netto betrag",
        "warenwert",
        "imponibile",
        "totale imponibile",
        "imponibile totale",
        "totale netto",
        "base tributavel",
        "valor liquido",
        "total iliquido",
        "iliquido",
        "valor iliquido",
        "total sem iva",
        "total liquido",
        "valor sem iva",
        "subtotaal",
        "totaal excl btw",
        "netto bedrag",
        "bedrag excl btw",
        "totaal exclusief btw",
        "excl btw",
    ],
    "tax_total": [
        "iva",
        "cuota iva",
        "cuota de iva",
        "total iva",
        "importe iva",
        "i v a",
        "impuestos",
        "cuota",
        "igic",
        "cuota igic",
        "vat",
        "tax",
        "vat amount",
        "total vat",
        "sales tax",
        "tax amount",
        "total tax",
        "tva",
        "montant tva",
        "total tva",
        "mwst",
        "ust",
        "umsatzsteuer",
        "mehrwertsteuer",
        "zzgl mwst",
        "zzgl ust",
        "mwst betrag",
        "ust betrag",
        "imposta",
        "totale iva",
        "importo iva",
        "valor iva",
        "valor do iva",
        "total do iva",
        "btw",
        "totaal btw",
        "bedrag btw",
        "btw bedrag",
    ],
    "total": [
        "total",
        "total factura",
        "total a pagar",
        "importe total",
        "total importe",
        "total eur",
        "importe a pagar",
        "total general",
        "total de la factura",
        "total con iva",
        "total iva incluido",
        "total iva incl",
        "liquido a pagar",
        "amount due",
        "total due",
        "balance due",
        "grand total",
        "invoice total",
        "total amount",
        "total to pay",
        "total payable",
        "amount payable",
        "total incl vat",
        "total including vat",
        "total ttc",
        "net a payer",
        "montant ttc",
        "montant total",
        "total a payer",
        "montant du",
        "gesamtbetrag",
        "gesamtsumme",
        "rechnungsbetrag",
        "endbetrag",
        "zu zahlen",
        "zahlbetrag",
        "gesamt",
        "bruttobetrag",
        "summe brutto",
        "gesamt brutto",
        "totale",
        "totale fattura",
        "totale documento",
        "totale da pagare",
        "importo totale",
        "totale complessivo",
        "netto a pagare",
        "valor total",
        "total da fatura",
        "total geral",
        "valor a pagar",
        "totaal",
        "totaal incl btw",
        "te betalen",
        "totaalbedrag",
        "totaal bedrag",
    ],
    "seller": [
        "emisor",
        "proveedor",
        "vendedor",
        "datos del emisor",
        "emitido por",
        "de",
        "from",
        "seller",
        "supplier",
        "vendor",
        "issued by",
        "billed by",
        "fournisseur",
        "emetteur",
        "vendeur",
        "lieferant",
        "verkaufer",
        "rechnungssteller",
        "absender",
        "fornitore",
        "cedente",
        "cedente prestatore",
        "venditore",
        "prestatore",
        "fornecedor",
        "emitente",
        "prestador",
        "leverancier",
        "verkoper",
        "van",
    ],
    "buyer": [
        "cliente",
        "datos del cliente",
        "facturar a",
        "facturado a",
        "destinatario",
        "comprador",
        "adquirente",
        "receptor",
        "bill to",
        "billed to",
        "invoice to",
        "sold to",
        "customer",
        "client",
        "buyer",
        "to",
        "facture a",
        "facturer a",
        "facture au",
        "adresse de facturation",
        "kunde",
        "rechnungsempfanger",
        "empfanger",
        "rechnungsadresse",
        "an",
        "cessionario",
        "cessionario committente",
        "committente",
        "intestatario",
        "spett le",
        "spettle",
        "spett",
        "spettabile",
        "egregio",
        "gentile",
        "faturar a",
        "faturado a",
        "exmos senhores",
        "exmo senhor",
        "exmos srs",
        "exmo sr",
        "exmos",
        "exmo",
        "sres",
        "senores",
        "messieurs",
        "klant",
        "factuur aan",
        "afnemer",
        "aan",
    ],
    "tax_id": [
        "nif",
        "cif",
        "nie",
        "nif cif",
        "cif nif",
        "nif iva",
        "vat",
        "vat no",
        "vat number",
        "vat id",
        "vat reg no",
        "vat reg",
        "tax id",
        "tax no",
        "tva",
        "no tva",
        "n tva",
        "tva intracommunautaire",
        "no tva intracom",
        "ust idnr",
        "ustidnr",
        "ust id",
        "ustid",
        "ust id nr",
        "steuernummer",
        "p iva",
        "partita iva",
        "piva",
        # "P.IVA" as OCR reads it at low resolution
        "pava",
        "p iv",
        "piv",
        "p lva",
        "plva",
        "p1va",
        "cifnif",
        "nifcif",
        "codice fiscale",
        "nipc",
        "contribuinte",
        "btw nummer",
        "btw nr",
        "btw id",
        "btwnr",
        "no iva",
        "n iva",
        "iva",
        "id iva",
        "vat id no",
        "siren",
        "siret",
    ],
    # Labels of other things, matched so that their words are not mistaken for ours.
    "other": [
        "fecha de vencimiento",
        "fecha vencimiento",
        "vencimiento",
        "fecha de pedido",
        "fecha pedido",
        "fecha de entrega",
        "fecha entrega",
        "fecha de operacion",
        "fecha operacion",
        "fecha de pago",
        "pedido no",
        "no pedido",
        "n pedido",
        "pedido",
        "no de pedido",
        "cliente no",
        "no cliente",
        "n cliente",
        "codigo cliente",
        "albaran no",
        "albaran",
        "presupuesto",
        "contrato",
        "referencia",
        "su referencia",
        "forma de pago",
        "iban",
        "due date",
        "payment due",
        "order date",
        "delivery date",
        "order no",
        "order number",
        "po no",
        "po number",
        "customer no",
        "customer number",
        "customer id",
        "account no",
        "terms",
        "payment terms",
        "date d echeance",
        "echeance",
        "date de livraison",
        "commande",
        "bon de commande",
        "no client",
        "n client",
        "falligkeitsdatum",
        "fallig am",
        "lieferdatum",
        "leistungsdatum",
        "zahlbar bis",
        "bestellnummer",
        "bestellung",
        "kundennummer",
        "kunden nr",
        "lieferschein",
        "scadenza",
        "data scadenza",
        "data di scadenza",
        "ordine",
        "ordine n",
        "codice cliente",
        "data de vencimento",
        "vencimento",
        "encomenda",
        "n encomenda",
        "vervaldatum",
        "leverdatum",
        "bestelling",
        "klantnummer",
        "periodo",
        "period",
        "pagina",
        "page",
        "seite",
        "irpf",
        "retencion",
        "retencion irpf",
        "tipo",
        "tipo iva",
        "rate",
        "dto",
        "descuento",
        "discount",
        "remise",
        "rabatt",
        "sconto",
        "desconto",
        "korting",
        "telefono",
        "tel",
        "phone",
        "email",
        "e mail",
        "web",
        "fax",
        "cod cliente",
        "codigo de cliente",
        "ref cliente",
        "su pedido",
        "su ref",
        "su referencia",
        "nuestra ref",
        "your ref",
        "our ref",
        "your po",
        "po",
        "purchase order",
        "votre ref",
        "reference client",
        "code client",
        "ihre bestellung",
        "ihr zeichen",
        "unser zeichen",
        "vostro ordine",
        "rif",
        "riferimento",
        "v encomenda",
        "v ref",
        "uw ref",
        "uw bestelling",
    ],
}

# "Invoice" in the lexicon's languages: alone it is a document title, or a weak number label.
INVOICE_WORDS = ("factura", "invoice", "facture", "rechnung", "fattura", "fatura", "factuur")

WEAK: dict[str, set[str]] = {
    "invoice_number": {
        "numero",
        "num",
        "no",
        "n",
        "number",
        "#",
        "nr",
        "nummer",
        *INVOICE_WORDS,
    },
    "issue_date": {"fecha", "date", "datum", "data", "dated", "issued"},
    "net_total": {"base", "suma", "net", "netto", "neto", "bruto", "total bruto"},
    "tax_total": {"cuota", "tax", "impuestos"},
    "total": {"total", "gesamt", "totale", "totaal"},
    "seller": {"de", "from", "van"},
    "buyer": {"to", "an", "aan", "client"},
    "tax_id": {"iva", "vat", "tva", "btw"},
}

# Table column headers.
COLUMN_LABELS: dict[str, list[str]] = {
    "description": [
        "descripcion",
        "concepto",
        "conceptos",
        "detalle",
        "articulo",
        "servicio",
        "servicios",
        "trabajo",
        "trabajos",
        "producto",
        "descripcion del servicio",
        "description",
        "item",
        "items",
        "details",
        "service",
        "services",
        "product",
        "designation",
        "libelle",
        "produit",
        "prestation",
        "bezeichnung",
        "beschreibung",
        "leistung",
        "artikel",
        "artikelbezeichnung",
        "descrizione",
        "prodotto",
        "servizio",
        "descricao",
        "designacao",
        "produto",
        "servico",
        "omschrijving",
        "product omschrijving",
        "artikelomschrijving",
    ],
    "quantity": [
        "cantidad",
        "cant",
        "uds",
        "ud",
        "unidades",
        "unid",
        "uts",
        "qty",
        "quantity",
        "qte",
        "quantite",
        "qt",
        "menge",
        "anz",
        "anzahl",
        "quantita",
        "qta",
        "qtd",
        "qtde",
        "quantidade",
        "aantal",
        "horas",
        "hours",
        "hrs",
        "stuks",
    ],
    "unit_price": [
        "precio",
        "precio unitario",
        "precio unidad",
        "precio ud",
        "precioud",
        "p unit",
        "pu",
        "p u",
        "pvp",
        "importe unitario",
        "tarifa",
        "precio unit",
        "unit price",
        "unit cost",
        "price",
        "rate",
        "price per unit",
        "prix unitaire",
        "prix unit",
        "prix",
        "pu ht",
        "prix u",
        "einzelpreis",
        "preis",
        "e preis",
        "epreis",
        "stuckpreis",
        "prezzo unitario",
        "prezzo unit",
        "prezzo",
        "preco unitario",
        "preco unit",
        "preco",
        "stukprijs",
        "prijs",
        "eenheidsprijs",
        "prijs per stuk",
    ],
    "amount": [
        "importe",
        "total",
        "subtotal",
        "importe total",
        "total linea",
        "importe neto",
        "neto",
        "amount",
        "line total",
        "total price",
        "net amount",
        "montant",
        "montant ht",
        "total ht",
        "betrag",
        "gesamt",
        "gesamtpreis",
        "summe",
        "nettobetrag",
        "importo",
        "totale",
        "valor",
        "montante",
        "bedrag",
        "totaal",
        "net",
        "base",
    ],
    "code": [
        "ref",
        "referencia",
        "codigo",
        "cod",
        "code",
        "sku",
        "art nr",
        "artikelnr",
        "artikelnummer",
        "codice",
        "reference",
        "part no",
        "item no",
        "pos",
        "position",
        "linea",
        "line",
        "no",
        "n",
        "#",
    ],
    "discount": [
        "dto",
        "dto %",
        "descuento",
        "desc %",
        "discount",
        "disc",
        "remise",
        "rabatt",
        "sconto",
        "desconto",
        "korting",
    ],
    "vat": [
        "iva",
        "iva %",
        "% iva",
        "vat",
        "vat %",
        "tva",
        "tva %",
        "mwst",
        "ust",
        "btw",
        "tax",
        "igic",
        "tipo",
    ],
    "unit": ["unidad", "unit", "um", "u m", "einheit", "unite", "unita", "eenheid", "medida"],
}


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """A label found in a run of words: its kind, the word index range [start, end) and strength."""

    kind: str
    start: int
    end: int
    strength: float


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


_FIELD_PHRASES = _compile(FIELD_LABELS)
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
_MAX_LEN = 4


def word_keys(texts: Sequence[str]) -> list[str]:
    """Comparison keys of words; a word made only of punctuation gets an empty key."""
    return [token_key(t) for t in texts]


def _match(
    keys: list[str], phrases: dict[tuple[str, ...], str], weak: set[tuple[str, tuple[str, ...]]]
) -> list[LabelMatch]:
    found: list[LabelMatch] = []
    filled = [j for j, k in enumerate(keys) if k]
    rank = {j: n for n, j in enumerate(filled)}
    i = 0
    while i < len(keys):
        if not keys[i]:
            i += 1
            continue
        hit = None
        # Longest phrase first, skipping punctuation-only words inside it ("Nº : factura").
        for length in range(_MAX_LEN, 0, -1):
            idx = filled[rank[i] : rank[i] + length]
            if len(idx) < length:
                continue
            key = tuple(keys[j] for j in idx)
            kind = phrases.get(key)
            if kind is None and length == 1:
                # Glued label and colon/number sign variants, e.g. "Nº." or "Factura:".
                continue
            if kind is not None:
                strength = 0.6 if (kind, key) in weak else 1.0
                hit = LabelMatch(kind, i, idx[-1] + 1, strength)
                break
        if hit:
            found.append(hit)
            i = hit.end
        else:
            i += 1
    return found


# A tax label with its rate glued on by OCR ("IVA21%", "TVA20", "MwSt19%").
_GLUED_RATE = re.compile(r"^([a-z]{2,})(\d{1,2}(?:\d{1,2})?%?)$")


def match_field_labels(texts: Sequence[str]) -> list[LabelMatch]:
    """Field labels (invoice_number, issue_date, net_total, ..., other) in a run of words."""
    keys = word_keys(texts)
    for i, key in enumerate(keys):
        glued = _GLUED_RATE.match(key)
        if glued and (key,) not in _FIELD_PHRASES and (glued.group(1),) in _FIELD_PHRASES:
            keys[i] = glued.group(1)
    joined = _join_split_words(keys)
    return [
        LabelMatch(m.kind, m.start, m.end + (m.end in joined), m.strength)
        for m in _match(keys, _FIELD_PHRASES, _WEAK_KEYS)
    ]


_FIELD_WORDS = {k for phrase in _FIELD_PHRASES for k in phrase if len(k) >= _MIN_SPLIT}


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
        elif keys[i] not in _COLUMN_FIRST and len(keys[i]) >= 6:
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
