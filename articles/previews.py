"""The note editor's Preview: a note's Markdown as it would be saved.

It renders through the same function as saving (newsreader/lib/markdown.py
render_note), so what the preview shows is what the team will see. Only
members who may write notes ask for it (as for saving one); the text is
bounded like a note, and each user gets PREVIEWS_PER_MINUTE a minute.
"""

import time

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST

from articles.forms import NoteForm, first_error
from newsreader.access import get_article_for_write
from newsreader.htmx import render_page
from newsreader.lib.markdown import render_note
from teams.throttle import increment

# Generous for typing-and-looking (a click each), far below what a loop sends.
PREVIEWS_PER_MINUTE = 30


def _within_rate(user):
    """Count a preview for `user` in this minute; False past the limit."""
    key = f"note-preview:{user.pk}:{int(time.time() // 60)}"
    # Atomic on every cache, the database's too: parallel requests cannot slip past.
    return increment(key, 1, timeout=120) <= PREVIEWS_PER_MINUTE


@require_POST
@login_required
def note_preview(request, pk):
    """The Markdown of the form's "note" or "body" field, rendered and sanitised."""
    article = get_article_for_write(request.user, pk)
    field = "note" if "note" in request.POST else "body"
    form = NoteForm(request.POST, field=field, required=False)
    context = {"article": article, "html": "", "error": ""}
    status = 200
    if not _within_rate(request.user):
        context["error"] = "Too many previews in a minute; wait a moment and try again."
        status = 429
    elif not form.is_valid():
        context["error"] = first_error(form).replace(f"{field.capitalize()}: ", "The note: ", 1)
        status = 422
    else:
        context["html"] = render_note(form.cleaned_data[field])
    return render_page(
        request,
        "articles/note_preview.html",
        "articles/note_preview.html#preview",
        context,
        status=status,
    )
