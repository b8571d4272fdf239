"""Valid Spanish NIF/CIF/NIE, EU VAT ids and IBANs with correct check digits."""

from __future__ import annotations

import hashlib
import random

from stdnum import iban, luhn
from stdnum.es import ccc as es_ccc
from stdnum.es import cif, dni, nie
from stdnum.eu import vat as eu_vat
from stdnum.ie import vat as ie_vat

# CIF organisation letters whose control character is a digit (S.L., S.A., cooperatives...).
_CIF_DIGIT_LETTERS = "ABCDEFGHJUV"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(n))


def spanish_cif(rng: random.Random, letter: str = "B") -> str:
    """A company CIF such as B12345674 (letter, 7 digits, control)."""
    if letter not in _CIF_DIGIT_LETTERS:
        raise ValueError(
            f"CIF letter {letter!r} would need a letter control; use one of {_CIF_DIGIT_LETTERS}"
        )
    province = rng.choice(["08", "17", "25", "43", "03", "46", "12", "37", "48", "20", "28", "41"])
    body = letter + province + _digits(rng, 5)
    return body + cif.calc_check_digits(body)[0]


def spanish_dni(rng: random.Random) -> str:
    """A citizen's NIF (DNI): 8 digits and the control letter."""
    number = str(rng.randrange(10_000_000, 99_999_999))
    return number + dni.calc_check_digit(number)


def spanish_nie(rng: random.Random) -> str:
    """A foreign resident's NIE: X/Y/Z, 7 digits and the control letter."""
    body = rng.choice("XYZ") + _digits(rng, 7)
    return body + nie.calc_check_digit(body)


def portuguese_vat(rng: random.Random) -> str:
    """A Portuguese company VAT id: PT + 9 digits (NIPC starting with 5)."""
    from stdnum.pt import nif

    body = "5" + _digits(rng, 7)
    return "PT" + body + nif.calc_check_digit(body)


def french_vat(rng: random.Random) -> str:
    """A French VAT id: FR + 2 check digits + a Luhn-valid SIREN."""
    base = str(rng.randrange(10_000_000, 99_999_999))
    siren = base + luhn.calc_check_digit(base)
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def italian_vat(rng: random.Random) -> str:
    """An Italian partita IVA: IT + 7-digit number, 3-digit office code, Luhn check."""
    body = _digits(rng, 7) + rng.choice(["001", "012", "021", "058", "096", "098"])
    return "IT" + body + luhn.calc_check_digit(body)


def irish_vat(rng: random.Random) -> str:
    """An Irish VAT id: IE + 7 digits + check letter."""
    body = _digits(rng, 7)
    return "IE" + body + ie_vat.calc_check_digit(body)


def german_vat(rng: random.Random) -> str:
    """A German USt-IdNr.: DE + 8 digits (the first not 0) + ISO 7064 mod 11,10 check digit."""
    from stdnum.iso7064 import mod_11_10

    body = str(rng.randint(1, 9)) + _digits(rng, 7)
    return "DE" + body + mod_11_10.calc_check_digit(body)


def spanish_iban(rng: random.Random) -> str:
    """A Spanish IBAN in print groups, e.g. ES91 2100 0418 4502 0005 1332."""
    bank = rng.choice(["2100", "0049", "0182", "0081", "2080", "0128", "3058"])
    branch = _digits(rng, 4)
    account = _digits(rng, 10)
    control = es_ccc.calc_check_digits(bank + branch + "00" + account)
    bban = bank + branch + control + account
    number = "ES" + iban.calc_check_digits("ES00" + bban) + bban
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


# Country -> (BBAN length, pattern chars: 9 digit, A letter, X digit-or-letter).
_IBAN_BBAN = {
    "PT": "9" * 21,
    "FR": "9" * 23,
    "IT": "A" + "9" * 22,
    "IE": "AAAA" + "9" * 14,
    "DE": "9" * 18,
}


def iban_for(rng: random.Random, country: str) -> str:
    """A valid IBAN of the issuer's country, in print groups of four."""
    if country == "ES":
        return spanish_iban(rng)
    pattern = _IBAN_BBAN.get(country)
    if pattern is None:
        raise ValueError(f"no IBAN format for country {country!r}")
    for _ in range(1000):
        bban = "".join(
            rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") if c == "A" else str(rng.randrange(10))
            for c in pattern
        )
        number = country + iban.calc_check_digits(country + "00" + bban) + bban
        if iban.is_valid(number):
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    raise RuntimeError(f"could not draw a valid {country} IBAN")


def seeded(name: str) -> random.Random:
    """A generator seeded by a fixed name, so a company keeps the same ids in every run."""
    return random.Random(int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big"))


def is_valid_tax_id(value: str) -> bool:
    """True for a valid Spanish NIF/CIF/NIE (bare) or EU VAT id (country-prefixed)."""
    from stdnum.es import nif

    if value[:2].isalpha() and value[:2].lower() in eu_vat.MEMBER_STATES | {"el"}:
        return bool(eu_vat.is_valid(value))
    return bool(nif.is_valid(value))
