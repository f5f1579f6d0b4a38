"""Articles from their originals: adding one (extract the input, then store it with
its original unchanged) and re-extracting it later, highlights re-anchored."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from articles.highlighting import plan_reanchoring, save_reanchoring
from articles.models import Article, Highlight
from newsreader.lib import extraction

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
    article = Article.from_extraction(
        result,
        team=team,
        original=original,
        content_type=content_type,
        url=url,
        filename=filename,
        added_by_id=user.pk if user else None,
    )
    article.save()
    return article


def reextract_article(article, attempts=3):
    """Re-extract `article` from its original and re-anchor its highlights.

    Parsing and anchoring run outside any transaction; the new text and the
    highlights' new places are then saved together, with the article locked,
    and only if no highlight was added, moved or deleted meanwhile (otherwise
    the anchoring is done again). Returns the ReanchorResult; raises
    ExtractionError like create_article.
    """
    result = article.extract_original()
    old_length = len(article.text)  # nearness is judged relative to the text's length
    for _ in range(attempts):
        # Those in the trash too: they must come back where their text now is.
        highlights = list(Highlight.all_objects.filter(article=article))
        seen = _placements(highlights)
        plan = plan_reanchoring(highlights, result.text, old_length)
        with transaction.atomic():
            Article.all_objects.select_for_update().only("pk").get(pk=article.pk)
            if _placements(Highlight.all_objects.filter(article=article)) != seen:
                continue  # someone highlighted meanwhile: anchor again
            article.apply_extraction(result)
            article.save(update_fields=[*article.EXTRACTED_FIELDS, "updated_at"])
            save_reanchoring(plan)
            article.touch_annotations()
            return plan
    raise extraction.ExtractionError(
        "The article's highlights kept changing during re-extraction; try again."
    )


def _placements(highlights):
    return {(h.pk, h.start, h.end, h.is_orphan, h.deleted_at) for h in highlights}
