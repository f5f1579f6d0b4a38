"""Turning the bytes of a saved page or text file into text.

The order follows what browsers do, simplified: a byte-order mark wins; then a
charset declared by the transport (HTTP ``Content-Type``) or, for HTML, by the
document itself in its first few kilobytes; then strict UTF-8; and finally
windows-1252, which decodes any byte sequence. The charset actually used is
returned so it can be stored with the original bytes.
"""

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""")
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# The WHATWG Encoding Standard treats these labels as windows-1252, and so do
# the pages that use them: "latin-1" pages are full of curly quotes in 0x80-0x9F.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii"}


def charset_from_content_type(content_type):
    match = _CONTENT_TYPE_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def declared_charset(data):
    """The charset an HTML or XML document declares in its first 4 KiB, if any."""
    head = data[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _codec_name(label):
    label = label.strip().lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _cp1252(data):
    # cp1252 leaves five bytes undefined; latin-1 maps them to C1 controls,
    # which is what browsers do too.
    return "".join(
        chunk.decode("cp1252", errors="strict") if index % 2 == 0 else chunk.decode("latin-1")
        for index, chunk in enumerate(re.split(rb"([\x81\x8d\x8f\x90\x9d]+)", data))
    )


def decode_bytes(data, *, content_type="", is_html=False):
    """Return (text, charset) for `data`."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    labels = [charset_from_content_type(content_type)]
    if is_html:
        labels.append(declared_charset(data))
    for label in filter(None, labels):
        name = _codec_name(label)
        # A declared UTF-16/32 without a BOM is nearly always a lie copied from a
        # template (the bytes are ASCII-compatible), so it is not trusted.
        if name is None or name.startswith(("utf_16", "utf_32", "utf-16", "utf-32")):
            continue
        if name == "cp1252":
            return _cp1252(data), "windows-1252"
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue  # the declaration is wrong; fall back to detection
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _cp1252(data), "windows-1252"
