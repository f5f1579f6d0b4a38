"""Turn an article pasted or saved as plain text into clean paragraphs plus metadata.

``clean_plain_text(text)`` returns a ``PlainTextResult`` (title, byline, published,
paragraphs, removed); ``parse_date(s)`` turns the ``published`` text into a date.
``boilerplate_family``, ``header_fields``, ``announces_related`` and
``ends_with_credit`` judge one line, for the HTML cleaner (``boilerplate.py``).
Pure standard library, no Django.

The rules, in the order they are applied:

1. Normalisation. ``\\r\\n`` and ``\\r`` become ``\\n``, a leading byte-order mark
   is dropped, tabs are expanded and trailing spaces stripped.

2. Paragraph segmentation. If the text has blank lines between its non-empty
   lines, a block is a run of non-empty lines, and the lines of a block are
   joined with single spaces (hard-wrapped text is unwrapped). Boilerplate lines
   inside a block are judged and removed one by one before the join. A list item
   (a line starting "- ", "* ", "• ", "1. " or "1) ") always starts a paragraph
   of its own, so a block made only of list items keeps one line per paragraph; a
   following line joins the item only when it is indented or starts in lower
   case (a wrapped item). A "# heading" line and a setext underline ("===",
   "---") also end the block. If the text has no blank lines at all, every
   non-empty line is a paragraph. Inner whitespace is collapsed to one space.

3. Title. The first line that is not boilerplate, byline or dateline becomes
   the title, provided no body text came before it, more text follows it, and it
   is either underlined setext-style ("Title" over "=====" or "-----"), a
   "# Title" heading, or short (at most 15 words and 150 characters), not a list
   item, not ending in ". , ; : -" or an ellipsis (it may end with "?" or "!"),
   and not followed by a line starting in lower case (a wrapped sentence). When
   the next line sits in the same block, it must be a byline/dateline/boilerplate
   line or clearly longer (the title at most 70% of its length). The title is
   removed from the body and not listed in ``removed``.

4. Byline. Among the first 6 non-boilerplate lines (plus the line right after
   the title), a short line "By NAME", "Written by NAME", "Opinion by NAME",
   "Posted by NAME", "Von/Par/Por/Di/Door NAME", "Author: NAME" ... where NAME
   is capitalised words joined by
   particles ("van", "de") and conjunctions ("and", "und", "et", "y", ",") goes
   to ``byline`` without its prefix, and is removed ("byline"). A single month
   or weekday name ("By Tuesday") is not a name.

5. Dateline. In the same window, a short line that is only a date, optionally
   prefixed with "Published", "Updated", "Posted", "Veröffentlicht am", "Publié
   le", "Publicado el" ..., optionally preceded by a weekday and followed by a
   time and time zone, goes to ``published`` (the date part as written, without
   prefix, weekday or time) and is removed ("dateline"). The prefix may also be
   "Posted on", "Geplaatst op", "Press release of", "Pressemitteilung vom" ...; a
   clock time may come before the date ("Updated 6:42 PM EST, March 18, 2025"),
   a place before it ("Madrid, 16 jun 2025") and the author after it ("Posted on
   12 January 2025 by Hannah Lowe"). Segments separated by "|", "·", "•" or a
   spaced dash are judged one by one, so "By Jane Smith | March 3, 2024" fills
   both (reason "byline"), as does "By Jane Smith, March 3, 2024"; a segment that
   is boilerplate ("5 min read") is skipped. The first byline and first date
   found win. A wire dateline opening a
   paragraph ("WASHINGTON (Reuters) - The Senate ...") is body text and stays.

6. Boilerplate lines are removed wherever they occur. Only short lines are
   candidates: at most 16 words (20 for photo captions), and never a protected
   line (rule 8). Each family is matched against the whole line, after stripping
   decoration such as bullets, dashes, brackets, arrows and a trailing colon:

   - "share": share and social prompts, lines made only of network names,
     comment counters, "Print", "Email", "Copy link", and their de/fr/es/it/nl/pt
     equivalents ("Teilen", "Partager", "Compartir", "Condividi", "Delen", ...);
   - "advertisement": "Advertisement", "Ad", "Sponsored", "Paid content", "Story
     continues below advertisement", "Anzeige", "Werbung", "Publicité", ...;
   - "newsletter": sign-up, subscribe, log-in and "in your inbox" prompts, email
     chrome ("Unsubscribe", "View in browser", "Forward to a friend");
   - "related": "Read more: <headline>", "Related: ...", "Recommended", "Most
     read", "More from ...", "Lesen Sie auch: ...", "Lire aussi", "Lee también",
     "Leggi anche", "Lees ook", "Leia também", ...;
   - "caption": lines starting "Photo:", "Image:", "Credit:", "Foto:", "Bild:",
     "Crédit photo" ..., lines that are only a credit ("Getty Images", "AP
     Photo/Jane Doe", "(Photo by John Doe/Getty Images)", "Image source, Getty
     Images"), and lines that end in a credit in parentheses or after a sentence
     ("Protesters gather on Monday. (AP Photo/Michel Euler)"). An ordinary
     sentence with no credit at its end is a caption only when it is a photo
     description (below);
   - "chrome": skip links, "Listen", reading time, copyright and "All rights
     reserved", short cookie notices, "Back to top", "Loading…", "Image",
     "Video", "2 hours ago", "For immediate release", "Press release", legal
     links ("Impressum", "Privacy policy"), the labels of a page's buttons
     ("Print", "Merken", "Text size", "Jump to recipe", "Zur Startseite"), and
     lines opening a list or a value: "Tags: …", "Filed under: …", "Archivado
     en: …", "Previous post: …", "Rating: 4.5/5";
   - "separator": a line with no letters or digits ("***", "---", "###").

   A line of segments joined by " | " or " · " is boilerplate when each segment
   is ("Manage your subscription | Unsubscribe"). And a line all of whose
   sentences are calls to action or disclaimers — follow, subscribe and share
   prompts, tip-offs and contact addresses, affiliate disclosures, "the views
   expressed are the author's own", email confidentiality and "you received
   this email" notices, copyright sentences — is removed as "prompt" however
   many sentences it has (up to 45 words), in the same languages.

   Open-ended prompts ("Subscribe to ...", "Read more: ...") must not end in a
   full stop, and none of them fires on a line that continues a wrapped sentence
   (the previous line of the block ends mid-sentence and this one starts in
   lower case, or this one ends mid-sentence and the next starts in lower case).

   A photo description without a credit of its own is removed as "caption"
   too: a paragraph of one line and one sentence (up to 30 words), starting
   with a capital and not with a word that points back ("They", "But"), with
   no quotation marks, ending "on <date> in <Place>." ("on March 3, 2024 in
   Kherson, Ukraine.", "on Tuesday in Malibu, California.", "on 14 June 2025
   in Whitby, England."), whose first verb is in the present tense and shows
   a scene ("queue", "battles", "is seen"; not "said", "was", "approved").
   The date must be a calendar date, or the place have a comma ("City,
   Country"), or a credit line stand beside it. A bare credit beside it
   ("Dana Whitlock/Coastline Tribune", "Jane Doe for The Ledger") goes with
   it. The ending and the verbs are English: other languages keep such lines.

7. Trailing headlines. After a line announcing related content ("Related", "More
   stories", "Read next", "You may also like", "Mehr zum Thema", "Sur le même
   sujet" ...), the run of headline-like lines that follows (short: 2 to 15
   words, starting with a capital, digit or quote, not ending in ". , ; :", no
   email address or URL, not a list item) is removed as "trailing-headlines".
   Without an announcing line, a run of at least 3 headline-like lines of at
   least 4 words each at the very end of the text is removed too, provided an
   earlier paragraph is prose ending in sentence punctuation and the line before
   the run does not end with ":" (which introduces a list).
   Two or more lines at the very end made of a dash ("-", "–", "—") and a
   headline-like text of at least 3 words go too, when the line before them
   ends a sentence (not a heading, not ":") and an earlier paragraph is prose.
   And a single last line that is a paragraph of its own goes when it is
   headline-like with at least 4 words, starts with a capital or digit, ends
   in a letter or digit (no punctuation, no closing quote), has no first- or
   second-person word (a sign-off: "See you next week"), and the paragraph
   before it ends a sentence, with prose above.

8. Never remove a real paragraph. A line of more than 20 words, or with 2 or
   more sentences (a sentence being at least 4 words ending in ". ! ? …"), is
   never removed by rules 6 and 7 — except a line made only of prompts and a
   photo description (rule 6) — and list items are never headlines, except
   dashed ones at the very end (rule 7).

9. The note about the author. Among the last 4 lines, a line of at most 40
   words that starts with the byline's name followed by a verb ("Grace
   Whitfield is a retired teacher …", "… schreibt", "… est", "… writes") is
   removed as "author".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from newsreader.lib.extraction.caching import short_strings

__all__ = [
    "PlainTextResult",
    "announces_related",
    "boilerplate_family",
    "clean_plain_text",
    "ends_with_credit",
    "header_fields",
    "parse_date",
]


@dataclass
class PlainTextResult:
    title: str = ""
    byline: str = ""
    published: str = ""
    paragraphs: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


# Size limits used by the rules above.
MAX_BOILERPLATE_WORDS = 16
MAX_CAPTION_WORDS = 20
MAX_PROTECTED_WORDS = 20  # longer lines are always real text (rule 8)
MIN_SENTENCE_WORDS = 4  # shorter "sentences" do not count for rule 8
MAX_TITLE_WORDS = 15
MAX_TITLE_CHARS = 150
MAX_HEADER_WORDS = 16
HEADER_WINDOW = 6
MIN_TRAILING_RUN = 3
MIN_TRAILING_WORDS = 4  # words per headline in a run without an announcing line
MIN_PROSE_WORDS = 8

_I = re.IGNORECASE

# --- Structure -------------------------------------------------------------
# Lines that carry layout rather than words: list items keep their own
# paragraph, headings and setext underlines end a block.
_LIST_ITEM = re.compile(r"(?:[-*•◦▪‣]|\d{1,2}[.)])\s+\S")
_ATX_HEADING = re.compile(r"#{1,6}\s+(?=\S)")
_SETEXT_UNDERLINE = re.compile(r"={3,}|-{3,}")
# Characters stripped from both ends of a line before boilerplate matching.
_DECORATION = " -–—_*•·|[]()<>▼▲►▶»«›‹→#=~:"
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = ".!?…"
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+")
# Separators between the byline and dateline parts of one header line.
_HEADER_SPLIT = re.compile(r"\s*[|·•]\s*|\s+[-–—]\s+")

# --- Dates -----------------------------------------------------------------
# Month and weekday names of the languages whose datelines we recognise.
_MONTHS = {
    # English
    **dict.fromkeys(("january", "jan"), 1),
    **dict.fromkeys(("february", "feb"), 2),
    **dict.fromkeys(("march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    "may": 5,
    **dict.fromkeys(("june", "jun"), 6),
    **dict.fromkeys(("july", "jul"), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("october", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
    # German
    **dict.fromkeys(("januar", "jänner"), 1),
    "februar": 2,
    **dict.fromkeys(("märz", "mär"), 3),
    "mai": 5,
    "juni": 6,
    "juli": 7,
    **dict.fromkeys(("oktober", "okt"), 10),
    **dict.fromkeys(("dezember", "dez"), 12),
    # French
    **dict.fromkeys(("janvier", "janv"), 1),
    **dict.fromkeys(("février", "fevrier", "févr"), 2),
    "mars": 3,
    **dict.fromkeys(("avril", "avr"), 4),
    "juin": 6,
    **dict.fromkeys(("juillet", "juil"), 7),
    **dict.fromkeys(("août", "aout"), 8),
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    **dict.fromkeys(("décembre", "decembre", "déc"), 12),
    # Spanish
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    **dict.fromkeys(("septiembre", "setiembre"), 9),
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
    # Italian
    "gennaio": 1,
    "febbraio": 2,
    "aprile": 4,
    "maggio": 5,
    "giugno": 6,
    "luglio": 7,
    "settembre": 9,
    "ottobre": 10,
    "dicembre": 12,
    # Dutch
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "mei": 5,
    "augustus": 8,
    # Portuguese
    "janeiro": 1,
    "fevereiro": 2,
    "março": 3,
    "maio": 5,
    "junho": 6,
    "julho": 7,
    "setembro": 9,
    "outubro": 10,
    "dezembro": 12,
}
_WEEKDAYS = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    + ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun")
    + ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
    + ("sonnabend", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    + ("lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado")
    + ("domingo", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì")
    + ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
    + ("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira")
)


def _alternation(words):
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_MONTH = rf"(?:{_alternation(_MONTHS)})\b\.?"
_WEEKDAY = rf"(?:{_alternation(_WEEKDAYS)})\b\.?,?\s+(?:(?:the|le|el|den)\s+)?"
_DATE_FORMS = (
    r"(?P<iso>(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2}))"
    rf"|(?P<dmy>(?P<dd>\d{{1,2}})(?:\.|er|st|nd|rd|th|º)?\s+(?:de\s+)?(?P<dmon>{_MONTH}),?"
    r"\s+(?:de\s+|del\s+)?(?P<dy>\d{4}))"
    rf"|(?P<mdy>(?P<mmon>{_MONTH})\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}}))"
    r"|(?P<dotted>(?P<td>\d{1,2})\.(?P<tm>\d{1,2})\.(?P<ty>\d{4}))"
    r"|(?P<slashed>\d{1,2}/\d{1,2}/\d{2,4}|\d{4}/\d{1,2}/\d{1,2})"
)
_DATE = re.compile(rf"(?<!\w)(?:{_DATE_FORMS})(?!\d)", _I)
_TIME = (
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|(?:\s*(?:,|at|um|à|a las|alle|om|às|[-–—|·])\s*|\s+)"
    r"\d{1,2}(?:[:.h]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?\s?m\.?)?|\s*[ap]\.?\s?m\.?)"
    r"(?:\s*uhr|\s*hrs?)?(?:\s+\(?[a-z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?\)?)?)"
)
_DATE_PREFIX = (
    r"(?:(?:(?:first|originally|last)\s+)?(?:published|updated|posted|modified)|date|dated"
    r"|veröffentlicht|aktualisiert|zuletzt aktualisiert|erschienen|stand"
    r"|publié|mis à jour|actualisé|publicado|actualizado|pubblicato|aggiornato"
    r"|gepubliceerd|bijgewerkt|atualizado|geplaatst|publicado em"
    r"|(?:press release|news release|pressemitteilung|communiqué de presse|comunicado de prensa"
    r"|comunicato stampa|persbericht)(?:\s+(?:of|from|vom|du|del|van|de))?)"
    r"(?:\s+(?:on|am|le|el|il|em|op|at))?\s*:?\s*"
)
# "Updated 6:42 PM EST, March 18, 2025": a clock time may come first.
_LEADING_TIME = r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?)?(?:\s+[a-z]{2,5})?\s*,?\s+"
_DATELINE_BODY = (
    rf"(?:{_DATE_PREFIX})?(?:{_LEADING_TIME})?(?:{_WEEKDAY})?(?P<date>{_DATE_FORMS}){_TIME}?"
)
# A line (or header segment) that is only a date.
_DATELINE = re.compile(_DATELINE_BODY, _I)
# "By Jane Smith, March 3, 2024": a date closing a byline after a comma.
_TRAILING_DATELINE = re.compile(rf",\s*{_DATELINE_BODY}\s*$", _I)
# "Madrid, 16 jun 2025": a place, then the date (tried after bylines: "By Jane Smith, …").
_PLACED_DATELINE = re.compile(rf"[^\W\d_][\w'’.-]*(?: [^\W\d_][\w'’.-]*)?,\s+{_DATELINE_BODY}", _I)
# "Posted on 12 January 2025 by Hannah Lowe": a date, then the author.
_DATED_BYLINE = re.compile(
    rf"{_DATELINE_BODY},?\s+(?:by|par|von|por|di|door|da)\s+(?P<names>\S.*)", _I
)

# --- Bylines ---------------------------------------------------------------
# "By", "Von", "Par", ... in front of one or more capitalised names.
_BYLINE_PREFIX = re.compile(
    r"(?:written\s+by|words\s+by|story\s+by|text\s+by|reporting\s+by|reported\s+by"
    r"|(?:opinion|analysis|commentary|column|review|posted)\s+by|geplaatst\s+door|publié\s+par"
    r"|publicado\s+por|pubblicato\s+da|by"
    r"|von|par|por|di|door|authors?|autor(?:in|es)?|auteur(?:e|s)?|autore)\b\s*:?\s*",
    _I,
)
# Words allowed between the capitalised names of a byline.
_NAME_JOINERS = frozenset(("and", "und", "et", "y", "e", "en", "&", ",", "with", "mit", "avec"))
_NAME_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "do", "dos", "du")
    + ("la", "le", "bin", "ibn", "al", "ten", "ter")
    + ("the", "of", "for", "für", "pour", "para", "per", "voor", "at", "in")
)

# --- Boilerplate families (rule 6) -----------------------------------------
# Each family has "closed" patterns (the whole line is the prompt) and "open"
# ones (a prompt followed by a headline or a target). Open tails must not end
# with a full stop: headlines and prompts don't, sentences do.
_TAIL = r"\b\s*:?\s*\S.*(?<!\.)"
_SEP_TAIL = r"\s*[:|»›>\-–—]\s*\S.*(?<!\.)"
_CLOSED_END = r"[.!…]*"

_NETWORK = (
    r"(?:facebook|twitter|x|linkedin|e-?mail|whatsapp|reddit|pinterest|telegram|messenger"
    r"|flipboard|threads|bluesky|mastodon|tumblr|xing|instagram|youtube|tiktok|snapchat"
    r"|print|sms|copy link)"
)
_NETWORKS = rf"{_NETWORK}(?:(?:\s*[|,/·•&]\s*|\s+and\s+|\s+){_NETWORK})*"
_COUNT = r"(?:\s*\(?\d+\)?)?"

# Sharing and social prompts: the buttons next to an article, copied as text.
_SHARE = re.compile(
    rf"(?:{_NETWORKS}"
    r"|share(?:\s+(?:this|the))?"
    r"(?:\s+(?:article|story|post|page|link|video|gallery|recipe|review|obituary))?"
    rf"(?:\s+(?:on|via|to|with)\s+{_NETWORKS})?"
    r"|tweet(?: this)?|pin it(?: for later)?"
    r"|click to (?:share|email|print|tweet)(?:\s+(?:on|this|via)\b.*)?"
    rf"|follow (?:us|me|@\w+)(?:\s+on\s+{_NETWORKS})?"
    r"|copy (?:the )?(?:link|url|article link)|link copied|copied"
    r"|print(?: (?:this )?(?:article|page|story))?"
    r"|e-?mail(?: (?:this )?(?:article|story|page|link))?"
    rf"|(?:(?:view|show|read|see|join the|leave a|add a|post a)\s+)?comments?{_COUNT}"
    r"|\d+\s+comments?"
    r"|save(?: (?:this )?(?:article|story|for later))?|gift (?:this )?article|bookmark"
    r"|(?:diesen )?artikel teilen|teilen|partager(?: (?:cet article|l'article|sur \w+))?"
    r"|compartir(?: en \w+)?|condividi(?: su \w+)?|delen|deel (?:dit )?artikel"
    r"|compartilhar|compartilhe|partilhar(?: (?:no|em) \w+)?|deel dit (?:bericht|verhaal)"
    r"|compártelo|condividilo"
    r"|(?:leave|post|add|write) a (?:comment|reply)|laisser un commentaire"
    r"|deja (?:un|tu) comentario"
    r"|lascia un commento|laat een reactie achter|deixe (?:um|seu) comentário"
    r"|kommentar (?:schreiben|verfassen|hinterlassen)|réagir(?: à cet article)?"
    r"|commenter(?: cet article)?|comentar|commenta(?: l'articolo)?|reageer(?: op dit artikel)?"
    # "Deel op WhatsApp", "Teilen auf Facebook": a verb or two, then "on" a network.
    rf"|(?:[\w'’-]+\s+){{1,3}}(?:on|auf|bei|sur|en|su|op|no|na|via|per|em)\s+{_NETWORKS}"
    rf"|(?:kommentare|commentaires?|comentarios?|commenti|reacties|comentários){_COUNT})"
    + _CLOSED_END,
    _I,
)

# Advertising slots: the label survives copy-paste even when the ad does not.
_ADVERTISEMENT = re.compile(
    r"(?:advertisement|advert|ads?|sponsored(?: (?:content|post|story|article|by .+)|: .+)?"
    r"|paid (?:content|post|partnership|promotion)|(?:paid )?partner content"
    r"|promoted(?: content| stories)?"
    r"|(?:story|article|text) continues (?:below|after)(?: (?:this|the))?"
    r"(?: (?:advertisement|ad|advert))?"
    r"|continue reading (?:below|after the (?:ad|advertisement))"
    r"|scroll (?:down )?to continue(?: (?:reading|with content))?|weiter nach der anzeige"
    r"|anzeige|werbung|publicité|publicidad|pubblicità|advertentie|publicidade)" + _CLOSED_END,
    _I,
)

# Newsletter, subscription and account prompts, plus the chrome of an email.
_NEWSLETTER = re.compile(
    r"(?:sign up(?: (?:now|today|here|free|for free))?|subscribe(?: (?:now|today|here|for free))?"
    r"|enter your e-?mail(?: address)?(?: here)?|your e-?mail(?: address)?|e-?mail address"
    r"|already (?:a subscriber|subscribed|have an account|registered)\??"
    r"(?: (?:log|sign) in(?: here)?)?"
    r"|(?:log|sign) in(?: to (?:continue|read|comment))?"
    r"|(?:free |daily |weekly )?newsletters?(?: sign-?up)?"
    r"|(?:join|subscribe to) our (?:mailing list|newsletter)"
    r"|support (?:our|independent|quality) journalism|become a (?:member|subscriber|supporter)"
    r"|donate(?: now| today)?"
    r"|unsubscribe(?: from (?:this list"
    r"|(?:our |these |all )?(?:emails|newsletters|press releases)))?"
    r"|view (?:this (?:email|newsletter) )?(?:in (?:your |a )?browser|online)"
    r"|abmelden|newsletter abbestellen|(?:diese )?e-mail im browser (?:anzeigen|öffnen)"
    r"|se désabonner|se désinscrire|darse de baja|cancelar (?:la )?suscripción"
    r"|disiscriviti|(?:annulla|cancella) (?:l')?iscrizione"
    r"|afmelden(?: voor (?:deze |onze )?\w+)?|uitschrijven"
    r"|cancelar (?:a )?subscrição|descadastrar"
    r"|forward (?:this )?(?:email )?to a friend"
    r"|update (?:your )?(?:email )?preferences|manage (?:your )?(?:subscription|preferences)"
    r"|newsletter abonnieren|jetzt abonnieren|abonnieren|s'abonner|abonnez-vous|inscrivez-vous"
    r"|suscr[ií]bete|suscr[ií]base|iscriviti|abbonati|assine|abonneer|inscreva-se)" + _CLOSED_END,
    _I,
)
_NEWSLETTER_OPEN = re.compile(
    rf"(?:(?:sign up|subscribe|register) (?:for|to)|get (?:the|our|more|your)){_TAIL}"
    r"|(?:[\w'’-]+\s+){1,4}(?:newsletter|boletín|infolettre|nieuwsbrief)(?:\s+[\w'’-]+){0,3}(?<!\.)"
    r"|.*\b(?:in|to) your inbox\b.*"
    r"|you(?:'re|’re| are) receiving this (?:email|newsletter|message) because\b.*"
    rf"|(?:abonnez-vous|inscrivez-vous|suscr[ií]bete|iscriviti|abbonati|assine|abonneer"
    rf"|schrijf je in|inscreva-se){_TAIL}",
    _I,
)

# Lines that announce a list of other stories (rule 7 uses them as a trigger).
_ANNOUNCER = re.compile(
    r"(?:related(?: (?:articles?|stories|story|content|coverage|links|posts|reading|topics|news"
    r"|videos?|reviews|guides|recipes|galleries))?"
    r"|more (?:stories|news|articles|headlines|coverage|to read|like this)"
    r"|(?:read|watch|up) next|what to read next|next (?:story|article)"
    r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|we recommend"
    r"|recommended(?: (?:for you|reading|stories|articles|videos))?"
    r"|suggested (?:reading|articles|stories)|further reading|see also|read more|also read"
    r"|read also|most (?:popular|read|viewed|shared|emailed|commented)"
    r"|popular (?:now|stories|articles)|top stories|trending(?: now| stories)?"
    r"|editor['’]?s['’]? picks|don['’]?t miss|in case you missed it|latest (?:news|stories)"
    r"|mehr zum thema|weitere artikel|das könnte (?:sie|dich) auch interessieren"
    r"|auch interessant|meistgelesen(?:e artikel)?|lesen sie auch|zum thema"
    r"|(?:à )?lire aussi|à lire également|sur le même sujet|dans la même rubrique|les plus lus"
    r"|(?:à )?voir aussi|noticias relacionadas|te puede interesar|lo más leído|lee también"
    r"|te recomendamos|más noticias|leggi anche|potrebbe interessarti|ti potrebbe interessare"
    r"|i più letti|articoli correlati|lees ook|meest gelezen|gerelateerde artikelen|meer nieuws"
    r"|leia também|veja também|mais lidas|notícias relacionadas"
    r"|vous aimerez aussi|ça pourrait vous intéresser|sie könnten auch mögen"
    r"|(?:también )?te puede gustar|potrebbe piacerti|dit vind je misschien ook leuk"
    r"|você também pode gostar|mehr (?:nachrichten|artikel|news|themen))"
    r"(?: (?:anche|also|auch|aussi|también|também|ook))?"
    + _CLOSED_END
    # "More from The Daily Ledger": a free tail, so no closing full stop.
    + rf"|more (?:from|on|about|in) {_TAIL}"
    + r"|(?:mehr (?:nachrichten |artikel |news )?(?:aus|von|zu|zum)|plus d'articles (?:de|sur)"
    + r"|más noticias de|altre notizie (?:da|su)|meer nieuws (?:uit|over)"
    + rf"|mais notícias (?:de|sobre)) {_TAIL}",
    _I,
)
# Read-more and related-content links, alone or followed by another headline.
_RELATED = re.compile(
    rf"{_ANNOUNCER.pattern}"
    r"|(?:see more|show more|continue reading|keep reading|weiterlesen|mehr lesen|lire la suite"
    r"|leer más|seguir leyendo|continua a leggere|lees (?:meer|verder)|leia mais|saiba mais)"
    + _CLOSED_END,
    _I,
)
_RELATED_OPEN = re.compile(
    r"(?:read more|related(?: (?:articles?|stories|story|content|coverage))?|see also|also read"
    r"|read also|lesen sie (?:auch|mehr|hier)|mehr dazu|mehr zum thema|(?:à )?lire aussi"
    r"|(?:à )?voir aussi|lee (?:también|más)|leer más|leggi anche|lees (?:ook|meer)"
    rf"|leia (?:também|mais)|veja também|saiba mais){_SEP_TAIL}"
    rf"|more (?:from|on|about) {_TAIL}",
    _I,
)

# Photo captions and credits: the words under a picture that was not copied.
_AGENCY = (
    r"(?:AP|AFP|Reuters|Getty Images|Getty|EPA(?:-EFE)?|EFE|Bloomberg|dpa|picture[ -]alliance"
    r"|Shutterstock|Alamy|iStock(?:photo)?|Anadolu(?: Agency)?|NurPhoto|SOPA Images"
    r"|Sipa(?: USA)?|Xinhua|Keystone|ANP|ANSA|Europa Press|Associated Press"
    r"|Agence France-Presse|Pool|Handout|Wikimedia Commons|Unsplash|Pexels)"
)
_PICTURE_WORDS = r"(?:photo|images|pictures)"
_CREDIT_BY = (
    r"(?:photo(?:graph)?|image|picture|illustration|video|graphic)s?\s*"
    r"(?:by|courtesy of|credit:?|:)\s*[^()]+"
)
_CREDIT_AGENCY_FIRST = rf"{_AGENCY}(?:\s+{_PICTURE_WORDS})?(?:\s*/\s*[^()/]+)+"
_CREDIT_AGENCY_LAST = (
    rf"[^()/]{{1,60}}/\s*{_AGENCY}(?:\s+{_PICTURE_WORDS})?(?:\s+(?:via|for)\s+[^()]+)?"
)
_CREDIT_COURTESY = r"courtesy(?: of)?\s+[^()]+"
_CREDIT_AGENCY_ONLY = rf"{_AGENCY}(?:\s+{_PICTURE_WORDS})?"
_CREDIT_PICTURE_AGENCY = (
    rf"{_AGENCY}\s+{_PICTURE_WORDS}|getty images|shutterstock|alamy|istock(?:photo)?"
)
_CAPTION_PREFIX = re.compile(
    r"(?:(?:photo(?:graph)?s?|images?|pictures?|pictured|credits?|photo credits?|image credits?"
    r"|illustration|caption|fotos?|bild|bildquelle|bildunterschrift|crédits?(?: photo)?|légende"
    r"|fotografía|imagen|crédito|immagine|afbeelding)\s*:\s*\S.*"
    r"|(?:photo credit|crédit photo)\b.*"
    r"|image (?:source|caption)\s*,\s*.+)",
    _I,
)
_CREDIT_ONLY = re.compile(
    rf"(?:{_CREDIT_BY}|{_CREDIT_AGENCY_FIRST}|{_CREDIT_AGENCY_LAST}|{_CREDIT_COURTESY}"
    rf"|{_CREDIT_AGENCY_ONLY})",
    _I,
)
_ENDS_WITH_CREDIT = re.compile(
    rf".*\S\s*\((?:{_CREDIT_BY}|{_CREDIT_AGENCY_FIRST}|{_CREDIT_AGENCY_LAST}|{_CREDIT_COURTESY}"
    rf"|{_CREDIT_PICTURE_AGENCY})\)"
    rf"|.*[.!?][\"'”’]?\s+(?:{_CREDIT_AGENCY_FIRST}|{_CREDIT_AGENCY_LAST})",
    _I,
)

# Page chrome: navigation, audio players, reading time, legal lines, cookies.
_CHROME = re.compile(
    r"(?:skip to (?:main )?(?:content|navigation|search|main|footer)|jump to (?:content|navigation)"
    r"|zum inhalt springen|aller au contenu|ir al contenido"
    r"|listen(?: (?:to )?(?:this )?(?:article|story|now|live))?(?: \d+:\d+| \d+ min(?:ute)?s?)?"
    r"|play audio|audio"
    r"|(?:artikel|beitrag) (?:anhören|vorlesen lassen)|(?:é|e)couter (?:cet |l')article"
    r"|escuchar (?:este|el) artículo|ascolta (?:l'articolo|questo articolo)"
    r"|luister naar (?:dit|het) artikel|ouvir (?:este|o) artigo"
    r"|\d+\s*(?:min|mins|minutes?|minuten|minutos|minuti)\.?"
    r"(?: (?:read|reading time|de lecture|de lectura|lesezeit|leestijd|lettura|de leitura))?"
    r"|(?:estimated )?(?:reading time|read time|lesezeit|lesedauer|temps de lecture"
    r"|tiempo de lectura|tempo di lettura|leestijd|tempo de leitura)\s*:?\s*"
    r"(?:about |approx\.? |ca\.? |environ |unos )?"
    r"\d+\s*(?:min|mins|minutes?|minuten|minutos|minuti)"
    r"|(?:copyright|©|\(?c\))\s.*|all rights reserved|alle rechte vorbehalten"
    r"|tous droits réservés|todos los derechos reservados|tutti i diritti riservati"
    r"|alle rechten voorbehouden|todos os direitos reservados"
    r"|we use cookies\b.*|(?:accept|reject|manage)(?: all)? cookies"
    r"|cookie (?:settings|policy|preferences|notice)"
    r"|back to top|(?:zurück )?nach oben|retour en haut(?: de (?:la )?page)?|volver arriba"
    r"|torna su|terug naar boven|voltar ao topo"
    r"|loading(?:\.\.\.|…)?|images?|video|photo|gallery|watch(?: video| now)?|play video"
    r"|(?:view|open|see) (?:image|photo|gallery|video)s?(?: \d+)?|menu|close"
    r"|(?:updated |posted |published )?\d+ (?:minutes?|mins?|hours?|hrs?|days?|weeks?) ago"
    r"|for immediate release|ends"
    r"|impressum(?: \| datenschutz)?|datenschutz(?:erklärung)?|mentions légales|aviso legal"
    r"|privacy policy|terms of (?:use|service)|cookie policy|política de privacidad"
    r"|politique de confidentialité|informativa (?:sulla )?privacy|privacybeleid|privacyverklaring"
    r"|política de privacidade|política de cookies|nutzungsbedingungen|conditions d'utilisation"
    r"|was this (?:page|article) (?:helpful|useful)\??"
    r"|sent from my (?:phone|iphone|ipad|android(?: phone)?|mobile)"
    r"|buy (?:it )?now|shop now|send flowers|sign (?:the|our) guest ?book"
    # the labels of a page's buttons: print, save, text size, read aloud, send, home
    r"|(?:print|save) (?:recipe|the recipe)|drucken"
    r"|imprimer(?: (?:la recette|l'article|cet article))?"
    r"|imprimir|stampa|afdrukken|merken|speichern|enregistrer|sauvegarder|guardar|salva|opslaan"
    r"|(?:add to|save to) (?:my )?(?:favou?rites|reading list)|zu favoriten hinzufügen"
    r"|ajouter à (?:mes )?favoris|añadir a favoritos|aggiungi ai preferiti"
    r"|text size|font size|schriftgröße|taille du texte|tamaño de(?:l)? (?:letra|texto)"
    r"|dimensione (?:del )?testo|tekstgrootte|tamanho (?:do )?texto"
    r"|vorlesen|lire à voix haute|leer en voz alta|leggi ad alta voce|voorlezen"
    r"|send by e-?mail|(?:per )?e-?mail (?:senden|versenden)|envoyer par (?:e-?mail|courriel)"
    r"|enviar por (?:correo|e-?mail)|invia per e-?mail|(?:per )?e-?mail versturen"
    r"|jump to recipe|zum rezept|aller à la recette|ir a la receta|vai alla ricetta"
    r"|naar (?:het )?recept"
    r"|(?:back to|go to) (?:the )?home ?page|zur startseite|retour à l'accueil"
    r"|volver a (?:la )?portada|torna alla home(?: ?page)?|terug naar (?:de )?home(?:page)?"
    r"|voltar à página inicial"
    r"|community guidelines|netiquette|normas de participación|règles de (?:la )?modération"
    r"|regole della community|huisregels"
    r"|(?:press release|news release|pressemitteilung|communiqué de presse|comunicado de prensa"
    r"|comunicato stampa|persbericht|comunicado de imprensa|nota de imprensa|nota de prensa))"
    + _CLOSED_END,
    _I,
)

# Calls to action: follow, subscribe, share, tip-off and app prompts. A line all
# of whose sentences are prompts is boilerplate however many sentences it has
# ("Get the latest news in your inbox. Subscribe to our newsletters.").
_NETWORK_NAMES = (
    r"(?:twitter|x|facebook|instagram|linkedin|youtube|tiktok|threads|bluesky|mastodon"
    r"|telegram|whatsapp|pinterest|snapchat|flipboard|google news)"
)
_PROMPT_SENTENCE = re.compile(
    r"(?:(?:please )?(?:sign up|subscribe|register)(?: now| today| here| for free)?[.!]*$"
    r"|(?:please )?(?:sign up|subscribe|register|join|opt in)\b[^.!?]{0,60}"
    r"\b(?:newsletters?|inbox|mailing list|alerts|podcast|channel|digest|briefing|updates)\b"
    rf"|(?:follow|find|join|like)\b[^.!?]{{0,60}}\bon {_NETWORK_NAMES}\b"
    r"|follow (?:us|me|him|her|them|@\w+)\b"
    r"|(?:like|liked|enjoy(?:ed)?|love(?:d)?) (?:this|the) (?:story|article|post|newsletter)\b"
    r"|did you (?:like|enjoy) (?:this|the) (?:story|article|post|newsletter)\b"
    r"|share (?:it|this|the (?:story|article|post))\b[^.!?]{0,40}\bwith\b"
    r"|(?:click|tap) here to (?:subscribe|sign up|register|join|follow"
    r"|get (?:the|our) [^.!?]{0,30}app)\b"
    r"|get (?:the|our|all the|your)\b[^.!?]{0,80}"
    r"\b(?:inbox|newsletters?|app|alerts|delivered)\b"
    r"|(?:download|install|get) (?:the|our) [^.!?]{0,30}\bapp\b"
    r"|(?:have|got) a (?:news |story )?tip\b"
    r"|[^.!?]{0,60}\b(?:may|can) be (?:reached|contacted|emailed) at\b"
    r"|(?:contact|email|e-mail|write to|reach) (?:the (?:author|reporter|writer|editor)s?|us"
    r"|him|her|them|[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}) at \S+@\S+"
    r"|thanks? (?:you )?for (?:signing up|subscribing|reading|registering)\b"
    r"|keep an eye on your inbox\b|check your inbox\b"
    r"|(?:sorry|oops)[!.,]*$|there was an error processing your (?:subscription|request)\b"
    r"|(?:¿)?(?:te ha gustado|did you find this (?:useful|helpful))\b"
    r"|(?:compártelo|compártela|compartilhe|partagez(?:-le)?|condividilo|teilen sie (?:ihn|es))\b"
    r"|(?:copyright|©)\s*(?:\(c\)\s*)?\d{4}\b|all rights reserved\b"
    r"|(?:this|the) (?:post|article|page|review|story) (?:contains|includes) affiliate links\b"
    r"|(?:if|when) you (?:buy|shop|click) [^.!?]{0,60}\bwe (?:may|might) (?:earn|receive|get)\b"
    r"|we (?:may|might) (?:earn|receive) (?:a )?(?:small )?(?:commission|share)\b"
    r"|our (?:reviews|recommendations) are (?:independent|editorially independent)\b"
    r"|the (?:views|opinions) expressed (?:here |in this [a-z]+ )?are"
    r" (?:the author'?s'?|those of)\b"
    r"|this (?:e-?mail|message)(?: and any (?:attachments|files)[^.!?]{0,30})?"
    r" (?:is|are|may be) (?:confidential|privileged)\b"
    r"|(?:copyright|©)\b[^.!?]{0,80}\ball rights reserved\b"
    r"|this material may not be (?:published|reproduced)\b"
    r"|you(?:'re|’re| are) (?:currently )?(?:a )?free subscriber\b"
    r"|upgrade (?:your subscription|to (?:a )?paid)\b"
    r"|have your say\b|send (?:us )?your (?:letters|views|comments)\b"
    r"|you(?:'re|’re| are) receiving this (?:e-?mail|newsletter|message)\b"
    r"|sie erhalten diese (?:e-mail|nachricht|newsletter)\b"
    r"|vous recevez ce (?:courriel|message|mail|e-mail)\b"
    r"|(?:having )?trouble (?:viewing|reading) this (?:e-?mail|message|newsletter)\b"
    r"|non visualizzi correttamente (?:questa|la) (?:e-?mail|newsletter)\b"
    r"|(?:wird )?diese (?:e-mail|nachricht) (?:wird )?nicht (?:richtig|korrekt) angezeigt\b"
    r"|si ce (?:message|courriel|mail) ne s'affiche pas correctement\b"
    r"|si no (?:ves|puedes ver) (?:bien |correctamente )?este (?:correo|e-?mail|mensaje)\b"
    r"|(?:wordt )?deze e-?mail niet goed weergegeven\b|não consegue ver este e-?mail\b"
    r"|hai ricevuto questa (?:e-?mail|newsletter|comunicazione)\b"
    r"|has recibido este (?:correo|e-?mail|mensaje)\b|u ontvangt deze e-?mail\b"
    r"|(?:click here|tap here|clicca qui|cliquez ici|klicken sie hier|haz clic aquí|klik hier"
    r"|clique aqui)[.!]*$"
    r"|view (?:it|this (?:e-?mail|message|newsletter)) (?:online|in (?:your|a) browser)\b"
    r"|you (?:have )?received this (?:e-?mail|newsletter|message)\b"
    r"|(?:dann )?(?:teile|teilen sie|partilhe|compartilhe|comparte|condividi|partage|partagez"
    r"|deel)\b[^.!?]{0,50}\b(?:freund\w*|amig[oa]s|amis|amici|vrienden|friends)\b"
    r"|(?:hat (?:dir|ihnen) (?:der|dieser|das|die) \w+ gefallen|gostou|vous avez aimé"
    r"|ti è piaciuto|vond je dit)\b"
    r"|(?=[^.!?]{0,120}\b(?:affiliate|affiliazione|d'affiliation|affiliés|afiliad[oa]s|afiliação)\b)"
    r"[^.!?]{0,120}\b(?:links?|liens?|enlaces?|collegamenti|ligações)\b"
    r"|folgen sie uns\b|abonnieren sie\b|melden sie sich\b[^.!?]{0,60}\b(?:an|newsletter)\b"
    r"|suivez-nous\b|abonnez-vous\b|inscrivez-vous\b"
    r"|s[ií]guenos\b|suscr[ií]bete\b|reg[ií]strate\b"
    r"|seguici\b|iscriviti\b|abbonati\b"
    r"|volg (?:ons|ons op)\b|schrijf je in\b|abonneer\b"
    r"|siga-nos\b|assine\b|inscreva-se\b)",
    _I,
)
_PROMPT_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+")
MAX_PROMPT_WORDS = 45


def _is_prompt_line(core):
    """True if every sentence of the line is a call to action."""
    if len(core.split()) > MAX_PROMPT_WORDS or not _PROMPT_SENTENCE.match(core):
        return False
    sentences = [piece for piece in _PROMPT_SENTENCE_SPLIT.split(core) if piece.strip()]
    return bool(sentences) and all(_PROMPT_SENTENCE.match(piece) for piece in sentences)


# Page chrome followed by a list or a value: tags, press contacts, agency notices.
_CHROME_OPEN = re.compile(
    r"(?:tags?|tagged|filed under|schlagwörter|stichwörter|étiquettes|mots-clés|etiquetas"
    r"|tag|trefwoorden|categories|kategorien|catégories|categorías)\s*:\s*\S.*"
    r"|riproduzione riservata.*|our standards\s*:.*"
    r"|(?:archivado en|abgelegt unter|classé dans|archiviato in|gearchiveerd onder|arquivado em)"
    r"\s*:?\s*\S.*"
    r"|(?:previous|next|older|newer) (?:post|article|story|entry)\s*:?(?:\s+\S.*)?"
    r"|(?:vorheriger|nächster) (?:beitrag|artikel)\s*:?(?:\s+\S.*)?"
    r"|(?:article )?(?:précédent|suivant)\s*:?(?:\s+\S.*)?"
    r"|(?:entrada|artículo|articolo) (?:anterior|siguiente|precedente|successivo)\s*:?(?:\s+\S.*)?"
    r"|(?:vorige|volgende) (?:post|bericht|artikel)\s*:?(?:\s+\S.*)?"
    r"|(?:rating|note|bewertung|valoración|voto|beoordeling|avaliação)\s*:?\s*\d[\d,.]*\s*/\s*\d+.*",
    _I,
)

# (reason, closed pattern, open pattern or None), tried in order.
_FAMILIES = (
    ("share", _SHARE, None),
    ("advertisement", _ADVERTISEMENT, None),
    ("newsletter", _NEWSLETTER, _NEWSLETTER_OPEN),
    ("related", _RELATED, _RELATED_OPEN),
    ("chrome", _CHROME, _CHROME_OPEN),
)


# --- Public API --------------------------------------------------------------


def clean_plain_text(text: str) -> PlainTextResult:
    """Split a plain-text article into title, byline, date and body paragraphs."""
    blocks, texts = _segment(_normalise(text or ""))
    reasons = _boilerplate_reasons(blocks, texts)
    hidden: set[int] = set()  # the title and its underline: consumed, not "removed"
    _mark_bare_captions(blocks, texts, reasons, hidden)
    title, byline, published = _read_header(blocks, texts, reasons, hidden)
    # Again without the title: a caption pasted in the title's block stands alone now.
    _mark_bare_captions(blocks, texts, reasons, hidden)
    _mark_author_note(texts, reasons, hidden, byline)
    _mark_trailing_headlines(blocks, texts, reasons, hidden)
    _mark_trailing_dashed_headlines(blocks, texts, reasons, hidden)
    _mark_trailing_headline(blocks, texts, reasons, hidden)
    kept = [reason is None and i not in hidden for i, reason in enumerate(reasons)]
    return PlainTextResult(
        title=title,
        byline=byline,
        published=published,
        paragraphs=_assemble(blocks, texts, kept),
        removed=[(texts[i], reason) for i, reason in enumerate(reasons) if reason],
    )


# --- One line at a time (for the HTML cleaner, which has blocks instead of lines) ---


def boilerplate_family(line: str) -> str | None:
    """The boilerplate family of one stand-alone line (rules 6 and 8), or None for text."""
    return _boilerplate_reason(line)


# Cached: the HTML cleaner asks again for the same lines when it cleans a second
# extraction of the page, and a site's byline and date lines recur.
@short_strings(maxsize=4096)
def header_fields(line: str) -> tuple[str, str] | None:
    """(byline, date as written) if the line is only byline and/or dateline material."""
    return _header_fields(line)


def announces_related(line: str) -> bool:
    """True for a line announcing a list of other stories ("Related", "Lesen Sie auch")."""
    if len(line) > 80:
        return False
    return bool(_ANNOUNCER.fullmatch(_core(line)))


def ends_with_credit(line: str) -> bool:
    """True for a caption ending with a picture credit ("… (AP Photo/Jane Doe)")."""
    return bool(_ENDS_WITH_CREDIT.fullmatch(line))


def parse_date(s: str) -> datetime.date | None:
    """Return the first unambiguous date written in ``s``, or None.

    Understands ISO dates (2024-03-03, with or without a time), "March 3, 2024",
    "Mar. 3, 2024", "3 March 2024", "3rd March 2024", German "3. März 2024" and
    "03.03.2024", French "3 mars 2024" / "1er mars 2024", Spanish and Portuguese
    "3 de marzo de 2024", Italian "3 marzo 2024", Dutch "3 maart 2024". Slashed
    numeric dates ("03/03/2024") are skipped: day and month order is unknown.
    """
    for match in _DATE.finditer(s or ""):
        if match["slashed"]:
            continue
        day = _date_from_match(match)
        if day is not None:
            return day
    return None


# --- Rule 1 and 2: normalisation and segmentation -----------------------------


def _normalise(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return [line.expandtabs(4).rstrip() for line in text.split("\n")]


def _segment(lines):
    """Return parallel lists: the block number and the stripped text of each non-empty line."""
    stripped = [line.strip() for line in lines]
    filled = [i for i, text in enumerate(stripped) if text]
    has_blank = bool(filled) and any(not stripped[i] for i in range(filled[0], filled[-1]))
    blocks, texts = [], []
    block = 0
    for text in stripped:
        if not text:
            block += 1
            continue
        own_block = not has_blank or _ATX_HEADING.match(text) or _SETEXT_UNDERLINE.fullmatch(text)
        if own_block and blocks and blocks[-1] == block:
            block += 1
        blocks.append(block)
        texts.append(text)
        if own_block:
            block += 1
    return blocks, texts


def _assemble(blocks, texts, kept):
    """Join the kept lines of each block; list items start paragraphs of their own."""
    paragraphs: list[list[str]] = []
    last_block = None
    for i, text in enumerate(texts):
        if not kept[i]:
            continue
        if _ATX_HEADING.match(text):
            text = _ATX_HEADING.sub("", text, count=1)
        if (
            blocks[i] != last_block
            or not paragraphs
            or _starts_paragraph_in_block(text, paragraphs)
        ):
            paragraphs.append([])
        paragraphs[-1].append(text)
        last_block = blocks[i]
    joined = (" ".join(" ".join(lines).split()) for lines in paragraphs)
    return [paragraph for paragraph in joined if paragraph]


def _starts_paragraph_in_block(text, paragraphs):
    if _LIST_ITEM.match(text):
        return True
    in_list_item = bool(_LIST_ITEM.match(paragraphs[-1][0]))
    return in_list_item and not text[:1].islower()


# --- Rule 3, 4 and 5: title, byline, dateline ---------------------------------


def _read_header(blocks, texts, reasons, hidden):
    """Find the title, byline and dateline near the top; mark the lines they used."""
    title = byline = published = ""
    seen = 0
    after_title = None
    body_started = False
    for i, text in enumerate(texts):
        if reasons[i] is not None or i in hidden:
            continue
        seen += 1
        if seen > HEADER_WINDOW and i != after_title:
            break
        fields = _header_fields(text)
        if fields:
            byline = byline or fields[0]
            published = published or fields[1]
            reasons[i] = "byline" if fields[0] else "dateline"
            continue
        if not title and not body_started:
            found = _title_at(i, blocks, texts, reasons)
            if found:
                title, underline = found
                hidden.add(i)
                if underline is not None:
                    reasons[underline] = None
                    hidden.add(underline)
                after_title = _next_open(i, reasons, hidden)
                continue
        body_started = True
    return title, byline, published


def _title_at(i, blocks, texts, reasons):
    """Return (title, underline index or None) if line i is the article's title."""
    text = texts[i]
    underline = i + 1 if i + 1 < len(texts) and _SETEXT_UNDERLINE.fullmatch(texts[i + 1]) else None
    following = _next_open(underline if underline is not None else i, reasons, set())
    if following is None:
        return None  # a title must be followed by more text
    if underline is not None:
        return _collapse(text), underline
    if _ATX_HEADING.match(text):
        return _collapse(_ATX_HEADING.sub("", text, count=1)), None
    if not _looks_like_title(text) or texts[following][:1].islower():
        return None
    if blocks[i + 1] == blocks[i] and not _title_fits_block(text, texts[i + 1], reasons[i + 1]):
        return None
    return _collapse(text), None


def _looks_like_title(text):
    last = _last_char(text)
    return (
        len(text.split()) <= MAX_TITLE_WORDS
        and len(text) <= MAX_TITLE_CHARS
        and not _LIST_ITEM.match(text)
        and bool(last)
        and last not in ".,;:-–—…"
    )


def _title_fits_block(text, next_text, next_reason):
    """A first line sharing its block is a title only if the next line is clearly not its tail."""
    if next_reason is not None or _header_fields(next_text):
        return True
    starts_upper = next_text[:1].isupper() or next_text[:1].isdigit()
    return starts_upper and len(text) <= 0.7 * len(next_text)


def _next_open(i, reasons, hidden):
    """Index of the first line after i that is neither boilerplate nor consumed."""
    for j in range(i + 1, len(reasons)):
        if reasons[j] is None and j not in hidden:
            return j
    return None


def _header_fields(text):
    """Return (byline, date) if the whole line is byline and/or dateline material."""
    if len(text.split()) > MAX_HEADER_WORDS:
        return None
    whole = _header_segment(text)
    if whole[0] or whole[1]:
        return whole
    byline = published = ""
    for segment in _HEADER_SPLIT.split(text):
        segment = segment.strip(" ,;")
        if not segment:
            continue
        name, day = _header_segment(segment)
        if not (name or day):
            if byline and _is_name_list(segment):
                continue  # "By Jane Smith | Staff Writer": a role after the name
            if _boilerplate_reason(segment) not in (None, "separator"):
                continue  # "March 2, 2025 · 5 min read"
            return None
        byline = byline or name
        published = published or day
    return (byline, published) if byline or published else None


def _header_segment(segment):
    match = _DATELINE.fullmatch(segment)
    if match:
        return "", match["date"]
    name = _byline(segment)
    if name:
        return name, ""
    match = _TRAILING_DATELINE.search(segment)
    if match:
        name = _byline(segment[: match.start()].rstrip(" ,"))
        if name:
            return name, match["date"]
    match = _DATED_BYLINE.fullmatch(segment)
    if match and _is_name_list(match["names"].strip(" ,;")):
        return _collapse(match["names"].strip(" ,;")), match["date"]
    match = _PLACED_DATELINE.fullmatch(segment)
    if match:
        return "", match["date"]
    return "", ""


def _byline(text):
    """The names after a "By"-style prefix, or "" if the line is not a byline."""
    match = _BYLINE_PREFIX.match(text)
    if not match:
        return ""
    names = text[match.end() :].strip(" ,;")
    if not names or not _is_name_list(names):
        return ""
    words = names.split()
    if len(words) == 1 and words[0].lower().rstrip(".,") in _MONTHS.keys() | _WEEKDAYS:
        return ""  # "By Tuesday" is a deadline, not an author
    return _collapse(names)


def _is_name_list(text):
    words = text.replace(",", " , ").split()
    names = [word for word in words if word not in _NAME_JOINERS]
    if not names or len(names) > MAX_BOILERPLATE_WORDS:
        return False
    first_ok = _is_capitalised(names[0]) or names[0].lower() == "the"
    if not first_ok or not _is_capitalised(names[-1]):
        return False
    return all(_is_capitalised(word) or word.lower() in _NAME_PARTICLES for word in names)


def _is_capitalised(word):
    word = word.strip("()\"'“”‘’")
    return bool(word) and word[0].isupper() and not any(char.isdigit() for char in word)


# --- Rule 6 and 8: boilerplate lines ------------------------------------------


def _boilerplate_reasons(blocks, texts):
    return [
        _boilerplate_reason(text, *_wrap_flags(blocks, texts, i)) for i, text in enumerate(texts)
    ]


def _wrap_flags(blocks, texts, i):
    """(continues the previous line, is continued by the next line) inside a wrapped block."""
    same_prev = i > 0 and blocks[i - 1] == blocks[i]
    same_next = i + 1 < len(texts) and blocks[i + 1] == blocks[i]
    continues_prev = same_prev and _is_cut(texts[i - 1]) and texts[i][:1].islower()
    continues_next = same_next and _is_cut(texts[i]) and texts[i + 1][:1].islower()
    return continues_prev, continues_next


def _boilerplate_reason(text, continues_prev=False, continues_next=False):
    """The rule family that removes this line, or None if the line is text."""
    if not any(char.isalnum() for char in text):
        return "separator"
    core = _core(text)
    if continues_prev or not core:
        return None
    if _is_protected(core):
        return "prompt" if not continues_next and _is_prompt_line(core) else None
    open_ok = not continues_next
    words = len(core.split())
    segments = _SEGMENT_SPLIT.split(core)
    if len(segments) > 1 and words <= MAX_BOILERPLATE_WORDS:
        reasons = [_boilerplate_reason(segment) for segment in segments]
        if all(reasons):
            return reasons[0]
    if open_ok and words <= MAX_CAPTION_WORDS and _is_caption(text, core):
        return "caption"
    if words <= MAX_BOILERPLATE_WORDS:
        for reason, closed, opened in _FAMILIES:
            if closed.fullmatch(core) or (open_ok and opened and opened.fullmatch(core)):
                return reason
    return "prompt" if open_ok and _is_prompt_line(core) else None


# "Manage your subscription | Unsubscribe", "Impressum · Datenschutz"
_SEGMENT_SPLIT = re.compile(r"\s+[|·•]\s+")


def _is_caption(text, core):
    return bool(
        _CAPTION_PREFIX.fullmatch(core)
        or _CREDIT_ONLY.fullmatch(core)
        or _ENDS_WITH_CREDIT.fullmatch(text)
    )


def _core(text):
    return " ".join(text.strip(_DECORATION).split())


def _is_protected(text):
    """Rule 8: long lines and lines of several sentences are always real text."""
    if len(text.split()) > MAX_PROTECTED_WORDS:
        return True
    return _sentence_count(text) >= 2


def _sentence_count(text):
    pieces = _SENTENCE_SPLIT.split(text)
    count = 0
    for index, piece in enumerate(pieces):
        complete = index < len(pieces) - 1 or _ends_sentence(piece)
        if complete and _alpha_word_count(piece) >= MIN_SENTENCE_WORDS:
            count += 1
    return count


# --- Rule 6: captions without a credit of their own ------------------------------
# A caption copied without its picture: one sentence that describes the photo in the
# present tense and ends with when and where it was taken ("Residents queue for
# water on March 3, 2024 in Kherson, Ukraine."). The "on <date> in <Place>." ending
# and the paragraph standing alone are structural; the verb tests are English only,
# like the ending itself, so other languages are left alone.

MAX_BARE_CAPTION_WORDS = 30  # agency captions run longer than rule 8's 20 words
MAX_CREDIT_WORDS = 10

_DAY_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
# The date forms again, without their group names (a pattern may name a group once).
_PLAIN_DATE = "(?:" + re.sub(r"\?P<\w+>", "?:", _DATE_FORMS) + ")"
_MONTH_DAY = rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH})"
_CALENDAR_DATE = rf"(?:{_PLAIN_DATE}|{_MONTH_DAY})"
_WEEKDAY_NAME = rf"(?:{_alternation(_WEEKDAYS)})\b\.?{_DAY_PART}"
_PHOTO_ENDING = re.compile(
    rf"(?P<before>.*?)\bon\s+"
    rf"(?:{_WEEKDAY_NAME}(?:,?\s+(?P<weekday_date>{_CALENDAR_DATE}))?"
    rf"|(?P<date>{_CALENDAR_DATE}){_DAY_PART})"
    r",?\s+in\s+(?P<place>[^.!?\"“”]+)\.",
    _I,
)
_PLACE_PARTICLES = frozenset(("de", "del", "la", "le", "of", "upon", "on", "am", "der", "sur"))
# A caption's subject is a noun, never a word pointing back at the paragraph above.
_CONTINUING_OPENERS = frozenset(
    ("he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those", "there")
    + ("here", "but", "and", "so", "then", "also", "later", "meanwhile", "however", "still", "yet")
    + ("such", "both", "its", "their", "his", "her")
)
# Words after which a verb-looking word is a noun or an adjective ("the protest", "two injured").
_NOUN_MARKERS = frozenset(
    ("a", "an", "the", "this", "that", "these", "those", "his", "her", "its", "their", "our")
    + ("my", "your", "of", "in", "on", "at", "by", "for", "from", "with", "to", "into", "onto")
    + ("near", "through", "across", "past", "among", "after", "before", "during", "under", "over")
    + ("outside", "inside", "along", "around", "two", "three", "four", "five", "several", "many")
    + ("some", "other", "all")
)
# What people in news photos are doing, in the present tense ("queue", "battles").
_PHOTO_VERBS = (
    ("arrive", "attend", "battle", "carry", "celebrate", "cheer", "clean", "clear", "climb")
    + ("collect", "comfort", "cross", "dance", "embrace", "evacuate", "fight", "fill", "gather")
    + ("greet", "hold", "hug", "inspect", "kneel", "lay", "light", "line", "load", "look", "march")
    + ("mourn", "paddle", "pass", "play", "pose", "pray", "prepare", "protest", "push", "queue")
    + ("rally", "react", "remove", "repair", "rescue", "rest", "ride", "search", "shelter", "sit")
    + ("sort", "stand", "survey", "sweep", "take", "unload", "view", "visit", "wade", "wait")
    + ("walk", "watch", "wave", "work")
)
_PHOTO_VERB_FORMS = frozenset(
    form
    for verb in _PHOTO_VERBS
    for form in (verb, verb + "s", verb + "es", verb[:-1] + "ies" if verb.endswith("y") else verb)
)
# "A damaged building is seen …": the passive of looking at a picture.
_PHOTO_PARTICIPLES = frozenset(
    ("seen", "pictured", "shown", "photographed", "silhouetted", "reflected", "carried", "helped")
    + ("evacuated", "rescued", "escorted", "greeted", "surrounded", "illuminated", "lit")
)
# Past, modal and reporting verbs: the sentence reports news rather than shows a scene.
_NEWS_VERBS = frozenset(
    ("said", "says", "told", "tells", "was", "were", "had", "has", "have", "will", "would")
    + ("could", "should", "can", "might", "must", "did", "does", "made", "went", "came", "took")
    + ("gave", "got", "met", "held", "spoke", "won", "lost", "found", "left", "began", "fell")
    + ("rose", "ran", "saw", "sat", "stood", "led", "brought", "sent", "kept", "paid", "built")
    + ("spent", "struck", "shot", "drove", "flew", "wrote", "broke", "thought", "felt", "became")
    + ("knew", "grew", "threw", "caught", "sold", "bought", "fought", "taught", "heard", "drew")
)


def _mark_bare_captions(blocks, texts, reasons, hidden):
    """Remove stand-alone photo captions that carry no credit of their own."""
    for i, text in enumerate(texts):
        if reasons[i] is not None or i in hidden:
            continue
        match = _photo_description(text)
        if not match:
            continue
        beside = _neighbours(i, texts)
        credits = [j for j in beside if _is_open_credit(j, i, blocks, texts, reasons)]
        beside_caption = any(reasons[j] == "caption" for j in beside)
        if not _stands_alone(i, blocks, reasons, hidden | set(credits)):
            continue  # a sentence inside a paragraph
        pinned = match["date"] or match["weekday_date"] or "," in match["place"]
        if not (pinned or credits or beside_caption):
            continue  # "Protesters gather on Monday in Paris." could be a report
        for j in [i, *credits]:
            reasons[j] = "caption"


def _photo_description(text):
    """The "on <date> in <Place>." match if the line reads like a photo caption, else None."""
    words = text.split()
    if len(words) > MAX_BARE_CAPTION_WORDS:
        return None
    if any(mark in text for mark in '"“”„«»') or not text[:1].isupper():
        return None  # quotations are speech; a lower-case start continues a sentence
    if words[0].lower() in _CONTINUING_OPENERS:
        return None
    match = _PHOTO_ENDING.fullmatch(text)
    if not match or _has_sentence_break(match["before"]) or not _is_place(match["place"]):
        return None
    return match if _shows_a_scene(match["before"].split()) else None


def _has_sentence_break(text):
    """True if a sentence ends inside the text ("St." and "Dr." do not end one)."""
    pieces = [piece.split() for piece in _SENTENCE_SPLIT.split(text.strip())]
    return any(words and not _is_abbreviation(words[-1]) for words in pieces[:-1])


def _is_abbreviation(word):
    return word.endswith(".") and word[:1].isupper() and len(word.rstrip(".")) <= 3


def _is_place(place):
    """'Kherson, Ukraine', 'Stoke-on-Trent', 'Rio de Janeiro, Brazil': capitalised names."""
    parts = [part.split() for part in place.split(",")]
    if len(parts) > 3:
        return False
    for words in parts:
        if not words or len(words) > 4 or not _is_capitalised(words[-1]):
            return False
        if not all(_is_capitalised(word) or word in _PLACE_PARTICLES for word in words):
            return False
    return _is_capitalised(parts[0][0])


def _shows_a_scene(words):
    """English: the first verb is a present-tense photo verb ("queue", "is seen")."""
    lowered = [word.lower().strip(",;:()") for word in words]
    for index, word in enumerate(lowered):
        if word in _NEWS_VERBS:
            return False
        if index == 0 or lowered[index - 1] in _NOUN_MARKERS:
            continue  # "Displaced residents …", "the protest …", "a damaged …"
        if word in ("is", "are"):
            following = lowered[index + 1 : index + 3]
            return any(part in _PHOTO_PARTICIPLES for part in following)
        if word in _PHOTO_VERB_FORMS:
            return True
        if _looks_past_tense(word):
            return False  # "The council approved …"
    return False


def _looks_past_tense(word):
    return len(word) >= 5 and word.isalpha() and word.endswith("ed") and not word.endswith("eed")


def _neighbours(i, texts):
    return [j for j in (i - 1, i + 1) if 0 <= j < len(texts)]


def _is_open_credit(j, i, blocks, texts, reasons):
    """A bare credit beside a caption ("Dana Whitlock/Coastline Tribune"), not yet removed."""
    if reasons[j] is not None or len(texts[j].split()) > MAX_CREDIT_WORDS:
        return False
    if blocks[j] != blocks[i] and not _stands_alone(j, blocks, reasons, set()):
        return False
    core = _core(texts[j])
    if "/" in core:
        return all(_is_name_list(part.strip()) for part in core.split("/"))
    return bool(re.search(r"\s(?:for|via)\s", core)) and _is_name_list(core)


def _stands_alone(i, blocks, reasons, ignored):
    """True if no other open line shares line i's block (its paragraph is this line)."""
    return not any(
        block == blocks[i] and j != i and reasons[j] is None and j not in ignored
        for j, block in enumerate(blocks)
    )


# --- Rule 9: the note about the author ------------------------------------------------

# "Jane Smith is a reporter ...", "Jane Smith schreibt ...": the byline's name, then a verb.
_AUTHOR_VERB = re.compile(
    r"\s+(?:is|was|has|writes|covers|reports|ist|war|schreibt|est|écrit|es|escribe|è|scrive"
    r"|is een|schrijft|é|escreve)\b",
    _I,
)
AUTHOR_NOTE_LINES = 4  # the note is among the last lines of the text
MAX_AUTHOR_NOTE_WORDS = 40


def _mark_author_note(texts, reasons, hidden, byline):
    """Remove a short note about the author at the end ("Jane Smith is a reporter …")."""
    names = [name.strip() for name in re.split(r",|\band\b|&", byline or "") if name.strip()]
    open_lines = [i for i in range(len(texts)) if reasons[i] is None and i not in hidden]
    for i in open_lines[-AUTHOR_NOTE_LINES:]:
        text = texts[i]
        if i == open_lines[0] or len(text.split()) > MAX_AUTHOR_NOTE_WORDS:
            continue
        for name in names:
            if text.startswith(name) and _AUTHOR_VERB.match(text, len(name)):
                reasons[i] = "author"
                break


# --- Rule 7: trailing headlines -------------------------------------------------


def _mark_trailing_headlines(blocks, texts, reasons, hidden):
    def is_open(i):
        return reasons[i] is None and i not in hidden

    def headline(i, min_words):
        wrapped = any(_wrap_flags(blocks, texts, i))
        return is_open(i) and not wrapped and _is_headline_like(texts[i], min_words)

    for i, text in enumerate(texts):
        if reasons[i] == "related" and _ANNOUNCER.fullmatch(_core(text)):
            for j in range(i + 1, len(texts)):
                if not is_open(j):
                    continue
                if not headline(j, 2):
                    break
                reasons[j] = "trailing-headlines"

    open_lines = [i for i in range(len(texts)) if is_open(i)]
    run = []
    for i in reversed(open_lines):
        if not headline(i, MIN_TRAILING_WORDS):
            break
        run.append(i)
    if len(run) < MIN_TRAILING_RUN:
        return
    before = [i for i in open_lines if i < run[-1]]
    if not before or _last_char(texts[before[-1]]) == ":":
        return
    if not _has_prose(blocks, texts, before):
        return
    for i in run:
        reasons[i] = "trailing-headlines"


def _is_headline_like(text, min_words):
    if _LIST_ITEM.match(text) or "@" in text or "://" in text:
        return False
    first = text[:1]
    if not (first.isupper() or first.isdigit() or first in "\"'“‘«"):
        return False
    words = _alpha_word_count(text)
    if words < min_words or len(text.split()) > MAX_TITLE_WORDS or len(text) > MAX_TITLE_CHARS:
        return False
    last = _last_char(text)
    return bool(last) and last not in ".,;:" and not _is_protected(text)


def _has_prose(blocks, texts, indices):
    """True if some paragraph among these lines is prose ending in sentence punctuation."""
    paragraphs: dict[int, list[str]] = {}
    for i in indices:
        paragraphs.setdefault(blocks[i], []).append(texts[i])
    for lines in paragraphs.values():
        paragraph = " ".join(lines)
        if _ends_sentence(paragraph) and _alpha_word_count(paragraph) >= MIN_PROSE_WORDS:
            return True
    return False


# A list of other stories' headlines, each after a dash ("- Storm closes coastal road").
_DASHED = re.compile(r"[-–—]\s+(?P<headline>\S.*)")
MIN_DASHED_RUN = 2
MIN_DASHED_WORDS = 3
# A line in the first or second person speaks to the reader: a sign-off, not a headline.
_READER_WORDS = frozenset(
    ("i", "we", "you", "your", "our", "us", "my", "me", "ich", "wir", "du", "euch", "uns", "je")
    + ("nous", "vous", "tu", "ik", "wij", "jij", "jullie", "ons", "io", "noi", "voi", "yo")
    + ("nosotros", "vosotros", "eu", "nós", "você", "vocês")
)


def _mark_trailing_dashed_headlines(blocks, texts, reasons, hidden):
    """Remove a closing list of dashed headlines that follows the last real paragraph."""
    open_lines = _open_lines(reasons, hidden)
    run = []
    for i in reversed(open_lines):
        match = _DASHED.fullmatch(texts[i])
        if not match or not _is_headline_like(match["headline"], MIN_DASHED_WORDS):
            break
        run.append(i)
    if len(run) >= MIN_DASHED_RUN and _follows_prose(run[-1], blocks, texts, open_lines):
        for i in run:
            reasons[i] = "trailing-headlines"


def _mark_trailing_headline(blocks, texts, reasons, hidden):
    """Remove one headline of another story left after the last real paragraph."""
    open_lines = _open_lines(reasons, hidden)
    if not open_lines:
        return
    last = open_lines[-1]
    if len(open_lines) < 2 or blocks[open_lines[-2]] == blocks[last]:
        return  # a last line sharing its block is the tail of the paragraph above
    if _is_lone_headline(texts[last]) and _follows_prose(last, blocks, texts, open_lines):
        reasons[last] = "trailing-headlines"


def _is_lone_headline(text):
    """Short, no final punctuation or closing quote, and not speaking to the reader."""
    if not _is_headline_like(text, MIN_TRAILING_WORDS):
        return False
    if not (text[:1].isupper() or text[:1].isdigit()) or not text[-1:].isalnum():
        return False  # quotations and questions are how real articles end
    words = {word.lower().strip(",;:'’") for word in text.split()}
    return not words & _READER_WORDS


def _follows_prose(first, blocks, texts, open_lines):
    """True if the line before `first` ends a sentence and some paragraph above is prose."""
    before = [i for i in open_lines if i < first]
    if not before or not _ends_sentence(texts[before[-1]]):
        return False  # a heading or an introduction ending in ":" opens a real list
    return _has_prose(blocks, texts, before)


def _open_lines(reasons, hidden):
    return [i for i, reason in enumerate(reasons) if reason is None and i not in hidden]


# --- Small text helpers -----------------------------------------------------------


def _collapse(text):
    return " ".join(text.split())


def _last_char(text):
    stripped = text.rstrip(_CLOSERS + " ")
    return stripped[-1:] if stripped else ""


def _ends_sentence(text):
    last = _last_char(text)
    return bool(last) and last in _SENTENCE_END


def _is_cut(text):
    """True if the line stops mid-sentence (it is continued on the next line)."""
    last = _last_char(text)
    return bool(last) and last not in _SENTENCE_END + ":"


def _alpha_word_count(text):
    return sum(1 for word in text.split() if any(char.isalpha() for char in word))


def _date_from_match(match):
    if match["iso"]:
        parts = (match["iy"], match["im"], match["id"])
    elif match["dmy"]:
        parts = (match["dy"], _month_number(match["dmon"]), match["dd"])
    elif match["mdy"]:
        parts = (match["my"], _month_number(match["mmon"]), match["md"])
    else:
        parts = (match["ty"], match["tm"], match["td"])
    try:
        return datetime.date(*(int(part) for part in parts))
    except (TypeError, ValueError):
        return None


def _month_number(name):
    return _MONTHS.get(name.lower().rstrip("."))
