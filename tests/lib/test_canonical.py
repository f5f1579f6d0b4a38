"""The canonical text rule: what the browser will see, offset for offset."""

from html import escape
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.lib.extraction import canonical
from newsreader.lib.extraction.canonical import canonical_text, normalise_html
from newsreader.lib.extraction.sanitize import ALLOWED_TAGS, sanitise_html


def test_blocks_are_separated_by_exactly_one_newline():
    html, text = normalise_html(
        "<h2> Title </h2>\n\n<p>One</p><p>Two</p><ul><li>a</li><li>b</li></ul>"
    )
    assert text == "Title\nOne\nTwo\na\nb"
    assert html == "<h2>Title</h2>\n<p>One</p>\n<p>Two</p>\n<ul><li>a</li>\n<li>b</li></ul>"


def test_whitespace_collapses_across_inline_elements():
    assert normalise_html("<p>a  <em> b </em>\n c\t d</p>")[1] == "a b c d"


def test_space_before_a_block_end_or_line_break_is_dropped():
    html, text = normalise_html("<p>one <br> two <b>three </b></p>")
    assert text == "one\ntwo three"
    assert html == "<p>one<br>\ntwo <b>three</b></p>"


def test_pre_keeps_its_whitespace_but_not_its_edge_newlines():
    html, text = normalise_html("<p>x</p><pre>\n  indented\n\n  code\n\n</pre><p>y</p>")
    assert text == "x\n  indented\n\n  code\ny"
    # A browser drops a newline right after <pre>: the stored HTML never has one.
    assert "<pre>  indented" in html


def test_an_empty_pre_does_not_eat_the_boundary_before_it():
    html, text = normalise_html("x<pre></pre>y")
    assert text == "x\ny"
    assert normalise_html(html) == (html, text)


def test_trailing_spaces_in_a_pre_are_kept_so_the_form_is_stable():
    html, text = normalise_html("<pre>&lt;\n </pre>&lt;")
    assert text == "<\n \n<"
    assert normalise_html(html) == (html, text)


def test_nothing_outside_a_pre_trims_its_text():
    html, text = normalise_html("<pre>a\n </pre><br>b")
    assert text == "a\n \nb"
    assert normalise_html(html) == (html, text)


def test_an_empty_pre_at_the_end_leaves_no_trailing_newline():
    assert normalise_html("&lt;<pre></pre>")[1] == "<"


def test_table_cells_and_rows_are_separate_lines():
    html, text = normalise_html(
        "<table><tbody><tr><th>h1</th><th>h2</th></tr><tr><td>a</td><td>b</td></tr></tbody></table>"
    )
    assert text == "h1\nh2\na\nb"


def test_nested_blocks_give_one_boundary():
    assert (
        normalise_html("<blockquote><p>a</p></blockquote><div><div><p>b</p></div></div>")[1]
        == "a\nb"
    )


def test_carriage_returns_and_control_characters():
    assert normalise_html("<pre>a\r\nb\rc\x00d\x07</pre>")[1] == "a\nb\ncd"


def test_entities_are_text():
    html, text = normalise_html("<p>fish &amp; chips &lt;3 &nbsp;x</p>")
    assert text == "fish & chips <3 \u00a0x"
    assert html == "<p>fish &amp; chips &lt;3 \u00a0x</p>"


def test_unsafe_urls_are_dropped_as_a_second_line_of_defence():
    html, _ = normalise_html(
        '<a href="/relative">a</a><a href="javascript:x">b</a><img src="data:x">'
    )
    assert html == "<a>a</a><a>b</a><img>"


def test_the_text_never_starts_or_ends_with_a_newline():
    assert normalise_html("<p></p><p> x </p><p> </p><hr>")[1] == "x"


# Random trees of the elements the sanitiser lets through.
TEXT = st.text(alphabet=st.sampled_from(list("ab  \n\t&<>é\u00a0😀")), max_size=6)
INLINE = ["em", "strong", "a", "code", "span"]
BLOCK = ["p", "div", "li", "blockquote", "h2", "pre", "td"]


def trees(depth=3):
    leaf = TEXT.map(escape) | st.just("<br>")
    if depth == 0:
        return leaf
    children = st.lists(trees(depth - 1), max_size=4).map("".join)
    return leaf | st.builds(
        lambda tag, inner: f"<{tag}>{inner}</{tag}>", st.sampled_from(INLINE + BLOCK), children
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(trees(), max_size=5).map("".join))
def test_the_text_is_exactly_the_text_nodes_of_the_stored_html(html):
    normal_html, text = normalise_html(html)
    assert canonical_text(normal_html) == text
    # The normal form is a fixed point: normalising again changes nothing.
    assert normalise_html(normal_html) == (normal_html, text)
    assert not text.startswith("\n") and not text.endswith("\n")


def _with_html_parser(html):
    normaliser = canonical._Normaliser()
    normaliser.feed(html)
    return normaliser.result()


SANITISED = [
    '<p>AT&amp;T &amp;c &lt;tag&gt; &nbsp;x&#11;y&#13;z</p><p title="a &amp; b &gt; c">t</p>',
    '<p><a href="https://x.example/?a=1&amp;b=2" rel="noopener noreferrer">l</a></p>',
    '<pre>\r\n  kept\r\n\x0b</pre><p>one\rtwo\x01</p><img src="https://x.example/a.jpg" alt="">',
    "<ul>\n<li>a</li>\n<li>b <b>c </b></li></ul><br><hr><table><tr><td>1</td></tr></table>",
    "<p>x</p><p/>",  # not a sanitiser's markup: read by HTMLParser
    "<p>3 <4</p><!-- c --><P CLASS=x>y</P>",
]


def test_the_quick_reading_of_sanitised_markup_matches_html_parser():
    for html in SANITISED:
        assert normalise_html(html) == _with_html_parser(html), html
    assert canonical._simple_tokens(SANITISED[0]) is not None
    assert canonical._simple_tokens(SANITISED[-1]) is None


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            ["<p>", "</p>", "<pre>", "</pre>", "<br>", " ", "\n", "a", "&amp;"]
            + [
                "\r",
                "&#13;",
                "&#x1;",
                '<a href="https://e.x/?q=&amp;">',
                "</a>",
                "<li>",
                "</li>",
                "b ",
            ]
        )
    )
)
def test_quick_and_html_parser_readings_agree(parts):
    html = "".join(parts)
    assert normalise_html(html) == _with_html_parser(html)


# Markup shaped like a sanitiser's, with what the quick reading must get right
# exactly as HTMLParser does: references (some standing for control characters
# or whitespace), raw ">" and "'", every kind of whitespace, control
# characters, URLs to keep or drop, nested and stray <pre>, void elements,
# empty blocks and stray end tags.
SNIPPETS = ["a", "b ", " ", "  ", "\t", "\n", "\r", "\r\n", "\x00", "\x01", "\x0b", "\x0c"]
SNIPPETS += ["\x7f", "é", "\u00a0", "\u2028", "😀", ">", "'", "&amp;", "&lt;", "&gt;", "&quot;"]
SNIPPETS += ["&#13;", "&#0;", "&#x1;", "&#12;", "&#10;", "&nbsp;", "&Tab;", "&NewLine;", "&amp"]
PIECES_OF_VALUES = [
    "a",
    " ",
    ">",
    "'",
    "&amp;",
    "&quot;",
    "&lt;",
    "&#13;",
    "&#x27;",
    "https://e.x/?a=1",
]
PIECES_OF_VALUES += ["mailto:x", " HTTP://E.X", "javascript:x", "/relative", "\n", "\u00e9"]
VOIDS = sorted(canonical.VOID_TAGS & ALLOWED_TAGS)
CONTAINERS = sorted(ALLOWED_TAGS - canonical.VOID_TAGS)
SPACE = st.sampled_from([" ", " ", "\n", "  "])

markup_text = st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=5).map("".join)
attribute = st.builds(
    "{}{}{}".format,
    SPACE,
    st.sampled_from(["href", "src", "alt", "title", "reversed"]),
    st.none()
    | st.lists(st.sampled_from(PIECES_OF_VALUES), max_size=3).map(lambda v: f'="{"".join(v)}"'),
).map(lambda parts: parts.replace("None", ""))
attributes = st.lists(attribute, max_size=3).map("".join)
end_of_tag = st.sampled_from([">", ">", " >", "\n>"])


def sanitiser_like(depth=3):
    leaf = (
        markup_text
        | st.builds("<{}{}{}".format, st.sampled_from(VOIDS), attributes, end_of_tag)
        | st.sampled_from(["</pre>", "</p>", "</br>", "</hr>", "</img>", "<pre></pre>", "<p></p>"])
        | st.just("<li> </li>")
    )
    if depth == 0:
        return leaf
    return leaf | st.builds(
        "<{0}{1}{2}{3}</{0}>".format,
        st.sampled_from(["pre", "pre", "p", "li", "a", "em", "td"] + CONTAINERS),
        attributes,
        end_of_tag,
        st.lists(sanitiser_like(depth - 1), max_size=4).map("".join),
    )


@settings(max_examples=500, deadline=None)
@given(st.lists(sanitiser_like(), max_size=5).map("".join))
def test_the_quick_reading_matches_html_parser_on_sanitiser_like_markup(html):
    assert canonical._simple_tokens(html) is not None  # the quick reading is tested
    assert normalise_html(html) == _with_html_parser(html)


# Markup as pages have it, for the sanitiser to turn into its own.
RAW_PIECES = SNIPPETS + ["<", "<!-- c -->", "<P>", "<br/>", "<BR>", "<hr>", "</div>", "<div>"]
RAW_PIECES += ['<a href="https://e.x/?a&b=1" onclick="x" class="c">', "</a>", "<span>", "</span>"]
RAW_PIECES += ["<pre>", "</pre>", "<script>x</script>", "<img src=https://e.x/i.png alt='a>b'>"]
RAW_PIECES += ["<li>", "<ul>", "</ul>", "<table><tr><td>", "</table>", '<p title="a &quot; b">']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(RAW_PIECES) | sanitiser_like(2), max_size=12).map("".join))
def test_the_quick_reading_matches_html_parser_on_sanitised_markup(raw):
    html = sanitise_html(raw)
    assert canonical._simple_tokens(html) is not None  # the sanitiser's markup is simple
    assert normalise_html(html) == _with_html_parser(html)


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"], max_codepoint=0x3000)))
def test_whitespace_is_collapsed_as_the_regular_expression_does(text):
    text = canonical._without_controls(text)
    assert canonical._collapse_whitespace(text) == canonical._WHITESPACE.sub(" ", text)


def _text_nodes(html):
    """The text of `html` as a browser's parser reads it: every text node's data."""
    parts = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = parts.append
    parser.feed(html)
    parser.close()
    return "".join(parts)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SANITISED) | sanitiser_like(), max_size=5).map("".join))
def test_the_canonical_text_is_the_text_nodes_of_the_normal_form(html):
    normal_html, text = normalise_html(html)
    assert canonical_text(normal_html) == _text_nodes(normal_html) == text
    # Any markup, simple or not, is read as a parser reads it.
    assert canonical_text(html) == _text_nodes(html)


def test_the_text_of_raw_text_elements_is_read_as_a_parser_reads_it():
    html = "<p>a &amp; b</p><style>p &gt; b {}</style><script>x &lt; 1</script>"
    assert canonical_text(html) == _text_nodes(html) == "a & bp &gt; b {}x &lt; 1"
