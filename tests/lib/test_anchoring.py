"""Highlight selectors and re-anchoring (newsreader/lib/anchoring.py): pure Python, no database."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from newsreader.lib.anchoring import (
    CONTEXT_CHARS,
    MAX_HIGHLIGHT_CHARS,
    THRESHOLD,
    Anchor,
    AnchoringError,
    Selector,
    _myers,
    _pattern_masks,
    anchor,
    anchor_many,
    describe,
)

PARAGRAPHS = [
    "City council approves new budget",
    "The city council approved the new budget on Monday after a debate that lasted "
    "well into the night. Councillors voted eleven to four in favour.",
    "Under the plan, spending on road repairs will rise by twelve percent, while the "
    "library service faces a modest cut. The mayor called it a fair compromise.",
    "Critics argue that the cuts fall hardest on the northern districts, where two "
    "branch libraries have already closed since 2019.",
    "The budget takes effect in April. A public meeting on the library changes is "
    "planned for next month at the town hall.",
]
TEXT = "\n".join(PARAGRAPHS)


def select(text, quote, occurrence=0):
    """The selector of the `occurrence`-th appearance of `quote` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return describe(text, start, start + len(quote))


def span(text, quote, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


def placed(result, text):
    assert result is not None, "expected a placement, got an orphan"
    return text[result.start : result.end]


# --------------------------------------------------------------------------- describe


def test_describe_builds_exact_prefix_and_suffix():
    start, end = span(TEXT, "road repairs will rise")
    selector = describe(TEXT, start, end)
    assert selector == Selector(
        exact="road repairs will rise",
        prefix=TEXT[start - CONTEXT_CHARS : start],
        suffix=TEXT[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )
    assert len(selector.prefix) == len(selector.suffix) == CONTEXT_CHARS == 32


def test_context_is_shorter_at_the_edges_of_the_text():
    at_start = describe(TEXT, 0, 4)
    assert (at_start.exact, at_start.prefix) == ("City", "")
    assert len(at_start.suffix) == CONTEXT_CHARS

    near_start = describe(TEXT, 5, 12)
    assert near_start.prefix == "City "

    end = len(TEXT)
    at_end = describe(TEXT, end - 10, end)
    assert at_end.exact == "town hall."
    assert at_end.suffix == ""
    assert len(at_end.prefix) == CONTEXT_CHARS

    near_end = describe(TEXT, end - 15, end - 6)
    assert near_end.suffix == " hall."

    whole = describe("short", 0, 5)
    assert (whole.prefix, whole.exact, whole.suffix) == ("", "short", "")


@pytest.mark.parametrize(
    ("raw", "trimmed"),
    [
        (" word ", "word"),
        ("word\n", "word"),
        ("\n\tword", "word"),
        ("two words ", "two words"),
    ],
)
def test_describe_trims_whitespace_and_returns_the_trimmed_offsets(raw, trimmed):
    text = "before " + raw + " after"
    start = text.index(raw)
    selector = describe(text, start, start + len(raw))
    assert selector.exact == trimmed
    assert text[selector.start : selector.end] == trimmed
    assert selector.start == text.index(trimmed)


def test_describe_trims_a_selection_that_grabbed_the_paragraph_break():
    start, end = span(TEXT, "in favour.\n")
    selector = describe(TEXT, start, end)
    assert selector.exact == "in favour."
    assert selector.end == end - 1
    assert selector.suffix.startswith("\nUnder the plan")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (1.0, 5, "whole numbers"),
        ("1", 5, "whole numbers"),
        (1, None, "whole numbers"),
        (True, 5, "whole numbers"),
        (-1, 5, "negative"),
        (3, -2, "negative"),
        (5, 5, "empty"),
        (6, 5, "empty"),
        (0, len(TEXT) + 1, "past the end"),
    ],
)
def test_describe_rejects_bad_offsets_with_a_message(start, end, message):
    with pytest.raises(AnchoringError, match=message):
        describe(TEXT, start, end)


def test_describe_rejects_a_whitespace_only_selection():
    text = "one\n \ntwo"
    with pytest.raises(AnchoringError, match="only whitespace"):
        describe(text, 3, 6)


def test_describe_enforces_the_length_limit_after_trimming():
    text = "x" * (MAX_HIGHLIGHT_CHARS + 10)
    assert describe(text, 0, MAX_HIGHLIGHT_CHARS).end == MAX_HIGHLIGHT_CHARS
    with pytest.raises(AnchoringError, match="limit is 10,000"):
        describe(text, 0, MAX_HIGHLIGHT_CHARS + 1)
    padded = " " + "y" * MAX_HIGHLIGHT_CHARS + " "
    assert describe(padded, 0, len(padded)).exact == "y" * MAX_HIGHLIGHT_CHARS


def test_describe_rejects_a_missing_text():
    with pytest.raises(AnchoringError):
        describe(None, 0, 1)


def test_anchoring_error_is_a_value_error():
    assert issubclass(AnchoringError, ValueError)


def test_offsets_count_code_points_not_utf16_units():
    text = "Launch day 🚀🚀 went well 👍🏽 for the whole team.\nNext paragraph."
    start, end = span(text, "went well 👍🏽 for")
    assert start == 14  # "Launch day " is 11, each rocket is one code point, then a space
    selector = describe(text, start, end)
    assert selector.prefix == "Launch day 🚀🚀 "
    assert selector.exact == "went well 👍🏽 for"
    assert len(selector.exact) == 16  # the thumb and its skin tone are two code points
    assert anchor(selector, text) == Anchor(start, end, "position", 1.0)
    moved = "🎉 " * 5 + text
    result = anchor(selector, moved)
    assert (result.start, result.end, result.method) == (start + 10, end + 10, "quote")


# --------------------------------------------------------------------------- anchor


def test_unchanged_text_anchors_by_position():
    selector = select(TEXT, "the library service faces a modest cut")
    assert anchor(selector, TEXT) == Anchor(selector.start, selector.end, "position", 1.0)


def test_paragraph_inserted_before():
    selector = select(TEXT, "road repairs will rise by twelve percent")
    new = TEXT.replace(
        PARAGRAPHS[2], "Several residents spoke during the public comment period.\n" + PARAGRAPHS[2]
    )
    result = anchor(selector, new)
    assert result.method == "quote"
    assert (result.start, result.end) == span(new, "road repairs will rise by twelve percent")


def test_paragraph_inserted_right_before_a_highlight_at_a_paragraph_start():
    # The whole prefix is now a different paragraph; the suffix still agrees.
    selector = select(TEXT, "Under the plan")
    new = TEXT.replace(
        "\n" + PARAGRAPHS[2], "\nA completely new paragraph about something else.\n" + PARAGRAPHS[2]
    )
    result = anchor(selector, new)
    assert placed(result, new) == "Under the plan"
    assert (result.start, result.end) == span(new, "Under the plan")


def test_paragraph_removed_before():
    selector = select(TEXT, "two branch libraries have already closed")
    new = TEXT.replace(PARAGRAPHS[1] + "\n", "")
    result = anchor(selector, new)
    assert (result.start, result.end) == span(new, "two branch libraries have already closed")
    assert result.method == "quote"


def test_whitespace_and_punctuation_changes_inside_and_around_the_quote():
    selector = select(TEXT, "Under the plan, spending on road repairs")
    new = TEXT.replace(
        "Under the plan, spending on road repairs will rise",
        "Under the plan \u2014 spending on road\u00a0repairs will rise",
    ).replace("faces a modest cut.", "faces a modest cut!")
    result = anchor(selector, new)
    assert result.method == "fuzzy"
    assert result.score > 0.95
    assert placed(result, new) == "Under the plan \u2014 spending on road\u00a0repairs"


def test_quote_marks_case_and_a_line_break_are_tolerated():
    text = 'He said: "It\'s a fair compromise," and left the hall.\nLater that evening.'
    selector = select(text, '"It\'s a fair compromise,"')
    new = (
        "He said: \u201cit\u2019s a fair\ncompromise,\u201d and left the hall.\nLater that evening."
    )
    assert placed(anchor(selector, new), new) == "\u201cit\u2019s a fair\ncompromise,\u201d"


def test_a_word_changed_inside_the_quote():
    selector = select(TEXT, "spending on road repairs will rise by twelve percent")
    new = TEXT.replace("rise by twelve percent", "rise by fifteen percent")
    result = anchor(selector, new)
    assert result.method == "fuzzy"
    assert THRESHOLD <= result.score < 1.0
    assert placed(result, new) == "spending on road repairs will rise by fifteen percent"


def test_a_changed_first_word_is_kept_whole():
    selector = select(TEXT, "Councillors voted eleven to four in favour")
    new = TEXT.replace("Councillors voted eleven", "Members voted eleven")
    assert placed(anchor(selector, new), new) == "Members voted eleven to four in favour"


def test_words_changed_near_the_quote():
    selector = select(TEXT, "the library service faces a modest cut")
    new = TEXT.replace("percent, while the library", "per cent, whereas the library").replace(
        "cut. The mayor called", "cut. Mayor Jones described"
    )
    result = anchor(selector, new)
    assert placed(result, new) == "the library service faces a modest cut"


def test_an_intact_quote_is_placed_when_the_words_around_it_changed():
    # The sentence was edited around the highlight: the words right before and
    # after it changed, the quote itself did not, and it occurs once.
    selector = select(TEXT, "road repairs will rise")
    new = TEXT.replace(
        "Under the plan, spending on road repairs will rise by twelve percent",
        "Under the new plan, outlays for road repairs will rise sharply by twelve percent",
    )
    assert new.count("road repairs will rise") == 1
    result = anchor(selector, new)
    assert result is not None, "an intact quote must not be orphaned"
    assert (result.start, result.end) == span(new, "road repairs will rise")
    assert result.method == "quote"


def test_a_unique_name_whose_whole_sentence_around_it_changed_is_placed():
    text = "The harbour reopened.\nShe thanked Kwame Mensah for his work on Monday.\nEnd."
    selector = select(text, "Kwame Mensah")
    new = text.replace("She thanked Kwame Mensah for his", "Everyone praised Kwame Mensah, whose")
    result = anchor(selector, new)
    assert placed(result, new) == "Kwame Mensah"
    assert result.method == "quote"


def test_a_repeated_quote_with_changed_context_goes_where_the_context_still_fits():
    text = (
        "Officials said the harbour bridge will reopen in spring, after the repairs.\n"
        "Engineers warned on Friday that the harbour bridge will reopen much later."
    )
    quote = "the harbour bridge will reopen"
    selector = select(text, quote, occurrence=1)
    new = text.replace(
        "warned on Friday that the harbour bridge will reopen much later",
        "warned last Friday, however, the harbour bridge will reopen rather later",
    )
    result = anchor(selector, new, old_length=len(text))
    assert (result.start, result.end) == span(new, quote, occurrence=1)


def test_a_repeated_quote_is_an_orphan_when_the_context_no_longer_tells_which():
    # Decision: when the context changed and fits several occurrences equally
    # (badly), the old position does not choose: a note on the wrong words is
    # worse than an orphan. (With the context intact, the nearest one wins.)
    text = (
        "Officials said the harbour bridge will reopen in spring, after the repairs.\n"
        "Engineers warned on Friday that the harbour bridge will reopen much later."
    )
    selector = select(text, "the harbour bridge will reopen", occurrence=1)
    new = text.replace(
        "Engineers warned on Friday that the harbour bridge will reopen much later.",
        "Officials said the harbour bridge will reopen in spring, after the repairs.",
    )
    assert new.count("the harbour bridge will reopen") == 2
    assert anchor(selector, new, old_length=len(text)) is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # "the" a dozen times in the text: far too common for changed context.
        (
            TEXT,
            TEXT.replace(
                "percent, while the library service faces",
                "percent; meanwhile the museum grant grows and",
            ),
        ),
        # Three times only, but the words on one side are all new.
        (
            "The mayor spoke first.\nThen the council voted on the budget.\nLater the press left.",
            "The mayor spoke first.\nThen the audience cheered, and left.\nLater the press left.",
        ),
    ],
)
def test_a_common_short_quote_with_changed_context_is_an_orphan(old, new):
    start = old.index("the", old.index("Then" if "Then" in old else "percent"))
    selector = describe(old, start, start + 3)
    assert selector.exact == "the"
    assert anchor(selector, new, old_length=len(old)) is None


def test_a_stock_phrase_of_a_deleted_paragraph_is_not_moved_by_half_its_context():
    # The phrase recurs, and the word before it ("Officials") is part of the
    # phrase: one side of context fits elsewhere, the other does not, so the
    # deleted highlight stays an orphan.
    text = (
        "Officials declined to comment on the plan.\n"
        "The mayor said the ferry will stop in May. Officials declined to comment, "
        "their spokesperson wrote.\n"
        "Officials declined to comment on Friday about the harbour."
    )
    selector = select(text, "declined to comment", occurrence=1)
    new = text.replace(
        "\nThe mayor said the ferry will stop in May. Officials declined to comment, "
        "their spokesperson wrote.",
        "",
    )
    assert new.count("declined to comment") == 2
    assert anchor(selector, new) is None


def test_repeated_phrase_is_chosen_by_context():
    text = (
        "The report was published on Monday by the ministry.\n"
        "Opposition leaders said the report was published too late to matter.\n"
        "Nobody disputes that the report was published without consultation."
    )
    quote = "the report was published"
    start = text.index(quote, text.index("Opposition"))
    selector = describe(text, start, start + len(quote))
    new = "A short new introduction.\n" + text
    result = anchor(selector, new)
    assert result.method == "quote"
    assert result.start == new.index(quote, new.index("Opposition"))
    # Also when the quote itself was edited, so that only the context can tell.
    edited = new.replace("said the report was published", "said the report was released")
    result = anchor(selector, edited)
    assert result.method == "fuzzy"
    assert placed(result, edited) == "the report was released"


def test_repeated_phrase_with_identical_context_is_chosen_by_position():
    block = "Sign up for the morning briefing, delivered to your inbox every weekday at seven."
    text = "\n".join(["Intro.", block, "Middle paragraph with some words.", block, "End."])
    selector = select(text, "morning briefing", occurrence=1)
    new = "A new headline.\n" + text
    result = anchor(selector, new)
    assert (result.start, result.end) == span(new, "morning briefing", occurrence=1)
    first = select(text, "morning briefing", occurrence=0)
    result = anchor(first, new)
    assert (result.start, result.end) == span(new, "morning briefing", occurrence=0)


def test_relative_position_breaks_ties_when_the_old_length_is_known():
    block = "Sign up for the morning briefing, delivered to your inbox every weekday at seven."
    filler = "Filler sentence number {} keeps the paragraphs apart from each other."
    old = "\n".join([block, filler.format(1), block, filler.format(2), block])
    selector = select(old, "morning briefing", occurrence=2)
    # Everything before the third copy doubled in size: the old absolute offset now
    # points near the second copy, the relative position still at the third.
    new = "\n".join([block, filler.format(1), filler.format(3), block, filler.format(2)])
    new = "\n".join([new, filler.format(4) * 2, block])
    third = span(new, "morning briefing", occurrence=2)
    result = anchor(selector, new, old_length=len(old))
    assert (result.start, result.end) == third


def test_deleted_paragraph_becomes_an_orphan():
    selector = select(TEXT, "two branch libraries have already closed")
    new = TEXT.replace("\n" + PARAGRAPHS[3], "")
    assert anchor(selector, new) is None


def test_deleted_paragraph_is_not_moved_onto_the_same_phrase_elsewhere():
    text = (
        "The council met on Monday.\n"
        "In a statement, the mayor said the decision was final and could not be appealed.\n"
        "Residents will be consulted, the mayor said on Friday during a visit to the harbour."
    )
    selector = select(text, "the mayor said")
    new = text.replace(
        "\nIn a statement, the mayor said the decision was final and could not be appealed.", ""
    )
    assert new.count("the mayor said") == 1
    assert anchor(selector, new) is None


def test_deleted_paragraph_is_not_moved_onto_a_similar_sentence():
    text = (
        "Background paragraph about the town.\n"
        "The council approved the new budget on Monday after a long debate.\n"
        "Unrelated paragraph about the weather, which was mild.\n"
        "In other news, the committee approved the new budget on Friday without debate."
    )
    selector = select(text, "approved the new budget on Monday")
    new = text.replace("The council approved the new budget on Monday after a long debate.\n", "")
    assert anchor(selector, new) is None


def test_quote_words_scattered_elsewhere_is_an_orphan():
    selector = select(TEXT, "spending on road repairs will rise")
    new = (
        "Road crews were busy. Spending was discussed at length. Repairs to the bridge "
        "will start soon, and prices may rise.\n" + PARAGRAPHS[3]
    )
    assert anchor(selector, new) is None


def test_quote_replaced_wholesale_is_an_orphan_even_with_its_context():
    selector = select(TEXT, "eleven to four")
    new = TEXT.replace("eleven to four", "by a wide margin")
    assert anchor(selector, new) is None


def test_empty_new_text_is_an_orphan():
    selector = select(TEXT, "modest cut")
    assert anchor(selector, "") is None
    assert anchor_many([selector, selector], "") == [None, None]


def test_malformed_selectors_become_orphans():
    assert anchor(Selector("", "", "", 0, 0), TEXT) is None
    assert anchor(Selector("   ", "", "", 0, 3), TEXT) is None
    assert anchor(Selector("modest cut", None, "", 0, 10), TEXT) is None
    # Nonsense offsets only disable the position step.
    result = anchor(Selector("modest cut", "", "", -5, "x"), TEXT)
    assert placed(result, TEXT) == "modest cut"


def test_anchor_rejects_a_missing_text():
    with pytest.raises(AnchoringError):
        anchor(select(TEXT, "modest cut"), None)


def test_quote_of_only_punctuation_needs_its_exact_text():
    text = "Wait \u2014 what?\nYes."
    selector = select(text, "\u2014")
    assert anchor(selector, "Intro.\n" + text).method == "quote"
    assert anchor(selector, "Wait - what?\nYes.") is None


def test_anchor_many_gives_the_same_answers_as_anchor():
    quotes = [
        "City council approves",
        "approved the new budget on Monday",
        "Councillors voted eleven to four in favour.",
        "road repairs will rise by twelve percent",
        "The mayor called it a fair compromise.",
        "two branch libraries have already closed",
        "The budget takes effect in April.",
        "planned for next month at the town hall.",
    ]
    selectors = [select(TEXT, quote) for quote in quotes]
    new = "Breaking: a late amendment.\n" + TEXT.replace("twelve", "fifteen").replace(
        ", while", " \u2014 while"
    ).replace("\n" + PARAGRAPHS[3], "").replace("in April.", "in May.")
    many = anchor_many(selectors, new, old_length=len(TEXT))
    one_by_one = [anchor(selector, new, old_length=len(TEXT)) for selector in selectors]
    assert many == one_by_one
    assert many[5] is None  # its paragraph was removed
    assert sum(result is not None for result in many) == 7


# --------------------------------------------------------------------------- properties

_ALPHABET = st.sampled_from(
    list("abcdefgh ABC,.;'\"-—\n\t") + ["é", "ß", "ﬁ", "😀", "👍", "\U0001f3fd", "\u00ad", "\u00a0"]
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, min_size=1, max_size=200), data=st.data())
def test_describe_then_anchor_on_the_same_text_returns_the_trimmed_range(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    try:
        selector = describe(text, start, end)
    except AnchoringError:
        assume(False)
    assert start <= selector.start < selector.end <= end
    assert text[selector.start : selector.end] == text[start:end].strip()
    result = anchor(selector, text)
    assert (result.start, result.end) == (selector.start, selector.end)
    assert result.method == "position"


@settings(max_examples=200, deadline=None)
@given(
    old=st.text(alphabet=_ALPHABET, min_size=1, max_size=120),
    new=st.text(alphabet=_ALPHABET, max_size=120),
    data=st.data(),
)
def test_anchor_always_returns_an_orphan_or_a_valid_range(old, new, data):
    start = data.draw(st.integers(0, len(old) - 1))
    end = data.draw(st.integers(start + 1, len(old)))
    try:
        selector = describe(old, start, end)
    except AnchoringError:
        assume(False)
    for text in (new, old + new, new + old, old.replace("a", "e")):
        result = anchor(selector, text, old_length=len(old))
        if result is not None:
            assert 0 <= result.start < result.end <= len(text)
            assert result.method in ("position", "quote", "fuzzy")
            assert 0.0 < result.score <= 1.0
            if result.method != "fuzzy":
                assert text[result.start : result.end] == selector.exact


def _edit_distances(pattern, text, anchored=False):
    """Reference edit distances, one dynamic-programming row per character of `text`.

    Semi-global (the pattern may start anywhere) unless `anchored` (Levenshtein).
    """
    previous = list(range(len(pattern) + 1))
    out = []
    for char in text:
        current = [previous[0] + 1 if anchored else 0]
        for i in range(1, len(pattern) + 1):
            current.append(
                min(previous[i] + 1, current[i - 1] + 1, previous[i - 1] + (pattern[i - 1] != char))
            )
        out.append(current[-1])
        previous = current
    return out if text else [len(pattern)]


@settings(max_examples=300, deadline=None)
@given(pattern=st.text("abc ", min_size=1, max_size=70), text=st.text("abc ", max_size=40))
def test_bit_parallel_edit_distance_matches_the_reference(pattern, text):
    # Up to 70 characters: the bit vectors are wider than one machine word.
    masks = _pattern_masks(pattern)
    if text:
        assert _myers(masks, len(pattern), text) == _edit_distances(pattern, text)
        assert _myers(masks, len(pattern), text, every=False) == _edit_distances(pattern, text)[-1]
    assert (
        _myers(masks, len(pattern), text, every=False, anchored=True)
        == _edit_distances(pattern, text, anchored=True)[-1]
    )
