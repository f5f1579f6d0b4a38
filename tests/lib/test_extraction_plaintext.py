"""Tests for newsreader.lib.extraction.plaintext (pure Python: no Django needed)."""

import datetime
import json
from dataclasses import asdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.lib.extraction.plaintext import PlainTextResult, clean_plain_text, parse_date

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "plaintext"
FIXTURE_NAMES = sorted(path.stem for path in FIXTURES.glob("*.txt"))

PROSE_1 = (
    "The council met on Tuesday evening to discuss the plans for the new library, "
    "and most members spoke in favour."
)
PROSE_2 = "A final vote is expected next month, after a public consultation closes."


def article(*middle: str) -> str:
    """A small article whose body is PROSE_1, the given lines, then PROSE_2."""
    return "\n\n".join(["Council backs new library", PROSE_1, *middle, PROSE_2]) + "\n"


def removed_reasons(result: PlainTextResult) -> dict[str, str]:
    return dict(result.removed)


# --- Fixtures -----------------------------------------------------------------


def test_there_are_enough_fixtures():
    assert len(FIXTURE_NAMES) >= 12
    for name in FIXTURE_NAMES:
        assert (FIXTURES / f"{name}.expected.json").exists(), name


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_fixture(name):
    text = (FIXTURES / f"{name}.txt").read_bytes().decode("utf-8")
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    result = asdict(clean_plain_text(text))
    result["removed"] = [list(pair) for pair in result["removed"]]
    assert result == expected


# --- Rule 1: normalisation ------------------------------------------------------


def test_empty_string_gives_empty_result():
    assert clean_plain_text("") == PlainTextResult()


def test_whitespace_only_gives_empty_result():
    assert clean_plain_text(" \n\t\n\r\n  ") == PlainTextResult()


def test_only_boilerplate_gives_no_paragraphs():
    result = clean_plain_text("Share\nAdvertisement\n\nSubscribe now\nRead more\n***\n")
    assert result.paragraphs == []
    assert result.title == ""
    assert [reason for _, reason in result.removed] == [
        "share",
        "advertisement",
        "newsletter",
        "related",
        "separator",
    ]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_newline_styles_give_the_same_result(newline):
    text = "Title here\n\nFirst paragraph\nwraps here.\n\nSecond one.\n".replace("\n", newline)
    result = clean_plain_text(text)
    assert result.title == "Title here"
    assert result.paragraphs == ["First paragraph wraps here.", "Second one."]


def test_bom_is_stripped():
    result = clean_plain_text("\ufeffTitle here\n\nBody text follows.\n")
    assert result.title == "Title here"
    assert result.paragraphs == ["Body text follows."]


def test_tabs_and_inner_whitespace_are_collapsed():
    result = clean_plain_text("One\tsentence   with\u00a0gaps.  \n\nTwo.\n")
    assert result.paragraphs == ["One sentence with gaps.", "Two."]


# --- Rule 2: segmentation ---------------------------------------------------------


def test_hard_wrapped_blocks_are_unwrapped():
    text = "The first line of a paragraph\ncontinues here\nand ends here.\n\nNext paragraph.\n"
    assert clean_plain_text(text).paragraphs == [
        "The first line of a paragraph continues here and ends here.",
        "Next paragraph.",
    ]


def test_without_blank_lines_each_line_is_a_paragraph():
    text = "The first sentence is here.\nThe second sentence is here.\nA third one.\n"
    assert clean_plain_text(text).paragraphs == [
        "The first sentence is here.",
        "The second sentence is here.",
        "A third one.",
    ]


def test_leading_and_trailing_blank_lines_do_not_switch_to_block_mode():
    text = "\n\nThe first sentence is here.\nThe second sentence is here.\n\n"
    assert clean_plain_text(text).paragraphs == [
        "The first sentence is here.",
        "The second sentence is here.",
    ]


def test_boilerplate_inside_a_block_is_removed_before_joining():
    text = "Intro.\n\nThe mayor said the plan\nwas sound.\nAdvertisement\nShe left early.\n"
    result = clean_plain_text(text)
    assert result.paragraphs == ["Intro.", "The mayor said the plan was sound. She left early."]
    assert result.removed == [("Advertisement", "advertisement")]


def test_list_block_keeps_one_item_per_paragraph():
    text = "Intro sentence here.\n\n- eggs\n- flour\n* sugar\n• butter\n1. mix\n2) bake\n"
    assert clean_plain_text(text).paragraphs == [
        "Intro sentence here.",
        "- eggs",
        "- flour",
        "* sugar",
        "• butter",
        "1. mix",
        "2) bake",
    ]


def test_list_items_after_an_intro_line_start_their_own_paragraphs():
    text = "Intro.\n\nYou will need:\n- a pan\n- a lid that\n  fits well\nThen start.\n"
    assert clean_plain_text(text).paragraphs == [
        "Intro.",
        "You will need:",
        "- a pan",
        "- a lid that fits well",
        "Then start.",
    ]


def test_headings_in_the_body_are_their_own_paragraphs():
    text = "Intro text here.\n\n## Next steps\nThe plan is simple.\n\nPart two\n--------\nMore.\n"
    result = clean_plain_text(text)
    assert result.paragraphs == [
        "Intro text here.",
        "Next steps",
        "The plan is simple.",
        "Part two",
        "More.",
    ]
    assert result.removed == [("--------", "separator")]


# --- Rule 3: title --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Budget passes\n=============\n\nThe body text.\n",
        "Budget passes\n-------------\n\nThe body text.\n",
        "Budget passes\n===\nThe body text.\n",
        "# Budget passes\n\nThe body text.\n",
        "Budget passes\n\nThe body text.\n",
        "Budget passes\nThe body text.\n",
    ],
)
def test_title_forms(text):
    result = clean_plain_text(text)
    assert result.title == "Budget passes"
    assert result.paragraphs == ["The body text."]
    assert result.removed == []


@pytest.mark.parametrize(
    "first",
    ["Will the budget pass?", "The budget passed!", "Budget passes: a timeline", "2024 in review"],
)
def test_title_endings(first):
    assert clean_plain_text(f"{first}\n\nBody text here.\n").title == first


def test_setext_title_can_be_long():
    title = " ".join(["word"] * 20)
    result = clean_plain_text(f"{title}\n{'=' * 30}\n\nBody.\n")
    assert result.title == title


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("The council met today.\n\nIt voted yes.\n", id="ends-with-period"),
        pytest.param("Dear residents,\n\nThe council met.\n", id="ends-with-comma"),
        pytest.param("Agenda:\n\nThe council met.\n", id="ends-with-colon"),
        pytest.param(" ".join(["word"] * 16) + "\n\nBody.\n", id="too-many-words"),
        pytest.param("Just a short line\n", id="nothing-follows"),
        pytest.param("Just a short line\n\nAdvertisement\n", id="only-boilerplate-follows"),
        pytest.param("- first item\n- second item\n", id="list-item"),
        pytest.param("The committee said that\nthe plan was late.\n", id="wrapped-sentence"),
        pytest.param(
            "The committee met on Tuesday to consider the plans for\n"
            "Northgate and the new bridge.\n\nMore text.\n",
            id="first-line-of-a-wrapped-block",
        ),
    ],
)
def test_no_title(text):
    result = clean_plain_text(text)
    assert result.title == ""
    assert result.paragraphs[0].startswith(text.splitlines()[0])


def test_boilerplate_is_never_the_title():
    result = clean_plain_text("Share this article\n\nBudget passes\n\nThe body text.\n")
    assert result.title == "Budget passes"
    assert result.removed == [("Share this article", "share")]


def test_title_not_taken_after_body_text():
    text = "The council met today.\n\nShort line here\n\nMore text.\n"
    assert clean_plain_text(text).title == ""


def test_title_after_byline_and_date():
    text = "By Jane Smith\nMarch 3, 2024\n\nBudget passes\n\nThe body text.\n"
    result = clean_plain_text(text)
    assert (result.title, result.byline, result.published) == (
        "Budget passes",
        "Jane Smith",
        "March 3, 2024",
    )


# --- Rule 4: byline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Jane Smith", "Jane Smith"),
        ("BY JANE SMITH", "JANE SMITH"),
        ("By: Jane Smith", "Jane Smith"),
        ("By Jane Smith and John Doe, Reuters", "Jane Smith and John Doe, Reuters"),
        ("By Jane Smith, John Doe & Ann Lee", "Jane Smith, John Doe & Ann Lee"),
        ("By Jan van der Berg", "Jan van der Berg"),
        ("By Jane Smith for The Daily Ledger", "Jane Smith for The Daily Ledger"),
        ("By May Chen", "May Chen"),
        ("Von Anna Müller", "Anna Müller"),
        ("Par Marie Dupont", "Marie Dupont"),
        ("Por Juan Pérez", "Juan Pérez"),
        ("Di Marco Rossi", "Marco Rossi"),
        ("Door Jan Jansen", "Jan Jansen"),
        ("Written by Sam Lee", "Sam Lee"),
        ("Author: Kim Park", "Kim Park"),
        ("Auteur : Marie Dupont", "Marie Dupont"),
        ("By Jane Smith | Staff Writer", "Jane Smith"),
        ("By Jane Smith — Reuters", "Jane Smith"),
    ],
)
def test_byline_forms(line, byline):
    result = clean_plain_text(f"Budget passes\n\n{line}\n\n{PROSE_1}\n")
    assert result.byline == byline
    assert result.removed == [(line, "byline")]
    assert result.paragraphs == [PROSE_1]


@pytest.mark.parametrize(
    "line",
    ["By Tuesday", "By the numbers", "By then, everyone had left", "Door prizes available"],
)
def test_not_a_byline(line):
    result = clean_plain_text(f"Budget passes\n\n{line}\n\n{PROSE_1}\n")
    assert result.byline == ""
    assert result.paragraphs == [line, PROSE_1]


def test_byline_far_down_the_article_is_body_text():
    body = [f"Paragraph number {n} is here." for n in range(8)]
    text = "\n\n".join(["Budget passes", *body, "By Jane Smith"]) + "\n"
    result = clean_plain_text(text)
    assert result.byline == ""
    assert result.paragraphs[-1] == "By Jane Smith"


def test_byline_right_after_a_title_preceded_by_many_lines():
    top = ["By Jane Smith", "March 3, 2024", "Updated March 4, 2024"]
    text = "\n".join(["Share", "Tweet", *top, "Budget passes", "Von Anna Müller", PROSE_1])
    result = clean_plain_text(text)
    assert result.title == "Budget passes"
    assert result.byline == "Jane Smith"
    assert ("Von Anna Müller", "byline") in result.removed


def test_first_byline_wins_and_later_ones_are_removed():
    result = clean_plain_text(f"Budget passes\n\nBy Jane Smith\nBy John Doe\n\n{PROSE_1}\n")
    assert result.byline == "Jane Smith"
    assert result.paragraphs == [PROSE_1]


# --- Rule 5: dateline ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("March 3, 2024", "March 3, 2024"),
        ("Mar. 3, 2024", "Mar. 3, 2024"),
        ("March 3rd, 2024", "March 3rd, 2024"),
        ("3 March 2024", "3 March 2024"),
        ("2024-03-03", "2024-03-03"),
        ("2024-03-03T10:45:00Z", "2024-03-03"),
        ("Tuesday, March 3, 2024", "March 3, 2024"),
        ("Published: March 3, 2024 at 10:45 a.m. ET", "March 3, 2024"),
        ("Updated 3 March 2024 14:30 GMT", "3 March 2024"),
        ("Posted on 2024-03-03 09:00", "2024-03-03"),
        ("Last updated: Mar 3, 2024, 5:02 PM", "Mar 3, 2024"),
        ("Veröffentlicht am 3. März 2024, 14:30 Uhr", "3. März 2024"),
        ("Stand: 03.03.2024", "03.03.2024"),
        ("Publié le 3 mars 2024 à 14h30", "3 mars 2024"),
        ("Mis à jour le 1er mars 2024", "1er mars 2024"),
        ("Publicado el 3 de marzo de 2024", "3 de marzo de 2024"),
        ("Pubblicato il 3 marzo 2024", "3 marzo 2024"),
        ("03/03/2024", "03/03/2024"),
        ("Published March 3, 2024 | Updated March 4, 2024", "March 3, 2024"),
    ],
)
def test_dateline_forms(line, published):
    result = clean_plain_text(f"Budget passes\n\n{line}\n\n{PROSE_1}\n")
    assert result.published == published
    assert result.removed == [(line, "dateline")]
    assert result.paragraphs == [PROSE_1]


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Smith | March 3, 2024",
        "By Jane Smith, March 3, 2024",
        "By Jane Smith · Updated March 3, 2024 10:00 GMT",
        "March 3, 2024 | By Jane Smith",
        "By Jane Smith - March 3, 2024",
    ],
)
def test_combined_byline_and_dateline(line):
    result = clean_plain_text(f"Budget passes\n\n{line}\n\n{PROSE_1}\n")
    assert (result.byline, result.published) == ("Jane Smith", "March 3, 2024")
    assert result.removed == [(line, "byline")]


def test_wire_dateline_opening_the_first_paragraph_is_kept():
    first = "WASHINGTON (Reuters) — The Senate voted on Sunday to keep the government open."
    result = clean_plain_text(f"Senate keeps lights on\n\n{first}\n\nMore text.\n")
    assert result.paragraphs == [first, "More text."]
    assert result.published == ""


def test_wire_dateline_with_a_date_opening_the_paragraph_is_kept():
    first = "BERLIN, March 3, 2024 -- The company said on Sunday that it would hire staff."
    result = clean_plain_text(f"Company to hire\n\n{first}\n")
    assert result.paragraphs == [first]
    assert result.published == ""


def test_date_deep_in_the_body_is_kept():
    body = [f"Paragraph number {n} is here." for n in range(8)]
    text = "\n\n".join(["Diary", *body, "March 5, 2024", "We went hiking."]) + "\n"
    result = clean_plain_text(text)
    assert result.published == ""
    assert "March 5, 2024" in result.paragraphs


def test_sentence_mentioning_a_date_is_not_a_dateline():
    line = "The law was published on March 3, 2024 by the ministry."
    result = clean_plain_text(f"Budget passes\n\n{line}\n")
    assert result.published == ""
    assert result.paragraphs == [line]


# --- Rule 6: boilerplate families ------------------------------------------------------------

BOILERPLATE = {
    "share": [
        "Share",
        "SHARE:",
        "Share this article",
        "Share this story on Twitter",
        "Share on Facebook",
        "Share via Email",
        "Tweet",
        "Facebook Twitter LinkedIn Email",
        "Facebook | X | WhatsApp | Copy link",
        "Click to share on Reddit (Opens in new window)",
        "Follow us on Twitter/Instagram",
        "Follow @ledgernews on X",
        "Copy link",
        "Print",
        "Print this article",
        "Email",
        "E-mail this story",
        "Comments (12)",
        "12 comments",
        "View comments",
        "Save for later",
        "Teilen",
        "Artikel teilen",
        "Partager",
        "Partager sur Facebook",
        "Compartir",
        "Condividi",
        "Delen",
        "Compartilhar",
    ],
    "advertisement": [
        "Advertisement",
        "ADVERTISEMENT",
        "— Advertisement —",
        "[Advertisement]",
        "Ad",
        "Sponsored",
        "Sponsored content",
        "Paid content",
        "Story continues below advertisement",
        "Article continues after this advertisement",
        "Anzeige",
        "Werbung",
        "Publicité",
        "Publicidad",
        "Pubblicità",
        "Advertentie",
        "Publicidade",
    ],
    "newsletter": [
        "Sign up for our newsletter",
        "Sign up for the Morning Briefing",
        "Subscribe to The Daily Ledger",
        "Subscribe now",
        "Subscribe",
        "Get the latest headlines in your inbox",
        "Get our best stories delivered to your inbox every morning",
        "Enter your email address",
        "Already a subscriber? Log in",
        "Log in",
        "Newsletter abonnieren",
        "Abonnez-vous",
        "Abonnez-vous à notre newsletter",
        "Suscríbete",
        "Iscriviti alla newsletter",
        "Assine",
        "Unsubscribe",
        "View this email in your browser",
        "Forward to a friend",
    ],
    "related": [
        "Read more: Council approves budget after long debate",
        "READ MORE",
        "Read more »",
        "Related: Mayor signs parks bill",
        "Related articles",
        "Related stories",
        "Recommended",
        "Recommended for you",
        "You might also like",
        "More from The Daily Ledger",
        "Most popular",
        "Most read",
        "Read next",
        "Lesen Sie auch: Neue Buslinie für die Nordstadt",
        "Mehr zum Thema",
        "Lire aussi : La mairie rénove la piscine",
        "À lire aussi",
        "Sur le même sujet",
        "Lee también: El metro cierra dos estaciones",
        "Leer más",
        "Leggi anche",
        "Lees ook",
        "Leia também",
        "Leia mais",
    ],
    "caption": [
        "Photo: Jane Doe/Reuters",
        "Photograph: the old harbour at dawn",
        "Image: Council handout",
        "Picture: Sam Lee",
        "Credit: Sam Lee",
        "Photo credit Sam Lee",
        "Foto: dpa",
        "Bild: Stadtverwaltung",
        "Crédit photo : Ville de Lyon",
        "(Photo by John Doe/Getty Images)",
        "Getty Images",
        "AP Photo/Jane Doe",
        "Reuters/Jane Doe",
        "John Doe/AFP via Getty Images",
        "Image source, Getty Images",
        "Protesters gather in Paris on Monday. (AP Photo/Michel Euler)",
        "The new bridge at sunset. (Courtesy of the city council)",
        "Crowds line the streets ahead of the parade. Michel Euler/AP",
    ],
    "chrome": [
        "Skip to content",
        "Skip to main content",
        "Listen to this article",
        "Listen",
        "Listen 5 min",
        "5 min read",
        "Reading time: 4 minutes",
        "Copyright © 2024 The Daily Ledger",
        "© 2024 The Daily Ledger. All rights reserved.",
        "All rights reserved",
        "We use cookies to improve your experience",
        "Accept all cookies",
        "Back to top",
        "Loading…",
        "Loading...",
        "Image",
        "Video",
        "Updated 2 hours ago",
        "For immediate release",
    ],
    "separator": ["***", "* * *", "---", "###", "• • •"],
}
BOILERPLATE_CASES = [(reason, line) for reason, lines in BOILERPLATE.items() for line in lines]


@pytest.mark.parametrize(("reason", "line"), BOILERPLATE_CASES)
def test_boilerplate_line_is_removed(reason, line):
    result = clean_plain_text(article(line))
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert result.removed == [(line, reason)]


@pytest.mark.parametrize(
    "line",
    [
        "Share prices rose by four percent on Monday.",
        "Residents share a single well.",
        "Subscribers who renewed early got a discount.",
        "Subscribe to the view that prices will fall and you will be disappointed.",
        "Advertisement revenue fell sharply last year.",
        "Related businesses in the area have also closed.",
        "Read more slowly and the argument becomes clear.",
        "More from the mayor is expected later this week.",
        "The photo was taken in 1962.",
        "Print runs were cut in half.",
        "Sign up for the class by Friday.",
        "Listen closely to the recording.",
        "The image of the town has changed.",
        "Shares fell 3 percent (Reuters).",
        "Protesters gather in Paris on Monday.",
        "Cookies were sold at the school fair.",
    ],
)
def test_ordinary_sentences_are_kept(line):
    result = clean_plain_text(article(line))
    assert result.paragraphs == [PROSE_1, line, PROSE_2]
    assert result.removed == []


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe now. The offer ends on Friday at midnight for all readers.",
        "Share this article. Then tell your friends about the new library plans.",
        "Read more: " + " ".join(["word"] * 21),
        "Advertisement " + " ".join(["word"] * 21),
        "Protesters gather in Paris on Monday. Police watched the crowd closely all day. "
        "(AP Photo/Michel Euler)",
        "Crowds gathered in the old market square on Monday afternoon to hear the mayor speak "
        "about the plans. (AP Photo/Michel Euler)",
    ],
)
def test_long_or_multi_sentence_lines_are_never_removed(line):
    result = clean_plain_text(article(line))
    assert line in result.paragraphs
    assert result.removed == []


def test_open_prompts_do_not_fire_inside_a_wrapped_sentence():
    text = (
        "Intro.\n\nMost of the residents said that they did not\n"
        "subscribe to the idea that the town\nshould pay for it.\n"
    )
    result = clean_plain_text(text)
    assert result.removed == []
    assert result.paragraphs[-1].startswith("Most of the residents")


def test_open_prompt_followed_by_lowercase_continuation_is_kept():
    text = "Intro.\n\nThe plan failed.\nRead more: the report said that\nthe money ran out.\n"
    result = clean_plain_text(text)
    assert result.removed == []


def test_closed_prompt_is_removed_even_between_wrapped_lines():
    text = "Intro.\n\nThe mayor said the council\nAdvertisement\nwould vote again.\n"
    result = clean_plain_text(text)
    assert result.paragraphs == ["Intro.", "The mayor said the council would vote again."]


# --- Rule 6: photo descriptions without a credit ---------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Residents queue for water at a distribution point on March 3, 2024 in Kherson, Ukraine.",
        "Firefighters battle a blaze near the highway on Tuesday in Malibu, California.",
        "Volunteers clear seaweed from the promenade on 14 June 2025 in Whitby, England.",
        "A damaged building is seen on Sept. 10 in Kharkiv, Ukraine.",
        "A man walks past St. Mary's Church on Monday morning in Stoke-on-Trent, England.",
        "Mourners light candles on Saturday, March 8 in Rio de Janeiro, Brazil.",
        "Displaced residents from the villages along the river wait with their belongings for"
        " buses to the regional centre on 2024-03-03 in Kherson, Ukraine.",
    ],
)
def test_a_photo_description_is_removed_as_a_caption(line):
    result = clean_plain_text(article(line))
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert result.removed == [(line, "caption")]


@pytest.mark.parametrize(
    ("lines", "credit"),
    [
        (["Dana Whitlock/Coastline Tribune", "Protesters gather on Monday in Paris."], 0),
        (["Protesters gather on Monday in Paris.", "Jane Doe for The Daily Ledger"], 1),
    ],
)
def test_a_bare_credit_beside_a_photo_description_goes_with_it(lines, credit):
    result = clean_plain_text(article("\n".join(lines)))
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert removed_reasons(result) == dict.fromkeys(lines, "caption")


def test_a_credit_line_lets_a_weekday_and_a_city_be_enough():
    # alone, "on Monday in Paris." might be a report (below); beside a credit it is a caption
    line = "Protesters gather on Monday in Paris."
    result = clean_plain_text(article(f"{line}\nPhoto: Sam Lee"))
    assert removed_reasons(result) == {line: "caption", "Photo: Sam Lee": "caption"}


def test_a_photo_description_under_the_title_is_removed():
    caption = "Residents queue for water at a food bank on March 3, 2024 in Kherson, Ukraine."
    text = f"Water queues grow in Kherson\n{caption}\n\nBy Mark Ellison\n\n{PROSE_1}\n"
    result = clean_plain_text(text)
    assert (result.title, result.byline) == ("Water queues grow in Kherson", "Mark Ellison")
    assert result.paragraphs == [PROSE_1]
    assert removed_reasons(result)[caption] == "caption"


@pytest.mark.parametrize(
    "line",
    [
        "Protesters gather on Monday in Paris.",  # a weekday and a city, no credit
        "The previous agreement was signed on 4 May 2019 in Lyon, France.",
        "The council approved the budget on Tuesday in Leeds, England.",
        "The exhibition on the railway opens on Saturday in Lille, France.",
        "Police said residents queue for water on March 3, 2024 in Kherson, Ukraine.",
        "They queue for water every morning on March 3, 2024 in Kherson, Ukraine.",
        "Residents queue for water on March 3, 2024 in the city centre.",
        "Residents queue for water in Kherson, Ukraine on March 3, 2024.",
        '"We queue every day," she says on Monday in Kherson, Ukraine.',
        "Shelling hit the pumping station. Residents queue for water on March 3, 2024 in"
        " Kherson, Ukraine.",
        "Bewoners staan in de rij voor water op 3 maart 2024 in Cherson, Oekraïne.",
        "Sam Lee/North Coast Gazette",  # a credit-like line with no caption beside it
    ],
)
def test_sentences_like_photo_descriptions_stay(line):
    result = clean_plain_text(article(line))
    assert result.paragraphs == [PROSE_1, line, PROSE_2]
    assert result.removed == []


def test_a_photo_description_inside_a_paragraph_stays():
    text = article(
        "The city opened twelve distribution points over the weekend.\n"
        "Residents queue for water at a distribution point on March 3, 2024 in Kherson, Ukraine."
    )
    assert clean_plain_text(text).removed == []


def test_a_long_paragraph_mentioning_a_day_and_a_city_stays():
    line = (
        "Negotiators agreed to return to the table after a meeting that ran late into the night"
        " on Monday in Paris, ending a standoff that had cancelled hundreds of trains."
    )
    assert clean_plain_text(article(line)).paragraphs == [PROSE_1, line, PROSE_2]


# --- Rule 7: trailing headlines --------------------------------------------------------------


def test_headlines_after_an_announcer_are_removed():
    text = article() + "\nMore stories\nFerry times change\nLifeboat crew honoured\n"
    result = clean_plain_text(text)
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert result.removed == [
        ("More stories", "related"),
        ("Ferry times change", "trailing-headlines"),
        ("Lifeboat crew honoured", "trailing-headlines"),
    ]


def test_announcer_run_stops_at_prose():
    text = article("Related\n\nFerry times change\n\nLifeboat crew honoured")
    result = clean_plain_text(text)
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert [reason for _, reason in result.removed] == [
        "related",
        "trailing-headlines",
        "trailing-headlines",
    ]


def test_announcer_run_skips_boilerplate_between_headlines():
    text = article() + "\nRead next\nFerry times change\nAdvertisement\nLifeboat crew honoured\n"
    reasons = removed_reasons(clean_plain_text(text))
    assert reasons["Lifeboat crew honoured"] == "trailing-headlines"
    assert reasons["Advertisement"] == "advertisement"


def test_bare_trailing_run_of_headlines_is_removed():
    headlines = [
        "Parish council agrees new play area",
        "Pupils plant a hundred trees",
        "Village hall roof finally repaired",
    ]
    result = clean_plain_text(article() + "\n" + "\n".join(headlines) + "\n")
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert [line for line, _ in result.removed] == headlines


def test_two_trailing_headlines_without_announcer_are_kept():
    tail = ["Parish council agrees new play area", "Pupils plant a hundred trees"]
    result = clean_plain_text(article() + "\n" + "\n".join(tail) + "\n")
    assert result.removed == []


@pytest.mark.parametrize(
    ("intro", "tail"),
    [
        ("What to bring on the day:", ["- A valid passport", "- Proof of your address"]),
        ("Key dates", ["- Parish council agrees new play area", "- Pupils plant a hundred trees"]),
        ("", ["- The strike began on 6 May.", "- A third of trains were cancelled."]),
        ("", ["* Parish council agrees new play area", "* Pupils plant a hundred trees"]),
        ("", ["1. Parish council agrees new play area", "2. Pupils plant a hundred trees"]),
        ("", ["- two printed copies of the form", "- a recent utility bill"]),
    ],
)
def test_real_trailing_lists_are_not_headlines(intro, tail):
    # after a heading or a colon, ending in full stops, other bullets, lower case
    head = "\n\n".join(filter(None, ["Council backs new library", PROSE_1, PROSE_2, intro]))
    text = head + "\n\n" + "\n".join(tail) + "\n"
    result = clean_plain_text(text)
    assert result.removed == []
    assert result.paragraphs[-2:] == tail


@pytest.mark.parametrize("dash", ["-", "–", "—"])
def test_trailing_dashed_headlines_are_removed(dash):
    tail = [
        f"{dash} Storm closes coastal road",
        "– Lifeboat volunteers honoured for night rescue",
        f"{dash} Cliff lift reopens after winter maintenance",
    ]
    result = clean_plain_text(article() + "\nShare this article\n\n" + "\n".join(tail) + "\n")
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert [reason for _, reason in result.removed] == ["share"] + ["trailing-headlines"] * 3


def test_one_trailing_dashed_line_is_not_a_list_of_headlines():
    result = clean_plain_text(article() + "\n- Storm closes coastal road\n")
    assert result.removed == []


@pytest.mark.parametrize("tail", ["", "\nComments (6)\n"])
def test_a_single_trailing_headline_is_removed(tail):
    text = article() + "\nCouncil approves new budget for harbour repairs\n" + tail
    result = clean_plain_text(text)
    assert result.paragraphs == [PROSE_1, PROSE_2]
    assert removed_reasons(result)["Council approves new budget for harbour repairs"] == (
        "trailing-headlines"
    )


@pytest.mark.parametrize(
    "last",
    [
        "Thanks to everyone who helped!",
        "See you all next week",
        "Happy gardening",
        '"Nobody should have to wait that long for water"',
        "Will the harbour be ready in time for the winter?",
        "2025 Harbour Wall Repair Programme (Phase 2)",
        "Best wishes,\nThe harbour committee and friends",
    ],
)
def test_short_real_last_paragraphs_stay(last):
    # punctuation, a sign-off, too short, a quotation, a question, a closing bracket,
    # the last line of a paragraph
    result = clean_plain_text(article() + "\n" + last + "\n")
    assert result.removed == []
    assert result.paragraphs[-1] == " ".join(last.split())


def test_a_last_line_after_a_heading_or_colon_is_not_a_headline():
    for intro in ("Harbour office opening hours", "You can reach the office here:"):
        text = article() + f"\n{intro}\n\nHarbour Office Whitby Quay Monday to Friday\n"
        assert clean_plain_text(text).removed == [], intro


def test_a_last_line_ending_a_hard_wrapped_paragraph_is_kept():
    last = "The work will be paid for by the harbour\nCommissioners And The Town Council"
    text = article() + f"\n{last}\n"
    assert clean_plain_text(text).removed == []


def test_trailing_lines_introduced_by_a_colon_are_kept():
    tail = [
        "A valid passport or identity card",
        "Two printed copies of the form",
        "Proof of address",
    ]
    text = article("What to bring on the day:\n" + "\n".join(tail))
    result = clean_plain_text(text.replace(f"\n\n{PROSE_2}\n", "\n"))
    assert result.removed == []


def test_trailing_run_needs_prose_before_it():
    lines = ["Ferry times change at the harbour", "Lifeboat crew honoured by the town"]
    text = "Local news\n\n" + "\n".join([*lines, "Fish market reopens after renovation"]) + "\n"
    assert clean_plain_text(text).removed == []


def test_final_hard_wrapped_paragraph_is_not_a_headline_run():
    text = article() + (
        "\nThe committee will publish its findings in\nSeptember after two rounds of\n"
        "Consultation With Residents And\nBusinesses in the area.\n"
    )
    assert clean_plain_text(text).removed == []


# --- parse_date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-03", datetime.date(2024, 3, 3)),
        ("2024-3-3", datetime.date(2024, 3, 3)),
        ("2024-03-03T10:45:00Z", datetime.date(2024, 3, 3)),
        ("March 3, 2024", datetime.date(2024, 3, 3)),
        ("March 3 2024", datetime.date(2024, 3, 3)),
        ("Mar. 3, 2024", datetime.date(2024, 3, 3)),
        ("Sept 30, 2023", datetime.date(2023, 9, 30)),
        ("3 March 2024", datetime.date(2024, 3, 3)),
        ("3rd March 2024", datetime.date(2024, 3, 3)),
        ("3. März 2024", datetime.date(2024, 3, 3)),
        ("3 MÄRZ 2024", datetime.date(2024, 3, 3)),
        ("03.03.2024", datetime.date(2024, 3, 3)),
        ("3 mars 2024", datetime.date(2024, 3, 3)),
        ("1er août 2024", datetime.date(2024, 8, 1)),
        ("14 février 2024", datetime.date(2024, 2, 14)),
        ("3 de marzo de 2024", datetime.date(2024, 3, 3)),
        ("25 de diciembre de 2023", datetime.date(2023, 12, 25)),
        ("3 marzo 2024", datetime.date(2024, 3, 3)),
        ("3 maart 2024", datetime.date(2024, 3, 3)),
        ("3 de março de 2024", datetime.date(2024, 3, 3)),
        ("Published: Tuesday, March 3, 2024 at 10:45", datetime.date(2024, 3, 3)),
        ("03/03/2024 or 2024-05-01", datetime.date(2024, 5, 1)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "03/03/2024",
        "3/4/24",
        "2024/03/03",
        "February 30, 2024",
        "2024-13-01",
        "tomorrow",
        "2024",
    ],
)
def test_parse_date_returns_none(text):
    assert parse_date(text) is None


def test_parse_date_accepts_every_detected_dateline():
    for name in FIXTURE_NAMES:
        expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
        if expected["published"]:
            assert parse_date(expected["published"]) is not None, name


# --- Properties ----------------------------------------------------------------------------------

LINE_PIECES = st.sampled_from(
    [
        "",
        "   ",
        "Budget passes",
        "By Jane Smith",
        "March 3, 2024",
        "Share",
        "Advertisement",
        "Read more: Ferry times change",
        "Related",
        "- an item",
        "1. first",
        "# Heading",
        "=====",
        "----",
        "***",
        "(AP Photo/Jane Doe)",
        "The council met on Tuesday and voted.",
        "and the sentence continues here",
        "Ferry times change at the harbour",
        "WASHINGTON (Reuters) - The Senate voted.",
        "\ufeffBOM in the middle",
        "\t tabbed\tline \r",
        "Über die Brücke. Très bien!",
    ]
)
ARTICLE_LIKE = st.lists(st.one_of(LINE_PIECES, st.text(max_size=40)), max_size=30).map("\n".join)


def _assert_words_come_from(result, text):
    for part in [*result.paragraphs, result.title, result.byline, result.published]:
        for word in part.split():
            assert word in text, (word, part)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_property_arbitrary_text(text):
    result = clean_plain_text(text)
    _assert_words_come_from(result, text)
    parse_date(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLE_LIKE)
def test_property_article_like_text(text):
    result = clean_plain_text(text)
    _assert_words_come_from(result, text)
    for line, reason in result.removed:
        assert line in text.replace("\r\n", "\n").expandtabs(4) and reason  # rule 1 expands tabs
    for paragraph in result.paragraphs:
        assert paragraph == " ".join(paragraph.split()) and paragraph
