"""Hypothesis strategies of hostile invoice files: real PDFs with flipped bits or cut short, text
layers and e-invoice XML fields full of odd Unicode, huge tokens, random XML."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from facturas_assets_tests.documents.odd_pdfs import text_pdf
from facturas_dev.synth import GeneratedInvoice, generate
from facturas_dev.synth.einvoices import embed_facturx, to_cii, to_ubl

REPO = Path(__file__).resolve().parents[1]
DEV_CORPUS_PDF = REPO.parent / "shared" / "dev-corpus" / "pdf"  # present in CI beside the repo

# Code points that broke or could break readers: lone surrogate halves, controls, bidi marks,
# combining marks, the BOM, non-characters, private use.
ODD_CODE_POINTS = [
    0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x0000, 0x0007, 0x001B, 0x007F, 0x0085, 0x200E, 0x200F,
    0x202E, 0x2066, 0x0301, 0x0338, 0x20DD, 0xFEFF, 0xFFFE, 0xFFFF, 0xE000, 0xFFFD, 0x2028,
]  # fmt: skip
# Characters of the text layer whose ToUnicode entries the strategy chooses.
MAPPED = "XYZQ"
MARKER = "ZZFUZZZZ"


@functools.cache
def _generated() -> tuple[GeneratedInvoice, ...]:
    """Text PDFs from the project's generator (a few layouts), made once per session."""
    out = Path(tempfile.mkdtemp(prefix="fuzz-gen-"))
    return tuple(generate(3, out, seed=404, renderings=["text-pdf"]))


def generated_pdfs() -> tuple[bytes, ...]:
    """The generated text PDFs' bytes."""
    return tuple(inv.path.read_bytes() for inv in _generated())


@functools.cache
def corpus_pdfs() -> tuple[bytes, ...]:
    """The real published Factur-X / ZUGFeRD PDFs of the development corpus (none if absent)."""
    if not DEV_CORPUS_PDF.is_dir():
        return ()
    return tuple(p.read_bytes() for p in sorted(DEV_CORPUS_PDF.glob("*.pdf")))


def real_pdfs() -> tuple[bytes, ...]:
    """Every real PDF the fuzzers start from."""
    return generated_pdfs() + corpus_pdfs()


@functools.cache
def marked_einvoices() -> tuple[bytes, bytes]:
    """UBL and CII of a generated invoice whose seller name is MARKER (to replace)."""
    truth = dict(_generated()[0].truth)
    truth["seller"] = {**truth["seller"], "name": MARKER}
    return to_ubl(truth), to_cii(truth)


def _flip(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, bit in flips:
        out[position % len(out)] ^= 1 << bit
    return bytes(out)


@st.composite
def flipped_pdfs(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real PDF with a few bits flipped anywhere."""
    data = draw(st.sampled_from(real_pdfs()))
    flips = draw(
        st.lists(
            st.tuples(st.integers(0, len(data) - 1), st.integers(0, 7)), min_size=1, max_size=8
        )
    )
    return "flipped.pdf", _flip(data, flips)


@st.composite
def truncated_pdfs(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real PDF cut short (a download that stopped)."""
    data = draw(st.sampled_from(real_pdfs()))
    return "cut.pdf", data[: draw(st.integers(0, len(data) - 1))]


def _utf16_hex(code: int) -> str:
    if code < 0x10000:
        return f"{code:04X}"
    code -= 0x10000
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


_odd_code = st.sampled_from(ODD_CODE_POINTS) | st.integers(0, 0x10FFFF)
_layer_text = st.text(
    alphabet=st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=40
)


@st.composite
def odd_text_layer_pdfs(draw: st.DrawFn) -> tuple[str, bytes]:
    """An invoice-like page whose text layer maps some glyphs to odd code units (half surrogate
    pairs, controls, bidi and combining marks) and may hold a huge token."""
    to_unicode = {
        ch: "".join(_utf16_hex(c) for c in draw(st.lists(_odd_code, min_size=1, max_size=3)))
        for ch in MAPPED
    }
    # Lone halves are written as one code unit each, which pdfium then hands back unpaired.
    to_unicode[MAPPED[0]] = draw(st.sampled_from(["D800", "DFFF", "DC00D800", "D835"]))
    seller = "Talleres X del Norte S.L.  CIF B12345674"  # first: read as the seller's name
    lines = [
        "Factura rectificativa R-2024/Y7 Q",
        "Descripción  Cantidad  Precio  Importe",
        f"Revisión Z del telar X  1  {draw(st.integers(1, 9999))},00  100,00",
        "Base imponible 100,00  IVA 21 % 21,00  Total 121,00 EUR",
    ]
    lines += draw(st.lists(_layer_text, max_size=4))
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(MAPPED + "A9")) * draw(st.integers(500, 20_000)))
    return "odd-text.pdf", text_pdf([seller, *draw(st.permutations(lines))], to_unicode)


# What goes in an e-invoice text field, as bytes: odd but valid UTF-8, invalid UTF-8 (a lone
# surrogate encoded anyway), character references XML forbids, markup, a huge token.
_field_bytes = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30).map(
        lambda t: t.replace("<", "").replace("&", "").encode()
    ),
    st.lists(st.sampled_from(ODD_CODE_POINTS), min_size=1, max_size=5).map(
        lambda cs: "".join(map(chr, cs)).encode("utf-8", "surrogatepass")
    ),
    st.sampled_from(ODD_CODE_POINTS).map(lambda c: f"&#x{c:X};".encode()),
    st.sampled_from([b"<b>negrita</b>", b"]]>", b"&amp;&lt;", b"&nbsp;", b"\xc3", b"\xff\xfe"]),
    st.integers(1_000, 200_000).map(lambda n: b"W" * n),
)


@st.composite
def odd_einvoices(draw: st.DrawFn) -> tuple[str, bytes]:
    """A UBL, CII or Factur-X invoice whose seller name holds odd bytes."""
    index = draw(st.integers(0, 2))
    xml = marked_einvoices()[min(index, 1)].replace(MARKER.encode(), draw(_field_bytes))
    if index < 2:
        return "odd.xml", xml
    return "odd-facturx.pdf", embed_facturx(generated_pdfs()[0], xml)


_tag = st.sampled_from(
    ["Invoice", "CreditNote", "cbc:ID", "ram:Name", "rsm:CrossIndustryInvoice", "Facturae", "x"]
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    text = st.text(st.characters(codec="utf-8", exclude_characters="<&"), max_size=20)
    return st.tuples(_tag, st.lists(children, max_size=4), text).map(
        lambda t: f"<{t[0]}>{t[2]}{''.join(t[1])}</{t[0]}>"
    )


@st.composite
def random_xml(draw: st.DrawFn) -> tuple[str, bytes]:
    """Random, mostly well-formed XML with invoice-like element names and namespaces."""
    body = draw(st.recursive(st.just(""), _element, max_leaves=12))
    namespace = draw(
        st.sampled_from(
            [
                "",
                ' xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"',
                ' xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"',
            ]
        )
    )
    root = draw(_tag)
    text = f'<?xml version="1.0" encoding="UTF-8"?><{root}{namespace}>{body}</{root}>'
    return "random.xml", text.encode("utf-8", "surrogatepass")


def hostile_files() -> st.SearchStrategy[tuple[str, bytes]]:
    """Any of the hostile files above, as (landing name, bytes)."""
    return st.one_of(
        flipped_pdfs(), truncated_pdfs(), odd_text_layer_pdfs(), odd_einvoices(), random_xml()
    )
