"""Saving a page from elsewhere: the bookmarklet's window and the share target.

`/save/` takes what a browser shares (url, title, text, and the selection the
bookmarklet read) and asks before saving, so a GET never changes anything.
It saves the same way the library's Add forms do (articles/adding.py), and
when text was selected on the page, the result offers to highlight it: at once
for pasted text or an article the team has, once fetched for a URL (the
capture's card); the button posts to highlight_from_quote (articles/views.py).
"""

import json

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from articles.adding import AddError, Duplicate, add_text, capture_url
from newsreader.access import WRITE, can, current_membership, get_team_for_user
from teams.models import Membership

SHARED = ("url", "title", "text", "selection")
WRITING_ROLES = [role for role in Membership.Role if can(role, WRITE)]


def _shared(data):
    shared = {name: data.get(name, "").strip() for name in SHARED}
    # Some systems share a page's address as its text.
    text = shared["text"]
    if not shared["url"] and text.startswith(("http://", "https://")) and len(text.split()) == 1:
        shared["url"], shared["text"] = text, ""
    return shared


def _save_shared(team, user, shared):
    """Save by URL, or the text when only text was shared: (result, status)."""
    selection = shared["selection"]
    try:
        if shared["url"] or not shared["text"]:
            # The capture keeps the selection; its card offers to highlight it once fetched.
            capture = capture_url(team, user, shared["url"], selection=selection)
            return {"ok": True, "capture": capture}, 200
        article = add_text(team, user, shared["text"], title=shared["title"])
        return {
            "ok": True,
            "article": article,
            "highlight_in": _highlight_in(article, selection),
        }, 200
    except Duplicate as duplicate:
        article = duplicate.article
        result = {"ok": True, "duplicate": article, "message": str(duplicate)}
        return {**result, "highlight_in": _highlight_in(article, selection)}, 200
    except AddError as error:
        return {"ok": False, "message": str(error)}, 422


def _highlight_in(article, selection):
    """The article the result offers to highlight the selection in ("Highlight it"), if any."""
    return article if selection and not article.in_trash else None


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def save(request):
    """Save a shared page into a team the user may write to, after they press Save."""
    shared = _shared(request.POST if request.method == "POST" else request.GET)
    current = current_membership(request)
    teams = [
        m.team
        for m in Membership.objects.filter(user=request.user, role__in=WRITING_ROLES)
        .select_related("team")
        .order_by("team__name")
    ]
    context = {"shared": shared, "teams": teams, "current": current}
    if request.method != "POST":
        writable = current is not None and can(current.role, WRITE)
        context["team"] = current.team if writable else (teams[0] if teams else None)
        return render(request, "articles/save.html", context)
    slug = request.POST.get("team") or (current.team.slug if current else "")
    team = get_team_for_user(request.user, slug, WRITE)
    result, status = _save_shared(team, request.user, shared)
    context.update(team=team, result=result)
    return render(request, "articles/save.html", context, status=status)


def bookmarklet_href(save_url):
    """A `javascript:` URL opening `save_url` with the page's address, title and selection."""
    code = (
        "(function(){var d=document,s=String(window.getSelection?window.getSelection():'');"
        f"var u={json.dumps(save_url)}+'?url='+encodeURIComponent(location.href)"
        "+'&title='+encodeURIComponent(d.title)"
        "+'&selection='+encodeURIComponent(s.slice(0,2000));"
        "if(!window.open(u,'newsreader','width=560,height=640'))location.href=u;})();"
    )
    return "javascript:" + code


@require_safe
@login_required
def bookmarklet(request):
    href = bookmarklet_href(request.build_absolute_uri(reverse("articles:save")))
    return render(request, "articles/bookmarklet.html", {"href": href})
