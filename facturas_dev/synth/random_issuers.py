"""Invented issuers for randomized layouts: a name, address and contacts in the wording's country."""

from __future__ import annotations

import random
import unicodedata

from facturas_dev.synth.layouts import Issuer
from facturas_dev.synth.legal_mentions import legal_line

# Per wording language: (country, tax id kinds, name parts, company suffixes, streets, towns).
_COUNTRY = {
    "es": ("ES", ("cif-B", "cif-B", "cif-A", "dni", "nie")),
    "ca": ("ES", ("cif-B", "cif-B", "dni")),
    "gl": ("ES", ("cif-B", "cif-A", "dni")),
    "pt": ("PT", ("pt",)),
    "fr": ("FR", ("fr",)),
    "it": ("IT", ("it",)),
    "de": ("DE", ("de",)),
    "en": ("IE", ("ie",)),
}
_NAMES = {
    "ES": (
        "Orbe",
        "Telartec",
        "Mecanotex",
        "Hilomar",
        "Ruiz Garrido",
        "Bobitex",
        "Sanz y Mora",
        "Tecnitrama",
        "Calandra",
        "Navarro Peña",
    ),
    "PT": (
        "Teceltécnica",
        "Fiação Nova",
        "Mecatêxtil",
        "Sousa & Pinto",
        "Lançadeira",
        "Técnica do Ave",
    ),
    "FR": (
        "Tissatec",
        "Méca-Fil",
        "Duval et Fils",
        "Trame Service",
        "Bobinage Moreau",
        "Technitex",
    ),
    "IT": (
        "Tessiltecnica",
        "Meccanotessile",
        "Rossi & Ferri",
        "Ordito Service",
        "Filatec",
        "Navetta",
    ),
    "DE": (
        "Webtechnik",
        "Textilservice",
        "Maschinenbau Krämer",
        "Spulerei Hoffmann",
        "Kettwirk-Technik",
        "Fadenwerk",
    ),
    "IE": ("Shuttle", "Warp & Weft", "Loomtec", "Fibrecare", "O'Neill Textile", "Bobbin"),
}
_ACTIVITY = {
    "es": ("Servicios Técnicos", "Mantenimiento Industrial", "Reparaciones Textiles", "Ingeniería"),
    "ca": ("Serveis Tècnics", "Manteniment Industrial", "Reparacions Tèxtils", "Enginyeria"),
    "gl": ("Servizos Técnicos", "Mantemento Industrial", "Reparacións Téxtiles", "Enxeñaría"),
    "pt": ("Assistência Técnica", "Manutenção Industrial", "Serviços Têxteis"),
    "fr": ("Maintenance Industrielle", "Services Techniques", "Mécanique Textile"),
    "it": ("Assistenza Tecnica", "Manutenzioni Industriali", "Servizi Tessili"),
    "de": ("Service", "Instandhaltung", "Industrietechnik"),
    "en": ("Technical Services", "Engineering", "Maintenance"),
}
_SUFFIX = {
    "ES": (", S.L.", ", S.A.", " S.L.", " SL", ", S.L.U.", ", S. Coop."),
    "PT": (", Lda.", ", Lda", ", S.A.", ", Unipessoal Lda."),
    "FR": (" SARL", " SAS", " S.A.", " EURL"),
    "IT": (" S.r.l.", " S.p.A.", " Srl", " S.n.c."),
    "DE": (" GmbH", " GmbH & Co. KG", " KG", " e.K."),
    "IE": (" Ltd", " Limited", " Ltd."),
}
_PERSONS = ("Jordi Puig Serra", "María José Lago Castro", "Antonio Ferrer Gil", "Xosé Otero Vidal")
_STREET = {
    "es": (
        "C/ Industria, {n}",
        "Av. de la Constitución, {n}",
        "Pol. Ind. El Pla, nave {n}",
        "Ctra. Nacional II, km {n}",
    ),
    "ca": (
        "C/ de la Indústria, {n}",
        "Pol. Ind. Can Mir, nau {n}",
        "Av. de Catalunya, {n}",
        "Ctra. de Vic, km {n}",
    ),
    "gl": ("Rúa do Progreso, {n}", "Polígono do Tambre, nave {n}", "Avda. de Galicia, {n}"),
    "pt": ("Rua da Indústria, {n}", "Av. da Liberdade, {n}", "Zona Industrial, Lote {n}"),
    "fr": ("{n} rue de l'Industrie", "{n} avenue de la République", "ZI des Forges, lot {n}"),
    "it": ("Via dell'Industria {n}", "Viale Europa {n}", "Via Roma {n}"),
    "de": ("Industriestraße {n}", "Bahnhofstr. {n}", "Gewerbepark Süd {n}"),
    "en": (
        "Unit {n}, Park West Business Park",
        "{n} Main Street",
        "Unit {n}, Kilcarbery Industrial Estate",
    ),
}
_TOWN = {
    "es": (
        "28850 Torrejón de Ardoz (Madrid)",
        "46980 Paterna (Valencia)",
        "50197 Zaragoza",
        "30500 Molina de Segura (Murcia)",
    ),
    "ca": (
        "08205 Sabadell (Barcelona)",
        "17800 Olot (Girona)",
        "08500 Vic (Barcelona)",
        "25005 Lleida",
    ),
    "gl": ("15008 A Coruña", "36214 Vigo (Pontevedra)", "27003 Lugo", "32001 Ourense"),
    "pt": ("4700-000 Braga, Portugal", "4760-100 Vila Nova de Famalicão", "3800-200 Aveiro"),
    "fr": ("59100 Roubaix, France", "42000 Saint-Étienne", "68100 Mulhouse", "38000 Grenoble"),
    "it": (
        "59100 Prato (PO), Italia",
        "22100 Como (CO)",
        "24121 Bergamo (BG)",
        "36100 Vicenza (VI)",
    ),
    "de": (
        "48599 Gronau, Deutschland",
        "09111 Chemnitz",
        "72764 Reutlingen",
        "41061 Mönchengladbach",
    ),
    "en": ("Dublin 22, Ireland", "Cork, T12 AB34, Ireland", "Galway, H91 X2P3, Ireland"),
}
_PHONE = {
    "ES": "9{a:02d} {b:03d} {c:03d}",
    "PT": "+351 2{a:02d} {b:03d} {c:03d}",
    "FR": "+33 3 {a:02d} {b:02d} {c:02d} 10",
    "IT": "+39 0{a:02d} {b:03d} {c:04d}",
    "DE": "+49 {a:02d}1 {b:03d} {c:03d}",
    "IE": "+353 1 {b:03d} {c:04d}",
}
_TLD = {"ES": "es", "PT": "pt", "FR": "fr", "IT": "it", "DE": "de", "IE": "ie"}


def _slug(name: str) -> str:
    """A lowercase ascii domain word from a company name."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower().split(",")[0] if c.isalnum())[:16] or "empresa"


def random_issuer(rng: random.Random, wording: str) -> Issuer:
    """An invented issuer of the wording language's country."""
    country, kinds = _COUNTRY[wording]
    kind = rng.choice(kinds)
    if kind in ("dni", "nie"):  # a self-employed person invoices under their own name
        name = rng.choice(_PERSONS)
        if rng.random() < 0.4:
            name = name.upper()
    else:
        base = rng.choice(_NAMES[country])
        activity = rng.choice(_ACTIVITY[wording])
        name = f"{base} {activity}" if rng.random() < 0.6 else base
        name += rng.choice(_SUFFIX[country])
    address = (
        rng.choice(_STREET[wording]).format(n=rng.randint(1, 180)),
        rng.choice(_TOWN[wording]),
    )
    phone = _PHONE[country].format(
        a=rng.randint(10, 99), b=rng.randint(100, 999), c=rng.randint(100, 9999) % 1000
    )
    slug = _slug(name)
    web = f"www.{slug}.{_TLD[country]}" if rng.random() < 0.6 else ""
    email = f"{rng.choice(('admin', 'facturas', 'info', 'billing', 'contabilidad'))}@{slug}.{_TLD[country]}"
    registry = ""
    if kind not in ("dni", "nie") and rng.random() < 0.6:
        # The mention's own stream, seeded by the one draw it always took: the issuer's other
        # draws stay as they were.
        mention = random.Random(f"{name}:{rng.randint(1000, 99999)}")
        registry = f"{name} · {legal_line(mention, country, wording)}"
    prefix = country if country == "ES" and kind.startswith("cif") and rng.random() < 0.25 else ""
    return Issuer(
        name,
        rng.choice(_ACTIVITY[wording]),
        address,
        phone,
        email,
        web,
        country,
        kind,
        registry,
        prefix,
    )
