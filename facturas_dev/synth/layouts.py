"""The issuer styles: letterhead, fonts, label wordings, block positions, table and totals styles.

Each layout is one issuer with its own look; `LAYOUTS` maps name -> Layout. `HELD_OUT_LAYOUTS` are
kept out of training sets by default so extraction accuracy can be measured on unseen layouts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from types import MappingProxyType

from facturas_dev.synth.formats import NumberStyle


@dataclass(frozen=True, slots=True)
class Issuer:
    """The company that issues a layout's invoices."""

    name: str
    tagline: str
    address: tuple[str, ...]
    phone: str
    email: str
    web: str
    country: str
    id_kind: str  # cif-A, cif-B, dni, nie, pt, fr, it, ie
    registry: str = ""  # legal footer line
    tax_prefix: str = ""  # printed before a bare Spanish id, e.g. "ES"


@dataclass(frozen=True, slots=True)
class Fonts:
    """Regular, bold and italic face names (reportlab built-ins or registered TTFs)."""

    regular: str
    bold: str
    italic: str


HELVETICA = Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")
TIMES = Fonts("Times-Roman", "Times-Bold", "Times-Italic")
COURIER = Fonts("Courier", "Courier-Bold", "Courier-Oblique")
DEJAVU_SANS = Fonts("DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique")
DEJAVU_CONDENSED = Fonts(
    "DejaVuSansCondensed", "DejaVuSansCondensed-Bold", "DejaVuSansCondensed-Oblique"
)
DEJAVU_SERIF = Fonts("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic")
LIBERATION_SANS = Fonts("LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic")
LIBERATION_SERIF = Fonts("LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic")
LIBERATION_MONO = Fonts("LiberationMono", "LiberationMono-Bold", "LiberationMono-Italic")

BASE_LABELS: dict[str, dict[str, str]] = {
    "es": {
        "title": "FACTURA",
        "number": "Nº Factura",
        "date": "Fecha",
        "due": "Vencimiento",
        "order": "Su pedido",
        "customer_code": "Cód. cliente",
        "contract": "Contrato",
        "service_date": "Fecha servicio",
        "buyer": "Cliente",
        "tax_id": "CIF/NIF:",
        "seller_tax_id": "CIF:",
        "code": "Código",
        "description": "Descripción",
        "qty": "Cant.",
        "unit_price": "Precio",
        "discount": "Dto.",
        "amount": "Importe",
        "net": "Base imponible",
        "tax": "IVA {rate}",
        "total": "TOTAL",
        "payment": "Forma de pago:",
        "transfer": "Transferencia bancaria a {days} días",
        "cash": "Transferencia a la vista",
        "iban": "IBAN:",
        "page": "Página {p} de {n}",
        "continued": "Factura {number} (continuación)",
        "carry": "Suma y sigue",
        "phone": "Tel.",
        "thanks": "Gracias por su confianza.",
        "contract_note": "Servicio prestado según contrato de mantenimiento {contract}.",
    },
    "en": {
        "title": "INVOICE",
        "number": "Invoice No.",
        "date": "Invoice date",
        "due": "Due date",
        "order": "Your PO",
        "customer_code": "Account",
        "contract": "Contract",
        "service_date": "Service date",
        "buyer": "Bill to",
        "tax_id": "VAT No.",
        "seller_tax_id": "VAT No.",
        "code": "Item",
        "description": "Description",
        "qty": "Qty",
        "unit_price": "Unit price",
        "discount": "Disc.",
        "amount": "Amount",
        "net": "Subtotal",
        "tax": "VAT {rate}",
        "total": "Total due",
        "payment": "Payment terms:",
        "transfer": "Bank transfer, {days} days net",
        "cash": "Due on receipt",
        "iban": "IBAN",
        "page": "Page {p} of {n}",
        "continued": "Invoice {number} (continued)",
        "carry": "Carried forward",
        "phone": "Tel.",
        "thanks": "Thank you for your business.",
        "contract_note": "Service provided under maintenance contract {contract}.",
    },
    "pt": {
        "title": "FATURA",
        "number": "Fatura n.º",
        "date": "Data",
        "due": "Vencimento",
        "order": "V/ encomenda",
        "customer_code": "Cliente n.º",
        "contract": "Contrato",
        "service_date": "Data do serviço",
        "buyer": "Exmo(s). Senhor(es)",
        "tax_id": "NIF:",
        "seller_tax_id": "NIPC:",
        "code": "Ref.",
        "description": "Descrição",
        "qty": "Qtd.",
        "unit_price": "Preço unit.",
        "discount": "Desc.",
        "amount": "Valor",
        "net": "Total ilíquido",
        "tax": "IVA {rate}",
        "total": "Total a pagar",
        "payment": "Condições de pagamento:",
        "transfer": "Transferência bancária a {days} dias",
        "cash": "Pronto pagamento",
        "iban": "IBAN:",
        "page": "Página {p}/{n}",
        "continued": "Fatura {number} (continuação)",
        "carry": "A transportar",
        "phone": "Tel.",
        "thanks": "Obrigado pela preferência.",
        "contract_note": "Serviço prestado ao abrigo do contrato de manutenção {contract}.",
    },
    "fr": {
        "title": "FACTURE",
        "number": "Facture n°",
        "date": "Date",
        "due": "Échéance",
        "order": "Votre commande",
        "customer_code": "Code client",
        "contract": "Contrat",
        "service_date": "Date d'intervention",
        "buyer": "Client",
        "tax_id": "N° TVA :",
        "seller_tax_id": "N° TVA intracom. :",
        "code": "Réf.",
        "description": "Désignation",
        "qty": "Qté",
        "unit_price": "P.U. HT",
        "discount": "Remise",
        "amount": "Montant HT",
        "net": "Total HT",
        "tax": "TVA {rate}",
        "total": "Total TTC",
        "payment": "Conditions de règlement :",
        "transfer": "Virement à {days} jours",
        "cash": "Paiement à réception",
        "iban": "IBAN :",
        "page": "Page {p}/{n}",
        "continued": "Facture {number} (suite)",
        "carry": "À reporter",
        "phone": "Tél.",
        "thanks": "Merci de votre confiance.",
        "contract_note": "Intervention réalisée dans le cadre du contrat de maintenance {contract}.",
    },
    "it": {
        "title": "FATTURA",
        "number": "Fattura n.",
        "date": "Data",
        "due": "Scadenza",
        "order": "Vs. ordine",
        "customer_code": "Cod. cliente",
        "contract": "Contratto",
        "service_date": "Data intervento",
        "buyer": "Spett.le",
        "tax_id": "P.IVA",
        "seller_tax_id": "P.IVA",
        "code": "Cod.",
        "description": "Descrizione",
        "qty": "Q.tà",
        "unit_price": "Prezzo unit.",
        "discount": "Sconto",
        "amount": "Importo",
        "net": "Imponibile",
        "tax": "IVA {rate}",
        "total": "Totale documento",
        "payment": "Pagamento:",
        "transfer": "Bonifico bancario a {days} gg d.f.",
        "cash": "Rimessa diretta",
        "iban": "IBAN",
        "page": "Pagina {p} di {n}",
        "continued": "Fattura {number} (segue)",
        "carry": "A riportare",
        "phone": "Tel.",
        "thanks": "Grazie per la fiducia.",
        "contract_note": "Intervento eseguito nell'ambito del contratto di manutenzione {contract}.",
    },
}


@dataclass(frozen=True, slots=True)
class Layout:
    """One issuer style. The renderer reads every field; see pdf.py for what each value draws."""

    name: str
    language: str
    issuer: Issuer
    number_format: str  # keys: yyyy, yy, mm, n, s
    fonts: Fonts
    size: float = 9.0
    accent: tuple[float, float, float] = (0.1, 0.2, 0.45)
    letterhead: str = (
        "plain"  # banner, centered, logo, right, boxed, plain, sidebar, underline, contacts
    )
    title_pos: str = "right"  # left, right, center, meta (inside the meta block heading)
    meta_style: str = "box"  # box, list, band, inline, stack (each label above its value)
    meta_side: str = "right"
    meta_fields: tuple[str, ...] = ("number", "date")
    buyer_style: str = "box"  # box, plain, window
    buyer_side: str = "left"
    labels: dict[str, str] = field(default_factory=dict)  # overrides of BASE_LABELS
    date_style: str = "dmy-slash"
    numbers: NumberStyle = NumberStyle()
    qty_decimals: int | None = None  # None: as natural (1, 2,5); 2: always two decimals
    columns: tuple[str, ...] = ("description", "qty", "unit_price", "amount")
    table_rules: str = "horizontal"  # grid, horizontal, zebra, plain, header-fill, outer
    totals_style: str = "box"  # box, rows, band, left
    percent_places: int = 0
    carry_forward: bool = False  # "Suma y sigue" running subtotal at the foot of non-last pages
    page_number_pos: str = "right"  # right, center, top
    margin: float = 42.0
    # The wording's language when it differs from `language` (the content's): long dates use it.
    wording_language: str = ""
    # The title line with the number in it, e.g. "{title} Nº {number}" ("": the title alone).
    title_number: str = ""

    def label(self, key: str) -> str:
        """The wording this issuer prints for `key`."""
        return self.labels.get(key) or BASE_LABELS[self.language][key]

    @property
    def has_discount_column(self) -> bool:
        """Whether rows print a per-line discount percentage."""
        return "discount" in self.columns


def _layouts() -> dict[str, Layout]:
    layouts = [
        Layout(
            name="valles_banner",
            language="es",
            issuer=Issuer(
                "Mantenimientos Textiles Vallès, S.L.",
                "Mantenimiento de telares y preparación de tejeduría",
                ("C/ de la Rasa, 22, Pol. Ind. Can Palet", "08227 Terrassa (Barcelona)"),
                "937 85 41 20",
                "administracion@mtvalles.es",
                "www.mtvalles.es",
                "ES",
                "cif-B",
                "Inscrita en el Registro Mercantil de Barcelona, Tomo 41.233, Folio 112, Hoja B-387654",
            ),
            number_format="F{yyyy}-{n:05d}",
            fonts=HELVETICA,
            letterhead="banner",
            accent=(0.05, 0.28, 0.55),
            meta_style="box",
            meta_fields=("number", "date", "due", "order"),
            buyer_style="box",
            buyer_side="left",
            columns=("code", "description", "qty", "unit_price", "discount", "amount"),
            table_rules="header-fill",
            totals_style="box",
        ),
        Layout(
            name="levante_moderno",
            language="es",
            issuer=Issuer(
                "Servitex Levante, S.L.",
                "Servicio técnico de tricotosas circulares y rectilíneas",
                ("Av. de la Alameda, 45", "03803 Alcoi (Alicante)"),
                "965 33 12 48",
                "facturacion@servitexlevante.com",
                "servitexlevante.com",
                "ES",
                "cif-B",
                "Servitex Levante, S.L. · Registro Mercantil de Alicante, T. 3.912, F. 45, H. A-145221",
            ),
            number_format="FV-{yyyy}/{n:04d}",
            fonts=DEJAVU_SANS,
            size=8.5,
            accent=(0.0, 0.55, 0.55),
            letterhead="logo",
            title_pos="left",
            meta_style="list",
            meta_side="left",
            meta_fields=("number", "date", "customer_code", "due"),
            labels={
                "number": "Factura núm.",
                "date": "Fecha de emisión",
                "buyer": "Facturar a",
                "description": "Concepto",
                "qty": "Uds.",
                "unit_price": "P. unit.",
                "amount": "Total",
                "total": "Total factura",
            },
            buyer_style="plain",
            buyer_side="right",
            date_style="long",
            table_rules="zebra",
            totals_style="rows",
        ),
        Layout(
            name="bejar_clasico",
            language="es",
            issuer=Issuer(
                "Técnica Textil Bejarana, S.A.",
                "Cardas, manuares y continuas de hilar desde 1962",
                ("Ctra. de Salamanca, km 1,5", "37700 Béjar (Salamanca)"),
                "923 40 22 15",
                "oficina@tecnicabejarana.es",
                "",
                "ES",
                "cif-A",
                "Registro Mercantil de Salamanca, Tomo 118, Libro 0, Folio 75, Hoja SA-2290",
            ),
            number_format="{s}-{n:06d}",
            fonts=TIMES,
            size=10,
            accent=(0.35, 0.1, 0.1),
            letterhead="centered",
            title_pos="center",
            meta_style="band",
            meta_fields=("number", "date", "customer_code", "order"),
            labels={
                "number": "Número de factura",
                "date": "Fecha de expedición",
                "buyer": "Datos del cliente",
                "description": "Descripción del trabajo",
                "qty": "Cantidad",
                "unit_price": "Precio unitario",
                "net": "Suma",
                "tax": "I.V.A. {rate}",
                "total": "TOTAL FACTURA",
            },
            buyer_style="box",
            buyer_side="right",
            date_style="dmy-slash",
            table_rules="grid",
            totals_style="band",
            carry_forward=True,
            page_number_pos="center",
        ),
        Layout(
            name="hernandez_matricial",
            language="es",
            issuer=Issuer(
                "REPARACIONES HERNÁNDEZ E HIJOS",
                "Mecánica textil - urdidoras y bobinadoras",
                ("C/ Sant Cristòfol, 9, bajos", "08302 Mataró (Barcelona)"),
                "937 98 10 55",
                "hernandez.reparaciones@gmail.com",
                "",
                "ES",
                "dni",
            ),
            number_format="{n}/{yyyy}",
            fonts=COURIER,
            size=8.5,
            accent=(0, 0, 0),
            letterhead="plain",
            title_pos="left",
            meta_style="inline",
            meta_fields=("number", "date"),
            labels={
                "number": "FACTURA Nº",
                "date": "FECHA",
                "seller_tax_id": "NIF:",
                "tax_id": "NIF:",
                "buyer": "CLIENTE:",
                "description": "CONCEPTO",
                "qty": "CANT",
                "unit_price": "PRECIO",
                "amount": "IMPORTE",
                "net": "BASE IMPONIBLE",
                "tax": "IVA {rate}",
                "total": "TOTAL FACTURA",
                "page": "Hoja {p} de {n}",
            },
            buyer_style="plain",
            buyer_side="right",
            date_style="dmy-dash",
            numbers=NumberStyle(thousands="", symbol_in_table=False),
            qty_decimals=2,
            table_rules="plain",
            totals_style="rows",
            carry_forward=True,
            margin=48,
        ),
        Layout(
            name="norte_cajas",
            language="es",
            issuer=Issuer(
                "Ingeniería de Telares del Norte, S.L.",
                "Ingeniería y mantenimiento de tejeduría",
                (
                    "Parque Empresarial Zuatzu, Edif. Urumea, 2ª pl.",
                    "20018 Donostia-San Sebastián (Gipuzkoa)",
                ),
                "943 31 76 60",
                "facturas@telaresnorte.eus",
                "www.telaresnorte.eus",
                "ES",
                "cif-B",
                "R.M. de Gipuzkoa, Tomo 2.541, Folio 88, Hoja SS-33871",
            ),
            number_format="INT{yy:02d}{n:05d}",
            fonts=LIBERATION_SANS,
            size=9,
            accent=(0.2, 0.3, 0.2),
            letterhead="boxed",
            title_pos="meta",
            meta_style="box",
            meta_fields=("date", "number", "service_date", "contract"),
            labels={
                "number": "Núm. factura",
                "date": "Fecha",
                "buyer": "Destinatario",
                "unit_price": "Precio/u",
                "discount": "% Dto",
                "amount": "Importe €",
                "total": "Total a pagar",
                "tax": "Cuota IVA ({rate})",
            },
            buyer_style="box",
            buyer_side="right",
            date_style="dmy-slash",
            numbers=NumberStyle(symbol_in_table=False),
            columns=("description", "qty", "unit_price", "discount", "amount"),
            table_rules="outer",
            totals_style="box",
            percent_places=2,
        ),
        Layout(
            name="urdimbre_derecha",
            language="es",
            issuer=Issuer(
                "Urdimbre Servicios Técnicos, S.L.",
                "Urdidoras, engomadoras y anudadoras",
                ("C/ Joaquín Costa, 31", "46870 Ontinyent (Valencia)"),
                "962 91 55 03",
                "admin@urdimbre-st.es",
                "urdimbre-st.es",
                "ES",
                "cif-B",
                "Inscrita en el R.M. de Valencia, Tomo 9.812, Libro 7.094, Folio 51, Hoja V-158843",
            ),
            number_format="{yyyy}.{n:04d}",
            fonts=LIBERATION_SERIF,
            size=9.5,
            accent=(0.45, 0.25, 0.05),
            letterhead="right",
            title_pos="left",
            meta_style="list",
            meta_side="left",
            meta_fields=("date", "number", "order", "due"),
            labels={
                "number": "Nº de factura",
                "date": "Fecha factura",
                "buyer": "Sr./Sres.",
                "description": "Detalle",
                "qty": "Unid.",
                "unit_price": "Precio unit.",
                "net": "Total neto",
                "total": "Importe total",
            },
            buyer_style="window",
            buyer_side="right",
            date_style="long",
            table_rules="horizontal",
            totals_style="left",
        ),
        Layout(
            name="mataro_condensado",
            language="es",
            issuer=Issuer(
                "Tricot Service Mataró, S.L.",
                "Tricotosas rectilíneas Stoll y Shima Seiki",
                ("Camí Ral, 512, nave 4", "08302 Mataró (Barcelona)"),
                "937 41 09 87",
                "tsm@tricotservice.cat",
                "www.tricotservice.cat",
                "ES",
                "cif-B",
                "Inscrita en el R. M. de Barcelona, T. 45.120, F. 77, H. B-478120. ",
                tax_prefix="ES",
            ),
            number_format="TSM-{yyyy}-{n:04d}",
            fonts=DEJAVU_CONDENSED,
            size=8.5,
            accent=(0.55, 0.0, 0.3),
            letterhead="underline",
            title_pos="right",
            meta_style="box",
            meta_fields=("number", "date", "customer_code"),
            labels={
                "number": "Nº de factura",
                "seller_tax_id": "NIF-IVA:",
                "code": "Ref.",
                "discount": "Desc.",
                "tax": "IVA ({rate})",
                "total": "TOTAL €",
            },
            buyer_style="plain",
            buyer_side="left",
            date_style="dmy-dot",
            columns=("code", "description", "qty", "unit_price", "discount", "amount"),
            numbers=NumberStyle(symbol_in_table=False),
            table_rules="horizontal",
            totals_style="rows",
        ),
        Layout(
            name="petrov_minimal",
            language="es",
            issuer=Issuer(
                "Nikolai Petrov Ivanov",
                "Técnico de mantenimiento industrial",
                ("C/ Mayor, 17, 3º B", "03330 Crevillent (Alicante)"),
                "611 204 877",
                "npetrov.mantenimiento@gmail.com",
                "",
                "ES",
                "nie",
            ),
            number_format="{yyyy}-{n:03d}",
            fonts=LIBERATION_MONO,
            size=8.5,
            accent=(0.2, 0.2, 0.2),
            letterhead="contacts",
            title_pos="left",
            meta_style="list",
            meta_side="right",
            meta_fields=("number", "date"),
            labels={
                "number": "Factura",
                "date": "Fecha",
                "seller_tax_id": "NIE:",
                "tax_id": "CIF:",
                "buyer": "Cliente",
                "description": "Trabajo realizado",
                "qty": "Cant.",
                "unit_price": "Precio",
                "amount": "Importe",
                "net": "Subtotal",
                "total": "Total",
            },
            buyer_style="plain",
            buyer_side="left",
            date_style="dmy-slash",
            numbers=NumberStyle(thousands=""),
            table_rules="plain",
            totals_style="rows",
            page_number_pos="top",
        ),
        Layout(
            name="sur_franja",
            language="es",
            issuer=Issuer(
                "Cardas y Peinadoras del Sur, S.L.",
                "Hilatura: cardas, peinadoras y manuares",
                ("Pol. Ind. La Red Sur, C/ 7, nave 12", "41500 Alcalá de Guadaíra (Sevilla)"),
                "955 63 20 14",
                "cps@cardasdelsur.es",
                "www.cardasdelsur.es",
                "ES",
                "cif-B",
                "Registro Mercantil de Sevilla, Hoja SE-98765, Tomo 5.432, Folio 19",
            ),
            number_format="CPS/{yy:02d}/{n:05d}",
            fonts=DEJAVU_SERIF,
            size=8.5,
            accent=(0.6, 0.15, 0.05),
            letterhead="sidebar",
            title_pos="right",
            meta_style="band",
            meta_fields=("date", "number", "due", "contract"),
            labels={
                "number": "Nº Factura",
                "date": "Fecha",
                "buyer": "Cliente",
                "code": "Artículo",
                "description": "Descripción",
                "qty": "Cantidad",
                "unit_price": "Precio",
                "amount": "Importe",
                "tax": "IVA {rate}",
                "total": "TOTAL A PAGAR",
                "page": "Pág. {p}/{n}",
            },
            buyer_style="box",
            buyer_side="left",
            date_style="dmy-slash",
            columns=("code", "description", "qty", "unit_price", "amount"),
            table_rules="grid",
            totals_style="box",
            margin=52,
        ),
        Layout(
            name="ibericas_totales",
            language="es",
            issuer=Issuer(
                "Ramas Tensoras Ibéricas, S.A.",
                "Ramas, secaderos y calandras · Servicio 24 h",
                ("Av. de la Industria, 8", "28823 Coslada (Madrid)"),
                "916 73 44 90",
                "clientes@ramasibericas.es",
                "www.ramasibericas.es",
                "ES",
                "cif-A",
                "Ramas Tensoras Ibéricas, S.A. - R.M. Madrid, T. 22.410, F. 150, Secc. 8, H. M-400112",
            ),
            number_format="RT{yyyy}{n:06d}",
            fonts=HELVETICA,
            size=8,
            accent=(0.85, 0.45, 0.0),
            letterhead="underline",
            title_pos="left",
            meta_style="band",
            meta_fields=("number", "date", "order", "customer_code", "due"),
            labels={
                "number": "Factura",
                "date": "Fecha",
                "buyer": "Cliente",
                "qty": "Cantidad",
                "unit_price": "Precio",
                "discount": "Dto %",
                "amount": "Importe",
                "net": "Base",
                "tax": "IVA {rate}",
                "total": "Total EUR",
            },
            buyer_style="box",
            buyer_side="left",
            date_style="dmy-slash",
            columns=("description", "qty", "unit_price", "discount", "amount"),
            table_rules="zebra",
            totals_style="band",
        ),
        Layout(
            name="loomcare_en",
            language="en",
            issuer=Issuer(
                "LoomCare Technical Services Ltd",
                "Weaving machinery maintenance across Europe",
                ("Unit 4, Ballymount Industrial Estate", "Dublin 12, D12 X2Y4, Ireland"),
                "+353 1 456 7788",
                "accounts@loomcare.ie",
                "www.loomcare.ie",
                "IE",
                "ie",
                "Registered in Ireland No. 612345. Registered office as above.",
            ),
            number_format="INV-{yyyy}-{n:05d}",
            fonts=LIBERATION_SANS,
            size=9,
            accent=(0.1, 0.35, 0.2),
            letterhead="logo",
            title_pos="right",
            meta_style="list",
            meta_side="right",
            meta_fields=("number", "date", "due", "order"),
            buyer_style="plain",
            buyer_side="left",
            date_style="long",
            numbers=NumberStyle(decimal=".", thousands=",", symbol_prefix=True, symbol_space=False),
            columns=("description", "qty", "unit_price", "amount"),
            table_rules="header-fill",
            totals_style="rows",
        ),
        Layout(
            name="minho_pt",
            language="pt",
            issuer=Issuer(
                "Assistência Têxtil do Minho, Lda.",
                "Manutenção de teares e máquinas de tricotar",
                ("Rua de São Bento, 144", "4800-052 Guimarães, Portugal"),
                "+351 253 512 400",
                "geral@atminho.pt",
                "www.atminho.pt",
                "PT",
                "pt",
                "Capital social 50.000 €. Matriculada na C.R.C. de Guimarães.",
            ),
            number_format="FT {yyyy}/{n}",
            fonts=DEJAVU_SANS,
            size=8.5,
            accent=(0.0, 0.4, 0.25),
            letterhead="centered",
            title_pos="meta",
            meta_style="box",
            meta_fields=("number", "date", "due", "customer_code"),
            buyer_style="box",
            buyer_side="left",
            date_style="dmy-slash",
            numbers=NumberStyle(thousands=" "),
            columns=("code", "description", "qty", "unit_price", "discount", "amount"),
            table_rules="horizontal",
            totals_style="box",
        ),
        Layout(
            name="rhone_fr",
            language="fr",
            issuer=Issuer(
                "Maintenance Textile Rhône-Alpes SARL",
                "Bobinoirs, ourdissoirs et rames",
                ("15 avenue Jean Jaurès", "69007 Lyon, France"),
                "+33 4 72 71 40 40",
                "compta@mtra.fr",
                "www.mtra.fr",
                "FR",
                "fr",
                "SARL au capital de 40 000 € - RCS Lyon - APE 3314Z",
            ),
            number_format="FA{yy:02d}{mm:02d}-{n:04d}",
            fonts=TIMES,
            size=9.5,
            accent=(0.15, 0.15, 0.5),
            letterhead="right",
            title_pos="left",
            meta_style="inline",
            meta_fields=("number", "date", "customer_code"),
            buyer_style="window",
            buyer_side="right",
            date_style="long",
            numbers=NumberStyle(thousands=" "),
            columns=("code", "description", "qty", "unit_price", "amount"),
            table_rules="grid",
            totals_style="box",
        ),
        Layout(
            name="biella_it",
            language="it",
            issuer=Issuer(
                "Manutenzioni Tessili Biellesi S.r.l.",
                "Assistenza tecnica filatura e tessitura",
                ("Via Milano 112", "13900 Biella (BI), Italia"),
                "+39 015 840 2211",
                "amministrazione@mtbiella.it",
                "www.mtbiella.it",
                "IT",
                "it",
                "Cap. soc. € 20.000 i.v. - Reg. Imprese di Biella - REA BI-190233",
            ),
            number_format="{n}/{yy:02d}",
            fonts=DEJAVU_SERIF,
            size=8.5,
            accent=(0.0, 0.3, 0.5),
            letterhead="banner",
            title_pos="meta",
            meta_style="box",
            meta_side="left",
            meta_fields=("number", "date", "order"),
            buyer_style="plain",
            buyer_side="right",
            date_style="dmy-slash",
            numbers=NumberStyle(symbol_prefix=True),
            columns=("description", "qty", "unit_price", "discount", "amount"),
            table_rules="outer",
            totals_style="band",
        ),
    ]
    return {layout.name: layout for layout in layouts}


LAYOUTS: MappingProxyType[str, Layout] = MappingProxyType(_layouts())
HELD_OUT_LAYOUTS: tuple[str, ...] = ("norte_cajas", "sur_franja", "biella_it")


RANDOM_PREFIX = "random:"  # "random:123" names the randomized layout of seed 123


def is_seeded_name(prefix: str, name: str) -> bool:
    """Whether `name` is "<prefix><integer seed>" (a drawn layout's or template's name)."""
    head, _, seed = name.partition(":")
    return head + ":" == prefix and seed.lstrip("-").isdigit()


def seed_named(prefix: str, name: str, what: str) -> int:
    """The seed of "<prefix><seed>"; ValueError naming `what` when `name` is not one."""
    if not is_seeded_name(prefix, name):
        raise ValueError(f"not {what} name: {name!r}")
    return int(name.partition(":")[2])


def is_random_name(name: str) -> bool:
    """Whether `name` names a randomized layout ("random:<integer seed>")."""
    return is_seeded_name(RANDOM_PREFIX, name)


def drawn_names(prefix: str, n: int, key: str) -> list[str]:
    """n distinct names "<prefix><seed>" with seeds drawn reproducibly from `key`."""
    rng = random.Random(key)
    names: list[str] = []
    while len(names) < n:
        name = f"{prefix}{rng.getrandbits(31)}"
        if name not in names:
            names.append(name)
    return names


def known_layouts() -> dict[str, Layout]:
    """Every layout by name: `LAYOUTS` and the ones excluded from development."""
    # Imported here: excluded_layouts builds on this module.
    from facturas_dev.synth.excluded_layouts import EXCLUDED_LAYOUTS

    return {**LAYOUTS, **EXCLUDED_LAYOUTS}


def layout_named(name: str) -> Layout:
    """The layout called `name`, excluded ones included (they are used only by name).

    "random:<seed>" draws the randomized layout of that seed (facturas_dev.synth.random_layouts).
    """
    if is_random_name(name):
        from facturas_dev.synth.random_layouts import random_layout

        return random_layout(int(name.partition(":")[2]))
    known = known_layouts()
    try:
        return known[name]
    except KeyError:
        raise ValueError(f"unknown layout {name!r} (known: {', '.join(known)})") from None


def resolve_layouts(
    layouts: list[str] | tuple[str, ...] | None, exclude: list[str] | tuple[str, ...] = ()
) -> list[str]:
    """Layout names to draw from: `layouts` (all of `LAYOUTS` when None) minus `exclude`.

    The layouts excluded from development are never among the defaults: they are drawn only
    when `layouts` names them; "random:<seed>" names a randomized layout. Unknown names raise.
    """
    names = list(LAYOUTS) if layouts is None else list(layouts)
    known = known_layouts()
    unknown = sorted(n for n in {*names, *exclude} - set(known) if not is_random_name(n))
    if unknown:
        raise ValueError(f"unknown layout(s): {', '.join(unknown)} (known: {', '.join(known)})")
    chosen = [n for n in names if n not in set(exclude)]
    if not chosen:
        raise ValueError("no layouts left after exclusions")
    return chosen
