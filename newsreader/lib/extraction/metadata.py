"""A web page's metadata — title, byline, site name, date, language, image, description.

Read from the parsed page: its ``<meta>`` elements and JSON-LD scripts, plus a
few visible elements (the ``<h1>``, ``<time>``, author links). Cheaper than a
general-purpose metadata extractor, and the title rule is ours:

- **Title**: the page's *visible headline* when the page confirms it — the text
  of an ``<h1>`` whose words equal a metadata title (JSON-LD ``headline``,
  ``og:title``, ``twitter:title``, ``<title>``), with or without the site's
  name around it; an ``<h1>`` that is only the site's name (a logo) confirms
  nothing. Without one, the first metadata title with the site's name cut off
  (see ``strip_site_name``), then the first ``<h1>``; a title that is only the
  site's name comes last.
- **Byline**: JSON-LD authors that are people (not the publisher), then
  ``<meta name="author">`` and the like, then a byline element on the page,
  each without "By" and without a date or role after the name.
- **Published**: JSON-LD ``datePublished``, ``<meta>`` dates, ``itemprop``
  and ``<time pubdate>``, a date in the URL, ``<time datetime>``, then
  htmldate's quick search of the markup.
- **Site name** (``og:site_name``, the JSON-LD publisher, else the part of a
  title naming the ``application-name`` or the host, else those),
  **language** (``<html lang>``, then ``<meta>``), **lead image** (``og:image``,
  ``twitter:image``, JSON-LD) and **description** (``og:description``, then
  ``<meta name="description">``).
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from lxml import etree

try:
    from htmldate import find_date
except ImportError:  # pragma: no cover - trafilatura depends on htmldate
    find_date = None

from newsreader.lib.extraction.caching import short_strings
from newsreader.lib.extraction.plaintext import header_fields

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
# Separators between a headline and the site's name in <title> and og:title; a colon
# separates a known site's name ("The Courier: Ferry news"), never a guessed one.
_GUESS_SEPARATOR = re.compile(r"\s+[|\-–—·•»/]+\s+|\s*[|·•»]\s*|\s+::\s+")
_SITE_SEPARATOR = re.compile(r"\s+[|\-–—·•»:/]+\s+|\s*[|·•»]\s*|:\s+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|\b)")
_LANG = re.compile(r"^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})*$")
_BY_PREFIX = re.compile(r"^\s*(?:by|von|par|por|di|door|av|af|przez|от)\s*:?\s+", re.I)

_ARTICLE_TYPES = ("Article", "BlogPosting", "Posting", "Report", "Review")
# (attribute, value) pairs of <meta> elements, in order of preference per field.
_META_FIELDS = {
    "title": ("og:title", "twitter:title", "dc.title", "sailthru.title", "parsely-title"),
    "site_name": ("og:site_name",),
    "application_name": ("application-name",),
    "author": (
        "author",
        "article:author",
        "dc.creator",
        "parsely-author",
        "sailthru.author",
        "byl",
        "citation_author",
    ),
    "date": (
        "article:published_time",
        "og:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publication_date",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "sailthru.date",
        "parsely-pub-date",
        "article.published",
        "citation_publication_date",
        "article:modified_time",
    ),
    "image": ("og:image", "og:image:url", "og:image:secure_url", "twitter:image"),
    "description": ("og:description", "description", "twitter:description", "dc.description"),
    "language": ("content-language", "dc.language", "og:locale", "language"),
}
_META_KEYS = {key: field for field, keys in _META_FIELDS.items() for key in keys}


@dataclass
class Metadata:
    title: str = ""
    byline: str = ""
    site_name: str = ""
    published: date | None = None
    language: str = ""
    lead_image: str = ""
    description: str = ""


def one_line(value):
    return _SPACES.sub(" ", value or "").strip()


def words(value):
    return [word.casefold() for word in _WORD.findall(value or "")]


def read_metadata(tree, url=""):
    """Metadata of a parsed page (an lxml HTML document)."""
    meta = _meta_values(tree)
    articles = _json_ld_articles(tree)
    titles = _title_candidates(tree, meta, articles)
    site_names = _site_names(meta, articles)
    guess = not site_names  # a site without a name of its own may end its titles with one
    site_name = _first(site_names)
    if not site_names:
        site_names = [*meta["application_name"], _host(url)]
        site_name = _site_in_titles(titles, site_names) or _first(site_names)
    return Metadata(
        title=_title(tree, titles, site_names, guess),
        byline=_byline(tree, meta, articles, site_name),
        site_name=one_line(site_name),
        published=_published(tree, meta, articles, url),
        language=_language(tree, meta),
        lead_image=_lead_image(meta, articles),
        description=one_line(_first(meta["description"])),
    )


def _site_names(meta, articles):
    """The names the site gives itself: og:site_name, then the JSON-LD publisher."""
    names = [*meta["site_name"], *(_name(article.get("publisher")) for article in articles)]
    return list(dict.fromkeys(one_line(name) for name in names if one_line(name)))


def _site_in_titles(titles, site_names):
    """The part of a metadata title that names the site ("Courier" for courier.example).

    Not a host name ("www.courier.example"): the page's own host reads better.
    """
    for title in titles:
        headline, site = _split_site(title, site_names)
        if site and not _is_site(headline, site_names) and not _HOST.match(site.casefold()):
            return site
    return ""


def _first(values):
    for value in values:
        value = one_line(value) if isinstance(value, str) else ""
        if value:
            return value
    return ""


def _meta_values(tree):
    """The contents of the page's <meta> elements per field, the preferred names first."""
    found = {field: [] for field in _META_FIELDS}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        key = key or element.get("http-equiv")
        content = element.get("content")
        if not key or not content:
            continue
        field = _META_KEYS.get(key.strip().lower())
        if field:
            found[field].append((_META_FIELDS[field].index(key.strip().lower()), content))
    return {field: [value for _, value in sorted(values)] for field, values in found.items()}


def _host(url):
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


# --- JSON-LD --------------------------------------------------------------------


def _json_ld_articles(tree):
    """Article-like objects (NewsArticle, BlogPosting, ...) of the page's JSON-LD."""
    articles = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "null", strict=False)
        except (ValueError, RecursionError):
            continue
        _collect_articles(data, articles, depth=0)
    return articles


def _collect_articles(node, found, depth):
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _collect_articles(item, found, depth + 1)
    elif isinstance(node, dict):
        kinds = node.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(kind, str) and kind.endswith(_ARTICLE_TYPES) for kind in kinds):
            found.append(node)
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(node.get(key), dict | list):
                _collect_articles(node[key], found, depth + 1)


def _name(value):
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else ""
    return ""


# --- Title ------------------------------------------------------------------------


def _title_candidates(tree, meta, articles):
    """Metadata titles, the most specific first: JSON-LD, <meta>, then <title>."""
    candidates = [article.get("headline") for article in articles]
    candidates += meta["title"]
    head_title = tree.find(".//head/title")
    if head_title is None:
        head_title = tree.find(".//title")
    if head_title is not None:
        candidates.append(head_title.text_content())
    candidates = [one_line(value) for value in candidates if isinstance(value, str)]
    return [value for value in candidates if value]


def _title(tree, candidates, site_names, guess):
    headings = [one_line(h1.text_content()) for h1 in _first_headings(tree)]
    headings = [heading for heading in headings if heading and len(heading) <= 300]
    for heading in headings:
        if any(_confirms(heading, candidate, site_names, guess) for candidate in candidates):
            return heading
    # A title that is only the site's name is the last resort: an <h1> says more.
    titles = [strip_site_name(candidate, *site_names, guess=guess) for candidate in candidates]
    for title in titles:
        if not _only_site(title, site_names):
            return title
    named = [heading for heading in headings if not _only_site(heading, site_names)]
    return (named or titles or headings or [""])[0]


def _first_headings(tree, limit=8):
    body = tree.find(".//body")
    found = []
    for h1 in (body if body is not None else tree).iter("h1"):
        found.append(h1)
        if len(found) >= limit:
            break
    return found


def _confirms(heading, candidate, site_names=(), guess=True):
    """True if a metadata title is the heading, possibly with the site's name around it.

    A heading that is only the site's name (a logo in an <h1>) confirms nothing.
    """
    a, b = words(heading), words(candidate)
    if not a:
        return False
    if a == b or a == words(strip_site_name(candidate, *site_names, guess=guess)):
        return True
    if _is_site(heading, site_names) or len(a) < 3 or 2 * len(a) <= len(b):
        return False
    return b[: len(a)] == a or b[-len(a) :] == a


def strip_site_name(title, *site_names, guess=None):
    """`title` without the site's name before or after it ("Ferry news | The Courier").

    A part of the title between separators (``|``, `` - ``, ``: `` ...) at
    either end is the site's name when it spells one of `site_names` (see
    ``site_forms``). A title that is only the site's name is kept whole, and so
    is one where no part is: "Apple - the company that changed phones" on The
    Verge. With `guess` (by default: when no name is given), a title no name
    matches loses a short part at its end (up to four words) or its start (up
    to three) if three words or more remain; a colon never separates a guess.
    """
    title = one_line(title)
    names = [name for name in site_names if one_line(name)]
    headline, site = _split_site(title, names)
    if site:
        return title if _is_site(headline, names) else headline
    if guess is None:
        guess = not names
    return _guess_site(title)[0] if guess else title


def _split_site(title, site_names):
    """(`title` without its site part, the site part), or (`title`, "") without one.

    The site part is the longest run of parts at the end, then at the start,
    that spells a site name; what is left may be a site's name too.
    """
    if not site_names:
        return title, ""
    forms = set().union(*(site_forms(name) for name in site_names))
    spans = _parts(title, _SITE_SEPARATOR)
    texts = [title[start:end] for start, end in spans]
    first, last = 0, len(spans)
    trimmed = True
    while trimmed:
        trimmed = False
        for size in range(last - first - 1, 0, -1):
            if site_forms(" ".join(texts[last - size : last])) & forms:
                last, trimmed = last - size, True
                break
        for size in range(last - first - 1, 0, -1):
            if site_forms(" ".join(texts[first : first + size])) & forms:
                first, trimmed = first + size, True
                break
    if first == 0 and last == len(spans):
        return title, ""
    site = title[: spans[first - 1][1]] if first else title[spans[last][0] :]
    return one_line(title[spans[first][0] : spans[last - 1][1]]), one_line(site)


def _guess_site(title):
    """(`title` without a short part at an end, that part), without knowing the site's name."""
    spans = _parts(title, _GUESS_SEPARATOR)
    if len(spans) < 2:
        return title, ""
    total = len(words(title))
    first, last = words(title[slice(*spans[0])]), words(title[slice(*spans[-1])])
    if len(last) <= 4 and total - len(last) >= MIN_TITLE_WORDS:
        return one_line(title[: spans[-2][1]]), one_line(title[spans[-1][0] :])
    if len(first) <= 3 and total - len(first) >= MIN_TITLE_WORDS:
        return one_line(title[spans[1][0] :]), one_line(title[: spans[0][1]])
    return title, ""


MIN_TITLE_WORDS = 3


def _parts(title, separator):
    """The (start, end) spans of the non-empty parts of `title` between separators."""
    spans, start = [], 0
    for match in separator.finditer(title):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(title)))
    return [(start, end) for start, end in spans if title[start:end].strip()]


def _only_site(title, site_names):
    """True if `title` is only the site's name, once or more ("Courier | The Courier")."""
    return _is_site(_split_site(title, site_names)[0], site_names)


def _is_site(value, site_names):
    """True if `value` spells one of `site_names` (see ``site_forms``)."""
    forms = site_forms(value)
    return bool(forms) and any(forms & site_forms(name) for name in site_names if name)


# Cached: a title's parts and the site's names are spelt out again and again.
@short_strings(maxsize=1024)
def site_forms(name):
    """The ways a site's name is spelt, as words run together, for comparing two names.

    "The Courier" gives "thecourier" and "courier": a leading article and
    trailing decorations ("Online", "News", ".com") do not matter as long as a
    name remains. A host name gives its labels without the top-level domain
    and generic ones ("www.courier.example.com" → "courier", "example").
    """
    name = one_line(name).casefold()
    host = _HOST.match(name)
    if host:
        labels = [label for label in host.group(1).split(".")[:-1] if label not in _HOST_LABELS]
        return frozenset(
            {label.replace("-", "") for label in labels} | {"".join(labels).replace("-", "")}
        )
    tokens = words(name)
    forms = {"".join(tokens)}
    if len(tokens) > 1 and tokens[0] in _SITE_ARTICLES:
        tokens = tokens[1:]
        forms.add("".join(tokens))
    while len(tokens) > 1 and tokens[-1] in _SITE_DECORATIONS:
        tokens = tokens[:-1]
        forms.add("".join(tokens))
    forms.discard("")
    return frozenset(forms)


# Leading articles of site names: The Courier, De Standaard, Le Monde, Die Zeit, El País.
_SITE_ARTICLES = frozenset(
    [
        "the",
        "de",
        "het",
        "le",
        "la",
        "les",
        "l",
        "die",
        "der",
        "das",
        "el",
        "los",
        "las",
        "il",
        "lo",
    ]
)
# Words after a site's name that are not part of it: Courier Online, Courier.com.
_SITE_DECORATIONS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "io",
        "co",
        "uk",
        "de",
        "fr",
        "nl",
        "online",
        "news",
        "blog",
        "magazine",
        "website",
        "site",
    ]
)
_HOST = re.compile(r"^(?:https?://)?((?:[a-z0-9-]+\.)+[a-z0-9-]{2,})/?$")
# Labels of a host name that do not name the site.
_HOST_LABELS = frozenset(
    ["www", "www2", "m", "amp", "mobile", "com", "co", "org", "net", "ac", "gov", "edu"]
)


# --- Byline ------------------------------------------------------------------------


def _byline(tree, meta, articles, site_name=""):
    """The authors' names: JSON-LD people, then <meta> authors, then a byline on the page.

    Organisations (the publisher named as the author) are not bylines.
    """
    site = words(site_name)
    names = []
    for article in articles:
        author = article.get("author")
        for item in author if isinstance(author, list) else [author]:
            if isinstance(item, dict) and item.get("@type") == "Organization":
                continue
            names.append(_clean_name(_name(item)))
    names = [name for name in names if _plausible_name(name) and words(name) != site]
    if names:
        return ", ".join(dict.fromkeys(names))
    for value in meta["author"]:
        value = _clean_name(value)
        if _plausible_name(value) and words(value) != site:
            return value
    body = tree.find(".//body")
    found = _byline_candidates(body if body is not None else tree)
    for kind in _BYLINE_KINDS:
        element = next((element for element in found if kind(element)), None)
        if element is not None:
            value = _clean_name(element.text_content())
            if _plausible_name(value) and words(value) != site:
                return value
    return ""


# Elements holding the author's name on the page; the most explicit kind first.
_AUTHOR_CLASSES = ("author-name", "author__name", "authorName", "byline__name")


def _byline_candidates(body):
    """The elements that may hold a byline, in one walk.

    (A loop beats XPath's string tests here, and ``in`` a regular expression.)
    """
    found = []
    for element in body.iter(etree.Element):
        names = element.get("class")
        if (
            (names and ("author" in names or "byline" in names))
            or element.get("rel") == "author"
            or element.get("itemprop") == "author"
            or (element.tag == "a" and "/author" in (element.get("href") or ""))
        ):
            found.append(element)
    return found


_BYLINE_KINDS = (
    lambda element: element.get("rel") == "author" or element.get("itemprop") == "author",
    lambda element: "byline" in (element.get("class") or "").split(),
    lambda element: any(name in (element.get("class") or "") for name in _AUTHOR_CLASSES),
    lambda element: (
        element.tag == "a"
        and any(part in (element.get("href") or "") for part in ("/author/", "/authors/"))
    ),
)
_NAME_END = re.compile(r"\s*[|·•]\s*|\s+[-–—]\s+|\s*\d")


def _clean_name(value):
    """A name without "By" in front or a date or role after it ("By Jane Doe | May 3")."""
    value = one_line(value)
    fields = header_fields(value) if value else None
    if fields and fields[0]:
        return fields[0]
    value = _NAME_END.split(one_line(_BY_PREFIX.sub("", value)), maxsplit=1)[0].strip(" ,;:")
    return value if len(value.split()) <= MAX_NAME_WORDS else ""


MAX_NAME_WORDS = 12


def _plausible_name(value):
    return (
        bool(value)
        and len(value) <= 100
        and "://" not in value
        and "@" not in value
        and not value.startswith(("www.", "/"))
        and any(char.isalpha() for char in value)
    )


# --- Date, language, image ----------------------------------------------------------------


# The page's marked publication dates, in document order (a union of two tests
# is faster than one test of both).
_MARKED_DATES = etree.XPath("//*[@itemprop='datePublished'] | //time[@pubdate]")


def _published(tree, meta, articles, url):
    values = [article.get("datePublished") for article in articles]
    values += [article.get("dateCreated") for article in articles]
    values += meta["date"]
    for value in values:
        day = parse_iso_date(value) if isinstance(value, str) else None
        if day:
            return day
    for element in _MARKED_DATES(tree):
        day = parse_iso_date(element.get("content") or element.get("datetime") or "")
        if day:
            return day
    match = _URL_DATE.search(url or "")
    if match:
        day = _make_date(*match.groups())
        if day:
            return day
    body = tree.find(".//body")
    for element in body.iter("time") if body is not None else ():
        day = parse_iso_date(element.get("datetime") or "")
        if day:
            return day
    # Last, the page's markup at large: htmldate (trafilatura's own date finder),
    # without its slow search through the text.
    if find_date is None:  # pragma: no cover - trafilatura depends on htmldate
        return None
    try:
        found = find_date(tree, extensive_search=False, original_date=True, url=url or None)
    except (ValueError, TypeError):  # pragma: no cover - htmldate guards its own parsing
        return None
    return parse_iso_date(found or "")


def parse_iso_date(value):
    match = _ISO_DATE.search(value or "")
    return _make_date(*match.groups()) if match else None


def _make_date(year, month, day):
    try:
        value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if 1990 <= value.year <= 2100 else None


def _language(tree, meta):
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    for value in [root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]:
        if value and _LANG.match(value.strip()):
            return value.strip().replace("_", "-")
    for value in meta["language"]:
        value = value.split(",")[0].strip()
        if _LANG.match(value):
            return value.replace("_", "-")
    return ""


def _lead_image(meta, articles):
    for value in meta["image"]:
        value = value.strip()
        if value.startswith(("http://", "https://")):
            return value
    for article in articles:
        image = article.get("image")
        for item in image if isinstance(image, list) else [image]:
            value = item.get("url", "") if isinstance(item, dict) else item
            if isinstance(value, str) and value.startswith(("http://", "https://")):
                return value.strip()
    return ""
