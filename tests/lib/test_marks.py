"""Rendering highlights as <mark> elements into normal-form reader HTML."""

import re
from html import escape
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.lib.extraction.canonical import canonical_text, normalise_html
from newsreader.lib.marks import MarkRange, render_marks

NO_MARK_PARENTS = {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"}
VOID = {"br", "hr", "img", "col", "wbr"}
MARK_TAG = re.compile(r"</?mark\b[^>]*>")


def hl(start, end, highlight_id=1, **extra):
    attributes = (("data-highlight-id", str(highlight_id)),) + tuple(extra.items())
    return MarkRange(start, end, attributes)


def open_mark(highlight_id=1, first=False):
    tag = f'<mark data-highlight-id="{highlight_id}"'
    return tag + (' data-first="">' if first else ">")


class Tree(HTMLParser):
    """Tokenize rendered HTML, checking it is balanced, and record every text node.

    ``self.texts`` holds (text, parent tag, ids of the enclosing marks, in pre).
    ``self.marks`` holds (id, parent tag, is first part, ids of enclosing marks).
    """

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, attrs)
        self.texts = []
        self.marks = []
        self.feed(html)
        self.close()
        assert self.stack == [], f"unclosed: {self.stack}"

    def mark_ids(self):
        return tuple(dict(attrs)["data-highlight-id"] for tag, attrs in self.stack if tag == "mark")

    def parent(self):
        return self.stack[-1][0] if self.stack else None

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            attrs_map = dict(attrs)
            self.marks.append(
                (attrs_map["data-highlight-id"], self.parent(), "data-first" in attrs_map)
                + (self.mark_ids(),)
            )
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        assert tag in VOID

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack}"
        self.stack.pop()

    def handle_data(self, data):
        in_pre = any(tag == "pre" for tag, _ in self.stack)
        self.texts.append((data, self.parent(), self.mark_ids(), in_pre))


def marked_text(html, highlight_id):
    """The text inside marks of highlight `highlight_id`, concatenated."""
    return "".join(text for text, _, ids, _ in Tree(html).texts if str(highlight_id) in ids)


def check_invariants(html, result):
    """The properties every rendering must have."""
    tree = Tree(result)  # balanced tags
    assert canonical_text(result) == canonical_text(html)
    assert MARK_TAG.sub("", result) == html
    # No empty mark.
    assert not re.search(r"<mark\b[^>]*></mark>", result)
    for _, parent, _, _ in tree.marks:
        assert parent not in NO_MARK_PARENTS
    return tree


# --- Unit tests ---------------------------------------------------------------


def test_range_inside_one_text_node():
    html = "<p>hello world</p>"
    result = render_marks(html, [hl(6, 11)])
    assert result == f"<p>hello {open_mark(first=True)}world</mark></p>"
    check_invariants(html, result)


def test_no_ranges_returns_the_html_unchanged():
    html = "<p>a &amp; b</p>"
    assert render_marks(html, []) == html
    assert render_marks(html, iter([])) == html


def test_range_across_an_inline_element_boundary():
    html = "<p>a <em>b</em> c</p>"
    result = render_marks(html, [hl(0, 5)])
    assert result == (
        f"<p>{open_mark(first=True)}a </mark>"
        f"<em>{open_mark()}b</mark></em>{open_mark()} c</mark></p>"
    )
    check_invariants(html, result)


def test_range_into_the_next_paragraph_leaves_the_separator_unwrapped():
    html, text = normalise_html("<p>one two</p><p>three four</p>")
    assert text == "one two\nthree four"
    result = render_marks(html, [hl(4, 13)])
    assert result == (
        f"<p>one {open_mark(first=True)}two</mark></p>\n<p>{open_mark()}three</mark> four</p>"
    )
    check_invariants(html, result)


def test_range_into_and_out_of_a_link():
    html = '<p>see <a href="https://x.test/?a=1&amp;b=2">the docs</a> now</p>'
    result = render_marks(html, [hl(4, 15)])
    assert result == (
        '<p>see <a href="https://x.test/?a=1&amp;b=2">'
        f"{open_mark(first=True)}the docs</mark></a>{open_mark()} no</mark>w</p>"
    )
    check_invariants(html, result)


def test_range_across_list_items_puts_no_mark_directly_in_the_list():
    html, text = normalise_html("<p>intro</p><ul><li>a</li><li>b <em>c</em></li></ul>")
    assert text == "intro\na\nb c"
    result = render_marks(html, [hl(3, len(text))])
    assert result == (
        f"<p>int{open_mark(first=True)}ro</mark></p>\n"
        f"<ul><li>{open_mark()}a</mark></li>\n"
        f"<li>{open_mark()}b </mark><em>{open_mark()}c</mark></em></li></ul>"
    )
    tree = check_invariants(html, result)
    assert {parent for _, parent, _, _ in tree.marks} == {"p", "li", "em"}


def test_range_across_table_cells_puts_no_mark_in_rows_or_bodies():
    html, text = normalise_html(
        "<table><tbody><tr><td>x1</td><td>y1</td></tr><tr><th>x2</th><td>y2</td></tr>"
        "</tbody></table>"
    )
    assert text == "x1\ny1\nx2\ny2"
    result = render_marks(html, [hl(1, 10)])
    tree = check_invariants(html, result)
    assert {parent for _, parent, _, _ in tree.marks} == {"td", "th"}
    assert marked_text(result, 1) == "1y1x2y"
    # The separators sit in <tr>/<tbody> and stay bare.
    assert all(not ids for text, parent, ids, _ in tree.texts if parent in {"tr", "tbody"})


def test_range_across_blockquote_and_nested_blocks():
    html, text = normalise_html(
        "<blockquote><p>quoted <strong>bold</strong></p><div>more</div></blockquote><p>after</p>"
    )
    assert text == "quoted bold\nmore\nafter"
    result = render_marks(html, [hl(7, 20)])
    tree = check_invariants(html, result)
    assert marked_text(result, 1) == "boldmoreaft"
    assert {parent for _, parent, _, _ in tree.marks} == {"strong", "div", "p"}


def test_stray_text_where_phrasing_is_not_allowed_is_counted_but_not_wrapped():
    # Not normal form (there only "\n" separators sit in these), but the rule holds.
    html = "<ul>stray<li>a</li></ul><table><tr>row<td>b</td></tr></table>"
    assert canonical_text(html) == "straya" + "rowb"
    result = render_marks(html, [hl(0, 10)])
    assert result == (
        f"<ul>stray<li>{open_mark(first=True)}a</mark></li></ul>"
        f"<table><tr>row<td>{open_mark()}b</mark></td></tr></table>"
    )


def test_text_of_raw_text_and_foreign_elements_is_not_wrapped():
    html = "<p>a</p><style>p &gt; b {}</style><svg><text>c</text></svg><p>d</p>"
    text = canonical_text(html)
    result = render_marks(html, [hl(0, len(text))])
    assert result == (
        f"<p>{open_mark(first=True)}a</mark></p><style>p &gt; b {{}}</style>"
        f"<svg><text>c</text></svg><p>{open_mark()}d</mark></p>"
    )


def test_text_inside_pre_is_wrapped_newlines_included():
    html, text = normalise_html("<p>x</p><pre>line 1\n\n  line 2</pre><p>y</p>")
    assert text == "x\nline 1\n\n  line 2\ny"
    result = render_marks(html, [hl(0, len(text))])
    assert result == (
        f"<p>{open_mark(first=True)}x</mark></p>\n"
        f"<pre>{open_mark()}line 1\n\n  line 2</mark></pre>\n"
        f"<p>{open_mark()}y</mark></p>"
    )
    check_invariants(html, result)


def test_line_break_separator_inside_a_paragraph_is_not_wrapped():
    html, text = normalise_html("<p>one<br>two</p>")
    assert (html, text) == ("<p>one<br>\ntwo</p>", "one\ntwo")
    result = render_marks(html, [hl(1, 6)])
    assert result == f"<p>o{open_mark(first=True)}ne</mark><br>\n{open_mark()}tw</mark>o</p>"
    check_invariants(html, result)


def test_overlapping_ranges_nest_with_the_earlier_start_outside():
    html = "<p>abcdefghij</p>"
    result = render_marks(html, [hl(3, 8, 2), hl(0, 5, 1)])
    assert result == (
        f"<p>{open_mark(1, True)}abc{open_mark(2, True)}de</mark></mark>"
        f"{open_mark(2)}fgh</mark>ij</p>"
    )
    check_invariants(html, result)
    assert marked_text(result, 1) == "abcde"
    assert marked_text(result, 2) == "defgh"


def test_same_start_puts_the_longer_range_outside():
    html = "<p>abcdef</p>"
    expected = f"<p>{open_mark(1, True)}{open_mark(2, True)}abc</mark>def</mark></p>"
    assert render_marks(html, [hl(0, 6, 1), hl(0, 3, 2)]) == expected
    assert render_marks(html, [hl(0, 3, 2), hl(0, 6, 1)]) == expected


def test_contained_range_nests_inside():
    html = "<p>abcdef</p>"
    result = render_marks(html, [hl(2, 4, 2), hl(0, 6, 1)])
    assert result == (f"<p>{open_mark(1, True)}ab{open_mark(2, True)}cd</mark>ef</mark></p>")


def test_adjacent_ranges_are_sibling_marks():
    html = "<p>abcdef</p>"
    result = render_marks(html, [hl(3, 6, 2), hl(0, 3, 1)])
    assert result == f"<p>{open_mark(1, True)}abc</mark>{open_mark(2, True)}def</mark></p>"
    check_invariants(html, result)


def test_identical_ranges_nest_in_the_order_given():
    html = "<p>abcdef</p>"
    result = render_marks(html, [hl(1, 4, 7), hl(1, 4, 3)])
    assert result == f"<p>a{open_mark(7, True)}{open_mark(3, True)}bcd</mark></mark>ef</p>"
    check_invariants(html, result)


def test_range_covering_the_whole_text():
    html, text = normalise_html("<h2>Title</h2><p>a <a href='https://x.test/'>b</a></p>")
    result = render_marks(html, [hl(0, len(text))])
    tree = check_invariants(html, result)
    assert marked_text(result, 1) == text.replace("\n", "")
    assert sum(first for _, _, first, _ in tree.marks) == 1
    assert tree.marks[0][2]  # the first part in document order


def test_only_the_first_part_carries_data_first():
    html, _ = normalise_html("<p>a</p><p>b</p><p>c</p>")
    result = render_marks(html, [hl(0, 5)])
    assert [first for _, _, first, _ in Tree(result).marks] == [True, False, False]
    assert result.count("data-first") == 1


def test_entities_inside_and_at_range_edges():
    html = "<p>a &amp; b &lt;c&gt; d</p>"
    assert canonical_text(html) == "a & b <c> d"
    result = render_marks(html, [hl(2, 3, 1), hl(6, 8, 2), hl(8, 9, 3)])
    assert result == (
        f"<p>a {open_mark(1, True)}&amp;</mark> b "
        f"{open_mark(2, True)}&lt;c</mark>{open_mark(3, True)}&gt;</mark> d</p>"
    )
    check_invariants(html, result)


def test_emoji_count_as_one_code_point():
    html = "<p>😀 ok 😀 <em>é😀</em></p>"
    text = canonical_text(html)
    assert text == "😀 ok 😀 é😀"
    result = render_marks(html, [hl(2, 4, 1), hl(5, 9, 2)])
    assert marked_text(result, 1) == "ok"
    assert marked_text(result, 2) == "😀 é😀"
    check_invariants(html, result)


def test_attribute_values_are_escaped():
    html = "<p>abc</p>"
    attributes = (("class", 'hl "x" <y> & z'), ("data-highlight-id", "5"))
    result = render_marks(html, [MarkRange(0, 1, attributes)])
    assert result == (
        '<p><mark class="hl &quot;x&quot; &lt;y&gt; &amp; z" data-highlight-id="5" '
        'data-first="">a</mark>bc</p>'
    )
    tree = Tree(result)
    assert tree.marks[0][0] == "5"


def test_a_range_without_attributes_is_a_bare_mark():
    assert render_marks("<p>abc</p>", [MarkRange(1, 2, ())]) == (
        '<p>a<mark data-first="">b</mark>c</p>'
    )


def test_invalid_attribute_names_are_refused():
    with pytest.raises(ValueError, match="attribute name"):
        render_marks("<p>abc</p>", [MarkRange(0, 1, (('x" onclick="', "1"),))])


def test_out_of_range_and_empty_ranges():
    html = "<p>abcdef</p>"
    assert render_marks(html, [hl(3, 3), hl(5, 2), hl(6, 10), hl(100, 200), hl(-9, -1)]) == html
    result = render_marks(html, [hl(-5, 2, 1), hl(4, 99, 2)])
    assert result == (f"<p>{open_mark(1, True)}ab</mark>cd{open_mark(2, True)}ef</mark></p>")


def test_empty_document():
    assert render_marks("", [hl(0, 5)]) == ""


def test_other_character_references_keep_their_spelling():
    # Not normal form, but the input's own escaping must survive any cut.
    html = "<p>it&#39;s &quot;q&quot; &eacute;</p>"
    text = canonical_text(html)
    assert text == 'it\'s "q" é'
    result = render_marks(html, [hl(2, 6, 1), hl(9, 10, 2)])
    assert MARK_TAG.sub("", result) == html
    assert marked_text(result, 1) == "'s \""
    assert marked_text(result, 2) == "é"
    assert f"{open_mark(1, True)}&#39;s &quot;</mark>" in result


def test_a_cut_inside_a_multi_code_point_reference_still_marks_the_right_text():
    html = "<p>a&NotEqualTilde;b</p>"
    text = canonical_text(html)
    assert len(text) == 4  # the reference stands for two code points
    result = render_marks(html, [hl(2, 4)])
    assert canonical_text(result) == text
    assert marked_text(result, 1) == text[2:4]
    Tree(result)
    # Without a cut inside it, the reference is kept as written.
    assert MARK_TAG.sub("", render_marks(html, [hl(1, 3)])) == html


def test_ranges_are_accepted_from_any_iterable():
    html = "<p>abcdef</p>"
    result = render_marks(html, (hl(i, i + 1, i) for i in range(3)))
    assert marked_text(result, 0) == "a"
    assert marked_text(result, 2) == "c"


# --- Property test ------------------------------------------------------------

ALPHABET = list("ab &<>é😀") + [" ", "  ", "\n", "\t"]
text_st = st.lists(st.sampled_from(ALPHABET), max_size=8).map(
    lambda chars: escape("".join(chars), quote=False)
)
pre_text_st = st.lists(st.sampled_from(ALPHABET + ["\n\n"]), max_size=10).map(
    lambda chars: escape("".join(chars), quote=False)
)
INLINE_TAGS = ["em", "strong", "code", "a"]


def element(tag, content):
    if tag == "a":
        return f'<a href="https://x.test/?a=1&amp;b=&quot;2&quot;">{content}</a>'
    return f"<{tag}>{content}</{tag}>"


def inline_st(depth):
    leaf = st.one_of(text_st, text_st, st.just("<br>"))
    if depth == 0:
        return leaf
    children = st.lists(inline_st(depth - 1), max_size=3).map("".join)
    return st.one_of(
        leaf, st.tuples(st.sampled_from(INLINE_TAGS), children).map(lambda t: element(*t))
    )


def block_st(depth):
    phrasing = st.lists(inline_st(2), max_size=4).map("".join)
    paragraph = phrasing.map(lambda s: element("p", s))
    pre = st.lists(st.one_of(pre_text_st, inline_st(1)), max_size=3).map(
        lambda parts: element("pre", "".join(parts))
    )
    if depth == 0:
        return st.one_of(paragraph, pre)
    flow = st.lists(st.one_of(block_st(depth - 1), inline_st(1)), max_size=3).map("".join)
    blocks = st.lists(block_st(depth - 1), min_size=1, max_size=3).map("".join)
    items = st.lists(flow.map(lambda s: element("li", s)), min_size=1, max_size=3)
    cells = st.lists(
        st.tuples(st.sampled_from(["td", "th"]), flow).map(lambda t: element(*t)),
        min_size=1,
        max_size=3,
    )
    rows = st.lists(cells.map(lambda c: element("tr", "".join(c))), min_size=1, max_size=3)
    return st.one_of(
        paragraph,
        pre,
        flow.map(lambda s: element("div", s)),
        blocks.map(lambda s: element("blockquote", s)),
        st.tuples(st.sampled_from(["ul", "ol"]), items.map("".join)).map(lambda t: element(*t)),
        rows.map(lambda r: element("table", element("tbody", "".join(r)))),
    )


document_st = st.lists(block_st(2), min_size=1, max_size=4).map(
    lambda blocks: normalise_html("".join(blocks))[0]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=document_st, data=st.data())
def test_marks_never_change_the_document_and_cover_exactly_their_ranges(html, data):
    text = canonical_text(html)
    original = Tree(html)
    # The generator only puts block separators where <mark> is not allowed.
    assert all(
        t.strip("\n") == "" for t, parent, _, _ in original.texts if parent in NO_MARK_PARENTS
    )
    in_pre = [pre for t, _, _, pre in original.texts for _ in t]

    bound = st.integers(-3, len(text) + 3)
    spans = data.draw(st.lists(st.tuples(bound, bound), max_size=10))
    ranges = [
        MarkRange(start, end, (("data-highlight-id", str(i)), ("title", 'a"<b>&')))
        for i, (start, end) in enumerate(spans)
    ]
    result = render_marks(html, ranges)
    tree = check_invariants(html, result)

    keys = {}
    for i, (start, end) in enumerate(spans):
        start = max(0, start)
        end = max(start, min(len(text), end))
        expected = "".join(
            char for pos, char in enumerate(text[start:end], start) if char != "\n" or in_pre[pos]
        )
        assert marked_text(result, i) == expected
        parts = [first for mark_id, _, first, _ in tree.marks if mark_id == str(i)]
        # Exactly the first part, if any, carries data-first.
        assert parts == ([True] + [False] * (len(parts) - 1) if parts else [])
        assert bool(parts) == bool(expected)
        keys[str(i)] = (start, -end, i)

    # Nesting: each mark lies inside marks of ranges that sort before it.
    for mark_id, _, _, enclosing in tree.marks:
        assert all(keys[outer] < keys[mark_id] for outer in enclosing)


def test_first_attributes_go_on_the_first_part_only():
    html = "<p>one two</p>\n<p>three</p>"
    mark = MarkRange(4, 13, (("class", "hl"),), (("id", "hl-1"), ("tabindex", "0")))
    out = render_marks(html, [mark])
    assert out == (
        '<p>one <mark class="hl" id="hl-1" tabindex="0" data-first="">two</mark></p>\n'
        '<p><mark class="hl">three</mark></p>'
    )
