"""Adding articles: extract the input, then store it with its original."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from . import extraction
from .highlighting import plan_reanchoring, save_reanchoring
from .models import Article

_validate_url = URLValidator(schemes=["http", "https"])


def clean_source_url(url):
    """`url` if it is an absolute http(s) URL; raise ExtractionError otherwise."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        _validate_url(url)
    except ValidationError:
        raise extraction.ExtractionError(f"Not an http(s) URL: {url[:200]!r}") from None
    return url


def create_article(team, data, *, user=None, content_type="", url="", filename=""):
    """Extract `data` (bytes or str) and save it as an article of `team`.

    Extraction runs before any database write, so a failure leaves nothing
    behind; it raises ExtractionError with a message for people.
    """
    url = clean_source_url(url)
    if isinstance(data, str):
        # Stored as UTF-8 bytes, and said so: a <meta charset> inside the text
        # must not make a later re-extraction decode it differently.
        original = data.encode("utf-8")
        content_type = f"{content_type.split(';')[0].strip()}; charset=utf-8"
    else:
        original = bytes(data)
    result = extraction.extract(original, content_type=content_type, url=url, filename=filename)
    article = Article(
        team=team,
        added_by=user,
        source_url=url,
        original=original,
        original_content_type=content_type[:200],
        original_filename=filename[:255],
    )
    article.apply_extraction(result)
    article.save()
    return article


def reextract_article(article):
    """Re-extract `article` from its original and re-anchor its highlights.

    Parsing and anchoring run first; the article's new text and its
    highlights' new places are then saved together, or not at all.
    Returns the ReanchorResult; raises ExtractionError like create_article.
    """
    result = article.extract_original()
    old_length = len(article.text)  # nearness is judged relative to the text's length
    article.apply_extraction(result)
    plan = plan_reanchoring(list(article.highlights.all()), article.text, old_length)
    with transaction.atomic():
        article.save(update_fields=[*article.EXTRACTED_FIELDS, "updated_at"])
        save_reanchoring(plan)
        article.touch_annotations()
    return plan
