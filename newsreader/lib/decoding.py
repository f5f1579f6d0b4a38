"""Bytes to text: the rules shared by extraction (extraction/encoding.py) and the import parsers.

A byte-order mark wins. Then come the declared charsets (HTTP Content-Type, an
HTML <meta>, an XML declaration) and strict UTF-8, in the order the caller
chooses. Last comes windows-1252, which decodes any byte sequence: its five
undefined bytes are read as the C1 controls latin-1 gives them, which is what
browsers do too. Like the WHATWG Encoding Standard, the Latin-1 and ASCII
labels are taken to mean windows-1252: "latin-1" pages are full of curly
quotes in 0x80-0x9F.
"""

import codecs
import re
from typing import NamedTuple


class Bom(NamedTuple):
    mark: bytes
    codec: str  # decodes the bytes after the mark
    stream_codec: str  # decodes the bytes from the start and drops the mark (for open())
    label: str  # for people


BOMS = (
    Bom(codecs.BOM_UTF8, "utf-8", "utf-8-sig", "UTF-8"),
    # UTF-32 LE before UTF-16 LE: it starts with the same two bytes.
    Bom(codecs.BOM_UTF32_LE, "utf-32-le", "utf-32", "UTF-32"),
    Bom(codecs.BOM_UTF32_BE, "utf-32-be", "utf-32", "UTF-32"),
    Bom(codecs.BOM_UTF16_LE, "utf-16-le", "utf-16", "UTF-16"),
    Bom(codecs.BOM_UTF16_BE, "utf-16-be", "utf-16", "UTF-16"),
)
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii"}
_UTF16_32 = ("utf_16", "utf_32", "utf-16", "utf-32")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")

# The error handler for windows-1252's undefined bytes (also for open(errors=...)).
C1_ERRORS = "newsreader-c1"


def _c1_controls(error):
    if isinstance(error, UnicodeDecodeError):
        return error.object[error.start : error.end].decode("latin-1"), error.end
    raise error


codecs.register_error(C1_ERRORS, _c1_controls)


def find_bom(data: bytes) -> Bom | None:
    """The byte-order mark `data` starts with, if any."""
    for bom in BOMS:
        if data.startswith(bom.mark):
            return bom
    return None


def decode_cp1252(data: bytes) -> str:
    return data.decode("cp1252", errors=C1_ERRORS)


def declared_charset(data: bytes, *, xml: bool = True) -> str | None:
    """The charset an HTML (or, with `xml`, XML) document declares in its first 4 KiB, if any."""
    head = data[:4096]
    match = (xml and _XML_ENCODING.search(head)) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def codec_for_label(label: str) -> str | None:
    """Python's name for a charset label ("cp1252" for the Latin-1 ones), None if unknown.

    Python's codecs that are not text encodings ("base64", "rot13", "zip")
    count as unknown: a page declaring one is not encoded that way.
    """
    label = label.strip().lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _bomless_utf16(data: bytes) -> str | None:
    """ "utf-16-le" or "-be" for UTF-16 text saved without a BOM, else None.

    Such text starting in ASCII has a NUL in every other byte, which is valid
    UTF-8 and would otherwise come out as text full of NULs.
    """
    head = data[:512]
    if len(head) < 8:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    if odd.count(0) == len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) == len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode(data: bytes, declared=(), *, strict_bom=False, utf8_first=False) -> tuple[str, str]:
    """(text, codec) for `data`, whose declared charset labels are `declared` (None skipped).

    By default a declared charset comes before UTF-8 but is kept only if the
    bytes decode in it, and a UTF-16/32 declared without a BOM is ignored (it
    is nearly always a lie copied from a template). With `utf8_first` (import
    files) valid UTF-8 wins over any declaration, and a declared charset other
    than UTF-8, windows-1252, Latin-1 or ASCII is then followed whatever the
    bytes, replacing what does not decode. Bytes after a BOM that are not
    valid in its encoding are replaced, or with `strict_bom` raise
    UnicodeDecodeError.
    """
    bom = find_bom(data)
    if bom:
        errors = "strict" if strict_bom else "replace"
        return data[len(bom.mark) :].decode(bom.codec, errors=errors), bom.codec
    if codec := _bomless_utf16(data):
        return data.decode(codec, errors="replace"), codec
    if utf8_first and (text := _utf8(data)) is not None:
        return text, "utf-8"
    for label in filter(None, declared):
        codec = codec_for_label(label)
        if utf8_first and codec in ("iso8859-1", "ascii"):
            codec = "cp1252"
        if codec is None or (utf8_first and codec == "utf-8"):
            continue
        if codec == "cp1252":
            return decode_cp1252(data), "windows-1252"
        if utf8_first:
            return data.decode(codec, errors="replace"), codec
        if codec.startswith(_UTF16_32):
            continue
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue  # the declaration is wrong; fall back to detection
    if not utf8_first and (text := _utf8(data)) is not None:
        return text, "utf-8"
    return decode_cp1252(data), "windows-1252"
