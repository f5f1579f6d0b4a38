"""The extraction's cache of pure functions of short strings."""

from newsreader.lib.extraction import clear_caches
from newsreader.lib.extraction.caching import MAX_CACHED_CHARS, short_strings


def test_short_strings_are_cached_and_long_ones_worked_out_each_time():
    calls = []

    @short_strings(maxsize=8)
    def shout(text):
        calls.append(text)
        return text.upper()

    short, long = "by jane doe", "x" * (MAX_CACHED_CHARS + 1)
    assert [shout(short), shout(short)] == ["BY JANE DOE"] * 2
    assert [shout(long), shout(long)] == [long.upper()] * 2
    assert calls == [short, long, long]
    assert shout.cache_info().currsize == 1
    shout.cache_clear()
    shout(short)
    assert calls[-1] == short


def test_clear_caches_empties_every_such_cache():
    @short_strings(maxsize=8)
    def echo(text):
        return text

    echo("a line")
    assert echo.cache_info().currsize == 1
    clear_caches()
    assert echo.cache_info().currsize == 0
