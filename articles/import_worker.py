"""The slow half of importing one entry — fetch, then extract — as a plain
function with plain arguments, so it can run in another process.

It touches no database; the importing module builds the article from its
result and writes it. (fetching reads one setting, FETCH_ALLOWED_TEST_HOSTS.)
"""

from . import extraction, fetching


def fetch_and_extract(url, content, content_type, filename):
    """(content bytes, content type, Extraction), or (None, None, error message)."""
    try:
        if content is None:
            fetched = fetching.fetch(url)
            content, content_type = fetched.content, fetched.content_type
        result = extraction.extract(
            bytes(content), content_type=content_type, url=url, filename=filename
        )
    except (extraction.ExtractionError, fetching.FetchError) as error:
        return None, None, str(error)
    return bytes(content), content_type, result
