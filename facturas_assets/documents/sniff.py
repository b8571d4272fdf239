"""The real type of a file from its first bytes, whatever its extension says."""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePath


class FileKind(StrEnum):
    """Kinds of input the reader knows how to handle (OTHER is rejected as unsupported)."""

    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"
    XML = "xml"
    EMPTY = "empty"
    OTHER = "other"


# Extensions each kind is normally saved under, to warn when the name lies.
_EXTENSIONS: dict[FileKind, tuple[str, ...]] = {
    FileKind.PDF: (".pdf",),
    FileKind.PNG: (".png",),
    FileKind.JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    FileKind.TIFF: (".tif", ".tiff"),
    FileKind.XML: (".xml",),
}

IMAGE_KINDS = frozenset({FileKind.PNG, FileKind.JPEG, FileKind.TIFF})

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniff(data: bytes) -> FileKind:
    """Detect the file's type from magic bytes (PDF, PNG, JPEG, TIFF, XML) or OTHER/EMPTY."""
    if not data:
        return FileKind.EMPTY
    head = data[:1024]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return FileKind.TIFF
    # The PDF header may be preceded by junk (readers accept it within the first KiB).
    if b"%PDF-" in head:
        return FileKind.PDF
    if _looks_like_xml(head):
        return FileKind.XML
    return FileKind.OTHER


def _looks_like_xml(head: bytes) -> bool:
    """An XML declaration or a root element, after an optional BOM and whitespace."""
    text = head
    for bom in _BOMS:
        if text.startswith(bom):
            if bom != _BOMS[0]:  # UTF-16: decode the start to look at it
                text = head.decode("utf-16", "ignore").encode("utf-8", "replace")
            else:
                text = text[len(bom) :]
            break
    text = text.lstrip()
    # A declaration, a comment / DOCTYPE, or straight into the root element.
    return text.startswith((b"<?xml", b"<!")) or (text.startswith(b"<") and text[1:2].isalpha())


def extension_mismatch(kind: FileKind, source: str | None) -> str | None:
    """A warning when the file's name claims another type than its content, else None."""
    if not source or kind not in _EXTENSIONS:
        return None
    suffix = PurePath(source).suffix.lower()
    if not suffix or suffix in _EXTENSIONS[kind]:
        return None
    return f"file named {suffix} is really {kind.value.upper()}; read as {kind.value.upper()}"


_KNOWN_OTHER = (
    (b"PK\x03\x04", "a ZIP archive (.zip / .docx / .xlsx / .odt)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 Office file (.doc / .xls / .msg)"),
    (b"GIF8", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def describe_other(data: bytes) -> str:
    """A human name for an unsupported file's content, for the rejection detail."""
    head = data[:64]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:8] == b"ftyp":
        brand = head[8:12].decode("ascii", "replace")
        return (
            "a HEIC/HEIF photo"
            if brand.startswith(("hei", "mif", "hev"))
            else f"an ISO media file ({brand})"
        )
    for magic, name in _KNOWN_OTHER:
        if head.startswith(magic):
            return name
    sample = data[:4096]
    if b"\x00" in sample:
        return "unrecognised binary data"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 3:  # not just a character cut by the sample's end
            return "unrecognised binary data"
    return "plain text"
