"""Legal mentions a company's invoices must print, in each country's own shape, with invented ids.

Real invoices carry ids that are not the invoice's: the commercial registry entry (Spain's tomo /
folio / hoja, France's RCS / SIRET / APE, Italy's REA, Germany's Amtsgericht / HRB, Ireland's
company number), Portugal's certified-software line and ATCUD validation code, share capital.
Each is printed beside a label and looks like an invoice number, so a reader must learn to
pass them by. Values are drawn at random; only the shapes follow the rules of each country.
"""

from __future__ import annotations

import random
import re
import string

_SPANISH_PROVINCES = ("Madrid", "Valencia", "Barcelona", "Zaragoza", "Murcia", "Pontevedra")
_PROVINCE_CODES = {
    "Madrid": "M",
    "Valencia": "V",
    "Barcelona": "B",
    "Zaragoza": "Z",
    "Murcia": "MU",
    "Pontevedra": "PO",
}
_CITIES = {
    "PT": ("Braga", "Porto", "Aveiro", "Guimarães"),
    "FR": ("Lille", "Lyon", "Roubaix", "Mulhouse"),
    "IT": (("Prato", "PO"), ("Como", "CO"), ("Bergamo", "BG"), ("Vicenza", "VI")),
    "DE": ("Chemnitz", "Stuttgart", "Krefeld", "Münster"),
}


def _grouped(rng: random.Random, digits: int, group: int = 3) -> str:
    """A number of `digits` digits printed in groups of `group` ("412 887 301")."""
    raw = "".join(rng.choice(string.digits) for _ in range(digits))
    return " ".join(raw[i : i + group] for i in range(0, digits, group))


def _thousands(n: int) -> str:
    """n with dots between thousands, as Spanish registries print tomo numbers."""
    return f"{n:,}".replace(",", ".")


def _spanish(rng: random.Random, wording: str) -> str:
    """A Spanish commercial-registry entry, in Spanish, Catalan or Galician wording."""
    prov = rng.choice(_SPANISH_PROVINCES)
    tomo, folio = rng.randint(80, 46000), rng.randint(1, 220)
    hoja = f"{_PROVINCE_CODES[prov]}-{rng.randint(1000, 699999)}"
    words = {
        "ca": ("Inscrita al Registre Mercantil de", "Tom", "Foli", "Full", "Inscripció"),
        "gl": ("Inscrita no Rexistro Mercantil de", "Tomo", "Folio", "Folla", "Inscrición"),
    }.get(wording, ("Inscrita en el Registro Mercantil de", "Tomo", "Folio", "Hoja", "Inscripción"))
    registry, t, f, h, ins = words
    if rng.random() < 0.3:
        return f"R.M. {prov}, T. {_thousands(tomo)}, F. {folio}, H. {hoja}"
    entry = f"{registry} {prov}, {t} {_thousands(tomo)}, {f} {folio}, {h} {hoja}"
    if rng.random() < 0.5:
        entry += f", {ins} {rng.randint(1, 9)}ª"
    return entry


def _portuguese(rng: random.Random) -> str:
    """Share capital and registry, or the certified-invoicing-software line."""
    if rng.random() < 0.5:
        city = rng.choice(_CITIES["PT"])
        capital = f"{rng.choice((5, 10, 25, 50, 100)) * 1000:,}".replace(",", ".")
        return (
            f"Capital social {capital},00 € · Matrícula na C.R.C. de {city} "
            f"n.º {rng.randint(500000000, 599999999)}"
        )
    code = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(4))
    return f"{code}-Processado por programa certificado n.º {rng.randint(100, 2999)}/AT"


def _french(rng: random.Random) -> str:
    """Legal form with capital, RCS, SIRET and APE code."""
    siren = _grouped(rng, 9)
    nic = "".join(rng.choice(string.digits) for _ in range(5))
    parts = [
        f"{rng.choice(('SAS', 'SARL', 'SA'))} au capital de {rng.randint(1, 500) * 1000} €",
        f"RCS {rng.choice(_CITIES['FR'])} {rng.choice(('B ', ''))}{siren}",
        f"SIRET {siren} {nic}",
        f"Code APE {rng.randint(1000, 9999)}{rng.choice('ABCZ')}",
    ]
    return " · ".join(p for p in parts if rng.random() < 0.8 or p.startswith("RCS"))


def _italian(rng: random.Random) -> str:
    """Share capital, REA number and company-register number."""
    city, prov = rng.choice(_CITIES["IT"])
    register = "".join(rng.choice(string.digits) for _ in range(11))
    parts = [
        f"Cap. soc. € {rng.randint(10, 500) * 1000:,} i.v.".replace(",", "."),
        f"R.E.A. {prov}-{rng.randint(100000, 399999)}",
        f"Reg. Imprese di {city} n. {register}",
    ]
    if rng.random() < 0.4:
        sdi = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(7))
        parts.append(f"Codice destinatario {sdi}")
    return " - ".join(parts)


def _german(rng: random.Random) -> str:
    """Register court with HRB number, and the tax office's number."""
    parts = [
        f"Amtsgericht {rng.choice(_CITIES['DE'])} HRB {rng.randint(1000, 99999)}",
        f"St.-Nr. {rng.randint(10, 99)}/{rng.randint(100, 999)}/{rng.randint(10000, 99999)}",
    ]
    if rng.random() < 0.5:
        parts.insert(1, "Geschäftsführer: " + rng.choice(("K. Weber", "A. Schulz", "M. Krüger")))
    return " · ".join(parts)


def _irish(rng: random.Random) -> str:
    """The company's registration number."""
    return rng.choice(
        (
            f"Registered in Ireland No. {rng.randint(100000, 799999)}",
            f"Company Reg. No. {rng.randint(100000, 799999)}",
            f"CRO No. {rng.randint(100000, 799999)} · Registered office as above",
        )
    )


def legal_line(rng: random.Random, country: str, wording: str) -> str:
    """A company's legal mention for invoices of `country` worded in `wording`."""
    if country == "ES":
        return _spanish(rng, wording)
    makers = {"PT": _portuguese, "FR": _french, "IT": _italian, "DE": _german, "IE": _irish}
    return makers[country](rng) if country in makers else ""


def atcud(rng: random.Random, number: str) -> str:
    """Portugal's unique document code: a series validation code, a hyphen and the document's
    sequential number (the invoice number's last run of digits)."""
    code = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(8))
    runs = re.findall(r"\d+", number)
    digits = (runs[-1].lstrip("0") if runs else "") or "1"
    return f"{code}-{digits}"
