from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh, reswap, retarget, trigger_client_event

from articles import freshness, live, reading
from articles.adding import (
    MAX_FILE_BYTES,
    MAX_FILES,
    AddError,
    add_file,
    add_text,
    capture_url,
    retry_capture,
)
from articles.forms import (
    ArticleEditForm,
    ColourForm,
    HighlightForm,
    LibraryForm,
    NoteForm,
    PasteForm,
    QuoteForm,
    VisibilityForm,
    first_error,
)
from articles.highlighting import (
    annotation_fragments,
    create_highlight,
    delete_highlight,
    highlight_quote,
    own_private,
    restore_highlight,
    text_stamp,
)
from articles.library import Page, filters_from, library_page, options
from articles.models import Article, ArticleNote, Capture, Highlight, Reply, Tag
from articles.trash import (
    empty_team_trash,
    empty_trash,
    find_trashed,
    schedule_purge,
    trash_article,
    trashed_articles,
    trashed_for,
)
from newsreader.access import (
    MODERATE,
    WRITE,
    can,
    current_membership,
    get_article_for_user,
    get_article_for_write,
    get_capture_for_user,
    get_highlight_for_moderation,
    get_highlight_for_reply,
    get_highlight_for_user,
    get_highlight_for_write,
    get_note_for_write,
    get_reply_for_moderation,
    get_reply_for_user,
    get_reply_for_write,
    get_team_for_user,
    id_from,
    may_change_own,
    may_reply,
)
from newsreader.htmx import render_page
from newsreader.lib.anchoring import AnchoringError
from search.query import parse as parse_query
from teams.models import Membership

# Tags a library query may ask for at once.
MAX_FILTER_TAGS = 10


@require_safe
@login_required
def library(request):
    """The library, cached whole per member and URL until something it shows
    changes (articles/freshness.py): the same page again costs what a trivial one does."""
    membership = current_membership(request)
    if membership is None:
        context = _library_context(request, None, None)
        return render_page(
            request, "articles/library.html", "articles/library.html#article-list", context
        )
    token = get_token(request)
    # Messages are shown once: a page with some is neither served from the cache nor kept.
    key = None if len(messages.get_messages(request)) else freshness.page_key(request, membership)
    html = freshness.cached_page(key, token) if key else None
    if html is not None:
        response = HttpResponse(html)
        patch_vary_headers(response, ["HX-Request"])
        return response
    context = _library_context(request, membership.team, membership.role)
    # One token in the whole page, so that the cache can swap it for the next request's.
    context["csrf_token"] = token
    response = render_page(
        request, "articles/library.html", "articles/library.html#article-list", context
    )
    # URLs being added change without a version (their task polls): not kept.
    if key and not context["captures"]:
        freshness.keep_page(key, response.content.decode(), token)
    return response


def _library_context(request, team, role, **extra):
    """The library of `team`, where the user has `role`, as the URL's query asks."""
    form = LibraryForm(request.GET)
    values = form.values()
    query = parse_query(values["q"]) if values["q"] else None
    tag_names = [name for name in request.GET.getlist("tag")[:MAX_FILTER_TAGS] if name.strip()]
    filters = filters_from(values, tag_names, query)
    page, captures, tags, members = Page(cards=[]), [], [], []
    if team is not None:
        page = library_page(
            team,
            request.user,
            filters,
            query,
            sort=values["sort"],
            after=values["after"],
            before=values["before"],
            size=settings.ARTICLES_PER_PAGE,
        )
        tags = list(Tag.objects.filter(team=team).order_by("name").values_list("name", flat=True))
        members = list(
            Membership.objects.filter(team=team).select_related("user").order_by("user__username")
        )
        if not query and not filters.any and not values["after"] and not values["before"]:
            # URLs being added, and those that failed, wait above the articles.
            captures = Capture.objects.filter(team=team).exclude(status=Capture.Status.READY)
            captures = captures.select_related("article").defer(
                "article__original", "article__html", "article__text"
            )
            captures = list(captures.order_by("-created_at", "-id")[:50])
    notes = [
        f"{name.replace('_', ' ').capitalize()}: {errors[0]}"
        for name, errors in form.errors.items()
    ]
    return {
        "team": team,
        "page": page,
        "tag_chips": _tag_chips(request, filters.tags),
        "values": values,
        "filters": filters,
        "query": query,
        "searching": query is not None and query.has_text,
        "ranked": page.ranked,
        "filtering": bool(query) or filters.any or bool(values["sort"]),
        "filter_notes": notes + filters.notes,
        "chosen_tags": filters.tags,
        "tag_options": options(tags),
        "library_url": reverse("articles:library"),
        "members": members,
        "colours": Highlight.Colour,
        "states": LibraryForm.STATES,
        "sorts": LibraryForm.SORTS,
        "captures": captures,
        "can_write": can(role, WRITE),
        "paste_kinds": PasteForm.KINDS,
        "max_files": MAX_FILES,
        **extra,
    }


def _tag_chips(request, names):
    """(name, the library's URL without that tag) for each tag filtered by."""
    chips = []
    for name in names:
        query = request.GET.copy()
        query.setlist("tag", [other for other in names if other != name])
        for cursor in ("after", "before"):
            query.pop(cursor, None)
        chips.append((name, f"{reverse('articles:library')}?{query.urlencode()}"))
    return chips


def _added(request, team, form, outcomes, values=None):
    """The answer to an Add form: the form with its outcomes and the lists, out of band,
    for htmx; a redirect with messages for a plain post that added everything, and
    otherwise the library with the outcomes beside the form."""
    failed = [outcome for outcome in outcomes if not outcome["ok"]]
    if not request.htmx and not failed:
        for outcome in outcomes:
            messages.success(request, outcome["message"])
        return redirect("articles:library")
    # "Already saved" is an answer (with a link), not an error in the input.
    errors = [outcome for outcome in failed if outcome["article"] is None]
    status = 422 if len(errors) == len(outcomes) else 200
    context = _library_context(
        request, team, team.viewer_role, outcomes={form: outcomes}, values=values or {}
    )
    if request.htmx:
        context["form"] = form
        return render(request, "articles/library.html#add-response", context, status=status)
    return render(request, "articles/library.html", context, status=status)


def _outcome(message, *, ok, name="", article=None):
    return {"ok": ok, "message": message, "name": name, "article": article}


def _refused(error, name=""):
    return _outcome(str(error), ok=False, name=name, article=getattr(error, "article", None))


@require_POST
@login_required
def capture_create(request, slug):
    """Add by URL: the row now, the fetch in the background (articles/adding.py)."""
    team = get_team_for_user(request.user, slug, WRITE)
    url = request.POST.get("url", "")
    try:
        capture = capture_url(team, request.user, url)
    except AddError as error:
        return _added(request, team, "url", [_refused(error)], {"url": url})
    return _added(request, team, "url", [_outcome(f"Adding {capture.url}", ok=True)])


@require_POST
@login_required
def article_paste(request, slug):
    team = get_team_for_user(request.user, slug, WRITE)
    form = PasteForm(request.POST)
    if not form.is_valid():
        return _added(request, team, "text", [_outcome(first_error(form), ok=False)], form.data)
    data = form.cleaned_data
    try:
        article = add_text(
            team, request.user, data["text"], title=data["title"], kind=data["kind"] or "auto"
        )
    except AddError as error:
        return _added(request, team, "text", [_refused(error)], form.data)
    return _added(request, team, "text", [_outcome(f"Added “{article.title}”.", ok=True)])


@require_POST
@login_required
def article_upload(request, slug):
    team = get_team_for_user(request.user, slug, WRITE)
    files = request.FILES.getlist("files")
    if not files:
        return _added(request, team, "files", [_outcome("Choose one or more files.", ok=False)])
    if len(files) > MAX_FILES:
        message = f"At most {MAX_FILES} files at once."
        return _added(request, team, "files", [_outcome(message, ok=False)])
    outcomes = []
    for upload in files:
        name = upload.name[:255]
        try:
            # Never more than the cap in memory: one byte over is enough to refuse it.
            article = add_file(team, request.user, name, upload.read(MAX_FILE_BYTES + 1))
        except AddError as error:
            outcomes.append(_refused(error, name))
        else:
            outcomes.append(_outcome(f"Added “{article.title}”.", ok=True, name=name))
    return _added(request, team, "files", outcomes)


@require_safe
@login_required
def capture_detail(request, pk):
    """One URL being added: the library's card polls this until it is done."""
    capture = get_capture_for_user(request.user, pk)
    # `alone`: a card away from the library (its own page, /save/), with no list to refresh.
    alone = request.GET.get("alone") == "1"
    context = {"capture": capture, "can_write": can(capture.viewer_role, WRITE), "alone": alone}
    if capture.status == Capture.Status.READY and not capture.duplicate and not alone:
        # Done: the new article joins the list (out of band) as the card stops polling.
        library = _library_context(request, capture.team, capture.viewer_role)
        context = {**library, **context, "refresh_list": True}
    return render_page(
        request, "articles/capture.html", "articles/library.html#capture-response", context
    )


@require_POST
@login_required
def capture_retry(request, pk):
    capture = get_capture_for_user(request.user, pk, WRITE)
    if capture.retryable:
        retry_capture(capture)
        capture.refresh_from_db()
    if request.htmx:
        context = {"capture": capture, "can_write": True}
        return render(request, "articles/library.html#capture", context)
    return redirect("articles:library")


@require_POST
@login_required
def capture_dismiss(request, pk):
    """Forget a URL that failed (or is done); the library no longer shows it."""
    capture = get_capture_for_user(request.user, pk, WRITE)
    capture.delete()
    if request.htmx:
        return HttpResponse("")
    messages.success(request, f"Dismissed {capture.url}.")
    return redirect("articles:library")


@require_safe
@login_required
def article_detail(request, pk):
    # The fragments are usually cached: html and text load only when rendering.
    article = get_article_for_user(
        request.user, pk, defer=("html", "text"), has_own_private=own_private(request.user)
    )
    fragments = annotation_fragments(request, article, _who(request))
    reading.describe_for(article, request.user)
    article.state_url = reverse("articles:article-state", args=[article.pk])
    context = {
        "article": article,
        "team_tags": Tag.objects.filter(team_id=article.team_id) if fragments["can_write"] else [],
        "fragments": fragments,
        "colours": Highlight.Colour,
        "can_write": fragments["can_write"],
        "stamp": text_stamp(article),
        "who": request.GET.get("who", ""),
        "edit_form": ArticleEditForm(initial=_details(article)) if fragments["can_write"] else None,
    }
    return render_page(
        request, "articles/article_detail.html", "articles/article_detail.html#annotations", context
    )


def _details(article):
    return {"title": article.title, "byline": article.byline, "source_url": article.source_url}


@require_POST
@login_required
def article_edit(request, pk):
    """Correct an article's title, byline and source URL."""
    article = get_article_for_write(request.user, pk)
    form = ArticleEditForm(request.POST, initial=_details(article))
    if form.is_valid():
        try:
            article.edit_details(**form.cleaned_data)
        except Article.UrlTaken as taken:
            form.add_error("source_url", str(taken))
    if not form.is_valid():
        context = {"article": article, "edit_form": form, "edit_open": True}
        if request.htmx:
            return render(request, "articles/article_detail.html#article-edit", context, status=422)
        return render(request, "articles/article_edit.html", context, status=422)
    messages.success(request, "Saved the article's details.")
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect("articles:article-detail", pk=article.pk)


@require_POST
@login_required
def article_delete(request, pk):
    """Move the article to the team's trash (after a confirmation), where Restore brings it back."""
    article = get_article_for_write(request.user, pk)
    if request.POST.get("confirm") != "yes":
        context = {"article": article, "trash_days": settings.TRASH_DAYS}
        return render(request, "articles/article_confirm_delete.html", context)
    trash_article(article, request.user)
    messages.success(request, f"Moved “{article.title}” to the trash. Restore it below.")
    return redirect("articles:team-trash", slug=article.team.slug)


def _who(request):
    """Whose highlights to show: everyone (None), "me", or a member's id."""
    who = request.GET.get("who", "")
    if who == "me":
        return request.user.pk
    # id_from: ASCII digits that fit a key ("²" is a digit to str.isdigit()); else everyone.
    return id_from(who)


@require_safe
@login_required
def article_updates(request, pk):
    """Live updates: 204 while the reader's view is unchanged, else the new fragments.

    The token names what the user last got; private highlights of others
    never change what this user sees, so they never cause an update either.
    """
    article = get_article_for_user(
        request.user, pk, defer=("html", "text"), has_own_private=own_private(request.user)
    )
    update = live.update(request, article, _who(request), request.GET.get("since", ""))
    if update is None:
        return HttpResponse(status=204)
    context = {"article": article, "who": request.GET.get("who", ""), **update}
    return render(request, "articles/article_detail.html#live-update", context)


@require_POST
@login_required
def article_read(request, pk):
    """Record that the user opened the article (posted by the reader after a moment)."""
    article = get_article_for_user(request.user, pk, defer=("html", "text"))
    reading.opened(article, request.user)
    return HttpResponse(status=204)


@require_POST
@login_required
def article_progress(request, pk):
    """How far the user has read, sent by the reader now and then while scrolling."""
    article = get_article_for_user(request.user, pk, defer=("html", "text"))
    try:
        progress = float(request.POST.get("progress", ""))
    except ValueError:
        progress = None
    if progress is None or not 0 <= progress <= 1:
        return HttpResponse("Progress is a number from 0 to 1.", status=400)
    reading.save_progress(article, request.user, progress)
    return HttpResponse(status=204)


@require_POST
@login_required
def article_state(request, pk):
    """Archive, star, mark finished or unread: the user's own, from the reader or a card."""
    article = get_article_for_user(request.user, pk, defer=("html", "text"))
    action = request.POST.get("action", "")
    if action not in reading.ACTIONS:
        return HttpResponse("Say what to do: " + ", ".join(reading.ACTIONS) + ".", status=400)
    reading.act(article, request.user, action)
    if request.htmx:
        context = {"article": reading.describe_for(article, request.user)}
        article.state_url = reverse("articles:article-state", args=[article.pk])
        return render(request, "articles/library.html#state-controls", context)
    messages.success(request, reading.DONE[action].format(title=article.title))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("articles:article-detail", pk=article.pk)


def _after_change(request, article, *, status=200, anchor="", extra=None):
    """htmx gets the re-rendered body and panel; a plain form post goes back to the page."""
    if request.htmx:
        fragments = annotation_fragments(request, article)
        context = {"article": article, "fragments": fragments, "live": True}
        return render(
            request,
            "articles/article_detail.html#annotations",
            {**context, **(extra or {})},
            status=status,
        )
    url = reverse("articles:article-detail", args=[article.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refuse(request, article, message):
    """A clear error: in the page's status region for htmx, as a message otherwise."""
    if request.htmx:
        response = render(
            request, "articles/article_detail.html#status", {"message": message}, status=422
        )
        return reswap(retarget(response, "#reader-status"), "innerHTML")
    messages.error(request, message)
    return redirect("articles:article-detail", pk=article.pk)


@require_POST
@login_required
def highlight_create(request, pk):
    article = get_article_for_write(request.user, pk)
    form = HighlightForm(request.POST)
    if not form.is_valid():
        return _refuse(request, article, first_error(form))
    data = form.cleaned_data
    try:
        highlight, created = create_highlight(
            article,
            request.user,
            data["start"],
            data["end"],
            data["colour"],
            visibility=data["visibility"] or None,
            stamp=data["stamp"] or None,
        )
    except AnchoringError as error:
        return _refuse(request, article, str(error))
    response = _after_change(
        request, article, status=201 if created else 200, anchor=f"hl-{highlight.pk}"
    )
    # The highlighter opens the new highlight's note editor after the `n` key.
    return trigger_client_event(response, "highlight-saved", {"id": highlight.pk}, after="settle")


@require_POST
@login_required
def highlight_from_quote(request, pk):
    """Highlight a passage by its text: "Highlight it", offered after saving a page with
    text selected on it (the bookmarklet), where the reader's offsets are unknown."""
    article = get_article_for_write(request.user, pk)
    form = QuoteForm(request.POST)
    if not form.is_valid():
        exact = request.POST.get("exact", "")
        return _offer(request, article, exact, error=first_error(form), status=400)
    data = form.cleaned_data
    capture = _own_capture(request.user, article, data["capture"])
    try:
        highlight, created = highlight_quote(
            article,
            request.user,
            data["exact"],
            data["colour"] or Highlight.Colour.YELLOW,
            prefix=data["prefix"],
            suffix=data["suffix"],
            visibility=data["visibility"] or None,
        )
    except AnchoringError as error:
        return _offer(request, article, data["exact"], capture, error=str(error), status=422)
    if capture is not None:
        capture.record_highlight(highlight)
    if not request.htmx:
        reader = reverse("articles:article-detail", args=[article.pk])
        return redirect(f"{reader}#hl-{highlight.pk}")
    status = 201 if created else 200
    return _offer(request, article, data["exact"], capture, highlight=highlight, status=status)


def _own_capture(user, article, pk):
    """The user's capture that became `article`, to record the highlight on; None for any other."""
    if pk is None:
        return None
    captures = Capture.objects.filter(team_id=article.team_id, added_by=user, article=article)
    return captures.filter(pk=pk).first()


def _offer(request, article, exact, capture=None, *, highlight=None, error="", status=200):
    """The "Highlight it" offer (save.html#highlight-offer), done or with why not; a page of
    its own without htmx."""
    context = {
        "offer_only": True,
        "article": article,
        "exact": exact,
        "capture": capture,
        "highlight": highlight,
        "error": error,
    }
    return render_page(
        request, "articles/save.html", "articles/save.html#highlight-offer", context, status=status
    )


@require_safe
@login_required
def highlight_detail(request, pk):
    """A highlight's thread: its note and replies, with the controls the user may use."""
    highlight = get_highlight_for_user(request.user, pk)
    role = highlight.viewer_role
    replies = list(highlight.replies.select_related("author", "removed_by"))
    for reply in replies:
        reply.editable = may_reply(highlight, role) and may_change_own(request.user, reply, role)
    context = {
        "highlight": highlight,
        "replies": replies,
        "can_edit": may_change_own(request.user, highlight, role),
        "can_reply": may_reply(highlight, role),
        "can_moderate": can(role, MODERATE),
        "colours": Highlight.Colour,
        "visibilities": Highlight.Visibility,
        "team_tags": Tag.objects.filter(team_id=highlight.article.team_id),
    }
    return render_page(
        request, "articles/highlight_detail.html", "articles/highlight_detail.html#thread", context
    )


@require_POST
@login_required
def highlight_recolour(request, pk):
    highlight = get_highlight_for_write(request.user, pk)
    form = ColourForm(request.POST)
    if not form.is_valid():
        return _refuse(request, highlight.article, first_error(form))
    highlight.recolour(form.cleaned_data["colour"])
    return _after_change(request, highlight.article, anchor=f"hl-{highlight.pk}")


@require_POST
@login_required
def highlight_visibility(request, pk):
    highlight = get_highlight_for_write(request.user, pk)
    form = VisibilityForm(request.POST)
    if not form.is_valid():
        return _refuse(request, highlight.article, first_error(form))
    highlight.set_visibility(form.cleaned_data["visibility"])
    return _after_change(request, highlight.article, anchor=f"item-{highlight.pk}")


@require_POST
@login_required
def highlight_remove(request, pk):
    """Moderation: an owner or admin hides someone's highlight behind a marker."""
    highlight = get_highlight_for_moderation(request.user, pk)
    highlight.remove_by_moderator(request.user)
    return _after_change(request, highlight.article, anchor=f"item-{highlight.pk}")


@require_POST
@login_required
def reply_create(request, pk):
    highlight = get_highlight_for_reply(request.user, pk)
    form = NoteForm(request.POST, field="body")
    if not form.is_valid():
        return _refuse(request, highlight.article, first_error(form))
    reply = Reply(highlight=highlight, author=request.user)
    reply.set_body(form.cleaned_data["body"])
    return _after_change(request, highlight.article, status=201, anchor=f"reply-{reply.pk}")


@require_POST
@login_required
def reply_update(request, pk):
    reply = get_reply_for_write(request.user, pk)
    form = NoteForm(request.POST, field="body")
    if not form.is_valid():
        return _refuse(request, reply.highlight.article, first_error(form))
    reply.set_body(form.cleaned_data["body"])
    return _after_change(request, reply.highlight.article, anchor=f"reply-{reply.pk}")


@require_POST
@login_required
def reply_delete(request, pk):
    """Authors delete their own replies; owners and admins remove others' (a marker stays)."""
    reply = get_reply_for_user(request.user, pk)
    article = reply.highlight.article
    if reply.author_id != request.user.pk:
        get_reply_for_moderation(request.user, pk).remove_by_moderator(request.user)
        return _after_change(request, article, anchor=f"item-{reply.highlight_id}")
    reply = get_reply_for_write(request.user, pk)
    reply.trash(request.user)
    schedule_purge()
    extra = {"restorable": ("reply", reply.pk, "Reply")}
    return _after_change(request, article, anchor=f"item-{reply.highlight_id}", extra=extra)


@require_POST
@login_required
def highlight_note(request, pk):
    highlight = get_highlight_for_write(request.user, pk)
    form = NoteForm(request.POST, field="note", required=False)
    if not form.is_valid():
        return _refuse(request, highlight.article, first_error(form))
    highlight.set_note(form.cleaned_data["note"])
    return _after_change(request, highlight.article, anchor=f"item-{highlight.pk}")


@require_POST
@login_required
def highlight_delete(request, pk):
    highlight = get_highlight_for_write(request.user, pk)
    article = highlight.article
    replies = highlight.replies.count()
    if (highlight.note or replies) and request.POST.get("confirm") != "yes":
        # Without JavaScript there is no confirm dialog: ask on a page instead.
        context = {"highlight": highlight, "replies": replies, "trash_days": settings.TRASH_DAYS}
        return render(request, "articles/highlight_confirm_delete.html", context)
    token = delete_highlight(highlight, request.user)
    if request.htmx:
        extra = {"undo_token": token}
        return _after_change(request, article, extra=extra)
    return _after_change(request, article)


@require_POST
@login_required
def highlight_restore(request, pk):
    article = get_article_for_write(request.user, pk)
    try:
        highlight = restore_highlight(article, request.user, request.POST.get("token", ""))
    except signing.BadSignature:
        return _refuse(request, article, "This highlight can no longer be restored.")
    return _after_change(request, article, anchor=f"item-{highlight.pk}")


@require_POST
@login_required
def note_create(request, pk):
    article = get_article_for_write(request.user, pk)
    form = NoteForm(request.POST, field="body")
    if not form.is_valid():
        return _refuse(request, article, first_error(form))
    note = ArticleNote(article=article, author=request.user)
    note.set_body(form.cleaned_data["body"])
    return _after_change(request, article, status=201, anchor=f"note-{note.pk}")


@require_POST
@login_required
def note_update(request, pk):
    note = get_note_for_write(request.user, pk)
    form = NoteForm(request.POST, field="body")
    if not form.is_valid():
        return _refuse(request, note.article, first_error(form))
    note.set_body(form.cleaned_data["body"])
    return _after_change(request, note.article, anchor=f"note-{note.pk}")


@require_POST
@login_required
def note_delete(request, pk):
    note = get_note_for_write(request.user, pk)
    article = note.article
    if request.POST.get("confirm") != "yes":
        # Without JavaScript there is no confirm dialog: ask on a page instead.
        context = {"note": note, "trash_days": settings.TRASH_DAYS}
        return render(request, "articles/note_confirm_delete.html", context)
    note.trash(request.user)
    schedule_purge()
    return _after_change(request, article, extra={"restorable": ("note", note.pk, "Note")})


@require_safe
@login_required
def article_trash(request, pk):
    """What of the article is in the trash, with Restore for its authors."""
    article = get_article_for_user(request.user, pk, defer=("html", "text"))
    trashed = trashed_for(article, request.user)
    for item in [*trashed["highlights"], *trashed["notes"], *trashed["replies"]]:
        item.restorable = may_change_own(request.user, item, article.viewer_role)
    context = {
        **trashed,
        "article": article,
        "can_empty": can(article.viewer_role, MODERATE),
        "trash_days": settings.TRASH_DAYS,
    }
    return render(request, "articles/trash.html", context)


@require_POST
@login_required
def trash_restore(request, pk):
    """Bring back a highlight, note or reply of the article from the trash (its author)."""
    article = get_article_for_write(request.user, pk)
    item = find_trashed(
        article, request.user, request.POST.get("kind", ""), request.POST.get("id", "")
    )
    if item is None or not may_change_own(request.user, item, article.viewer_role):
        return _refuse(request, article, "This can no longer be restored.")
    item.restore()
    if request.htmx and request.POST.get("from") != "trash":
        return _after_change(request, article)
    messages.success(request, "Restored.")
    return redirect("articles:article-trash", pk=article.pk)


@require_POST
@login_required
def trash_empty(request, pk):
    """Owners and admins delete the article's trash for good (after a confirmation)."""
    article = get_article_for_user(request.user, pk, defer=("html", "text"), capability=MODERATE)
    if request.POST.get("confirm") != "yes":
        return render(request, "articles/trash_confirm_empty.html", {"article": article})
    count = empty_trash(article, request.user)
    article.touch_annotations()
    messages.success(request, f"Deleted {count} item(s) for good.")
    return redirect("articles:article-trash", pk=article.pk)


@require_safe
@login_required
def team_trash(request, slug):
    """The team's articles in the trash, with Restore for members who may write."""
    team = get_team_for_user(request.user, slug)
    context = {
        "team": team,
        "articles": trashed_articles(team),
        "can_restore": can(team.viewer_role, WRITE),
        "can_empty": can(team.viewer_role, MODERATE),
        "trash_days": settings.TRASH_DAYS,
    }
    return render(request, "articles/team_trash.html", context)


@require_POST
@login_required
def team_trash_restore(request, slug):
    team = get_team_for_user(request.user, slug, WRITE)
    pk = id_from(request.POST.get("id", ""))
    article = trashed_articles(team).filter(pk=pk).first() if pk is not None else None
    if article is None:
        messages.error(request, "This article can no longer be restored.")
        return redirect("articles:team-trash", slug=team.slug)
    article.restore()
    messages.success(request, f"“{article.title}” is back, with everything on it.")
    return redirect("articles:article-detail", pk=article.pk)


@require_POST
@login_required
def team_trash_empty(request, slug):
    """Owners and admins delete the team's trashed articles for good (after a confirmation)."""
    team = get_team_for_user(request.user, slug, MODERATE)
    if request.POST.get("confirm") != "yes":
        return render(request, "articles/trash_confirm_empty.html", {"team": team})
    count = empty_team_trash(team)
    messages.success(request, f"Deleted {count} item(s) for good.")
    return redirect("articles:team-trash", slug=team.slug)
