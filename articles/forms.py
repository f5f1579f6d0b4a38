from django import forms

from articles.models import Highlight
from newsreader.access import id_from
from newsreader.lib.markdown import MAX_NOTE_CHARS


class HighlightForm(forms.Form):
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    colour = forms.ChoiceField(choices=Highlight.Colour.choices, initial=Highlight.Colour.YELLOW)
    visibility = forms.ChoiceField(choices=Highlight.Visibility.choices, required=False)
    # The version of the text the selection was made on (highlighting.text_stamp).
    stamp = forms.CharField(required=False, max_length=64)


class QuoteForm(forms.Form):
    """A passage by its text, as a browser's selection gave it (highlighting.highlight_quote)."""

    # No length limit here: highlight_quote explains the real one.
    exact = forms.CharField(
        strip=False, error_messages={"required": "Say which text to highlight."}
    )
    prefix = forms.CharField(required=False, strip=False, max_length=200)
    suffix = forms.CharField(required=False, strip=False, max_length=200)
    colour = forms.ChoiceField(choices=Highlight.Colour.choices, required=False)
    visibility = forms.ChoiceField(choices=Highlight.Visibility.choices, required=False)
    # The capture whose selection this is, so its card can say it was highlighted.
    capture = forms.CharField(required=False)

    def clean_capture(self):
        value = self.cleaned_data["capture"]
        if not value:
            return None
        pk = id_from(value)
        if pk is None:
            raise forms.ValidationError("The capture must be given by its number.")
        return pk


class ColourForm(forms.Form):
    colour = forms.ChoiceField(choices=Highlight.Colour.choices)


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(choices=Highlight.Visibility.choices)


class NoteForm(forms.Form):
    """A note's Markdown, under the field name its form uses ("note" or "body")."""

    def __init__(self, data, *, field, required=True):
        super().__init__(data)
        self.fields[field] = forms.CharField(
            max_length=MAX_NOTE_CHARS, required=required, strip=True
        )


def first_error(form):
    """One message for people from a bound, invalid form."""
    for name, errors in form.errors.items():
        return f"{name.capitalize()}: {errors[0]}" if name in form.fields else errors[0]
    return "The request was not understood."


class PasteForm(forms.Form):
    KINDS = [
        ("auto", "Detect"),
        ("html", "HTML"),
        ("markdown", "Markdown"),
        ("text", "Plain text"),
    ]

    text = forms.CharField(strip=False, required=False)
    title = forms.CharField(max_length=500, required=False)
    kind = forms.ChoiceField(choices=KINDS, required=False)


class ArticleEditForm(forms.Form):
    """An article's details that members may correct by hand."""

    title = forms.CharField(max_length=500)
    byline = forms.CharField(max_length=300, required=False)
    source_url = forms.URLField(max_length=2048, required=False, assume_scheme="https")

    def clean_source_url(self):
        url = self.cleaned_data["source_url"]
        if url and url.split(":", 1)[0].lower() not in ("http", "https"):
            raise forms.ValidationError("Enter an http:// or https:// address, or nothing.")
        return url


class LibraryForm(forms.Form):
    """The library's query, all of it in the URL (articles/library.py reads it).

    Every field is optional and a bad value is dropped with a message rather
    than refused: a shared link with a stale tag still opens the library.
    """

    STATES = [
        ("", "Not archived"),
        ("unread", "Unread"),
        ("reading", "Reading"),
        ("finished", "Finished"),
        ("starred", "Starred"),
        ("archived", "Archived"),
        ("all", "Everything"),
    ]
    SORTS = [
        ("", "Newest saved"),
        ("oldest", "Oldest saved"),
        ("published", "Newest published"),
        ("title", "Title"),
        ("opened", "Last opened"),
        ("annotated", "Most annotated"),
    ]

    q = forms.CharField(required=False, max_length=500, strip=True)
    site = forms.CharField(required=False, max_length=200)
    state = forms.ChoiceField(required=False, choices=STATES)
    by = forms.CharField(required=False, max_length=150)
    colour = forms.ChoiceField(required=False, choices=[("", "Any")] + Highlight.Colour.choices)
    saved_from = forms.DateField(required=False)
    saved_to = forms.DateField(required=False)
    published_from = forms.DateField(required=False)
    published_to = forms.DateField(required=False)
    sort = forms.ChoiceField(required=False, choices=SORTS)
    after = forms.CharField(required=False, max_length=500)
    before = forms.CharField(required=False, max_length=500)

    def values(self):
        """The cleaned query, with a field whose value was bad left empty."""
        self.is_valid()
        values = {}
        for name, field in self.fields.items():
            empty = None if isinstance(field, forms.DateField) else ""
            values[name] = self.cleaned_data.get(name, empty)
        return values
