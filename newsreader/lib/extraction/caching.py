"""A cache for the pure functions of a short string that the extraction asks again and again."""

import functools

# Longer strings are worked out each time: the cache lives as long as the
# process, and a page can make any of its texts a "line" (a whole <body> with
# an "author" class), which the cache would then keep.
MAX_CACHED_CHARS = 300

_CACHES = []  # every cache made here, for clear_all()


def short_strings(maxsize):
    """Like ``functools.lru_cache(maxsize)``, for strings of up to ``MAX_CACHED_CHARS``."""

    def decorate(function):
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _CACHES.append(cached)

        @functools.wraps(function)
        def wrapper(text):
            return cached(text) if len(text) <= MAX_CACHED_CHARS else function(text)

        wrapper.cache_clear = cached.cache_clear
        wrapper.cache_info = cached.cache_info
        return wrapper

    return decorate


def clear_all():
    """Empty every cache made by ``short_strings``."""
    for cached in _CACHES:
        cached.cache_clear()
