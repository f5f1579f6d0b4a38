"""Turning the bytes of a saved page or text file into text.

The order follows what browsers do, simplified: a byte-order mark wins; then a
charset declared by the transport (HTTP ``Content-Type``) or, for HTML, by the
document itself in its first few kilobytes; then strict UTF-8; and finally
windows-1252, which decodes any byte sequence. The charset actually used is
returned so it can be stored with the original bytes. The rules themselves are
in newsreader/lib/decoding.py, shared with the import parsers.
"""

import re

from newsreader.lib.decoding import declared_charset, decode

_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)


def charset_from_content_type(content_type):
    match = _CONTENT_TYPE_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def decode_bytes(data, *, content_type="", is_html=False):
    """Return (text, charset) for `data`."""
    declared = [charset_from_content_type(content_type)]
    if is_html:
        declared.append(declared_charset(data))
    return decode(data, declared)
