"""What makes two articles of a team the same: their URL, or their content."""

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only say where a click came from.
TRACKING_PARAMETERS = frozenset(
    [
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "s_cid",
        "spm",
        "ref_src",
        "ref_url",
        "cmpid",
    ]
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "__twitter", "itm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url):
    """The form of `url` used to spot duplicates ("" for no URL).

    Scheme and host lower-cased, default port and fragment dropped, tracking
    parameters removed; the path and the other parameters are kept as they
    are, since servers may treat their case and order as meaningful.
    """
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if port and port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    query = urlencode(
        [
            (name, value)
            for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if name.lower() not in TRACKING_PARAMETERS
            and not name.lower().startswith(TRACKING_PREFIXES)
        ]
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def content_hash(title, text):
    """A fingerprint of an article's readable content (title and canonical text)."""
    return hashlib.sha256(f"{title.strip()}\n{text}".encode()).hexdigest()
