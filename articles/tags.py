"""Tags: a team's labels on articles and on highlights, and their pages.

Names are the team's own and compare without case ("Climate" is the tag
"climate" if that exists). Members who may write tag articles; authors tag
their highlights; owners and admins rename, merge and delete a team's tags.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, F
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from articles.models import Article, Highlight, Tag
from articles.views import _after_change, _refuse
from newsreader.access import (
    MODERATE,
    can,
    get_article_for_write,
    get_highlight_for_write,
    get_tag_for_user,
    get_team_for_user,
    id_from,
)

MAX_TAG_CHARS = 100
MAX_TAGS = 50  # on one article or highlight
MAX_TEAM_TAGS = 2000


class TagError(ValueError):
    """A tag that cannot be: the message is meant for people."""


def clean_name(name):
    name = " ".join(str(name).split())
    if not name:
        raise TagError("A tag needs a name.")
    if len(name) > MAX_TAG_CHARS:
        raise TagError(f"A tag is at most {MAX_TAG_CHARS} characters.")
    return name


def split_names(text):
    """Names typed in one field: commas separate tags."""
    return [part for part in (" ".join(p.split()) for p in text.split(",")) if part]


def find_tag(team, name):
    return Tag.objects.filter(team=team, name__iexact=name).first()


def tag_named(team, name):
    """The team's tag of that name (any case), made if it is new."""
    name = clean_name(name)
    tag = find_tag(team, name)
    if tag is not None:
        return tag
    if Tag.objects.filter(team=team).count() >= MAX_TEAM_TAGS:
        raise TagError(f"A team has at most {MAX_TEAM_TAGS} tags: merge or delete some first.")
    return Tag.objects.get_or_create(team=team, name=name)[0]


def add_tags(target, team, names):
    """Tag an article or a highlight with `names`; TagError before anything changes."""
    names = list(dict.fromkeys(clean_name(name) for name in names))
    existing = {tag.name.casefold() for tag in target.tags.all()}
    new = [name for name in names if name.casefold() not in existing]
    if len(existing) + len(new) > MAX_TAGS:
        raise TagError(f"At most {MAX_TAGS} tags on one {_kind(target)}.")
    with transaction.atomic():
        tags = [tag_named(team, name) for name in new]
        target.tags.add(*tags)
    _changed(target)
    return tags


def set_tags(target, team, names):
    """Exactly these tags (the API's PATCH)."""
    names = list({clean_name(n).casefold(): clean_name(n) for n in names}.values())
    if len(names) > MAX_TAGS:
        raise TagError(f"At most {MAX_TAGS} tags on one {_kind(target)}.")
    with transaction.atomic():
        target.tags.set([tag_named(team, name) for name in names])
    _changed(target)


def remove_tag(target, tag):
    target.tags.remove(tag)
    _changed(target)


def _kind(target):
    return "highlight" if isinstance(target, Highlight) else "article"


def _changed(target):
    # A highlight's tags are shown in the reader's cached panel.
    if isinstance(target, Highlight):
        target.article.touch_annotations()


def _touch_highlighted(tag):
    """The articles whose highlights carry `tag`: their cached panels show it (the
    library's pages go stale through the tag's own save or delete)."""
    Article.all_objects.filter(highlights__tags=tag).update(
        annotations_version=F("annotations_version") + 1
    )


def rename(tag, name):
    """Rename; to another tag's name, the two become one (merge). Returns the tag."""
    name = clean_name(name)
    other = Tag.objects.filter(team_id=tag.team_id, name__iexact=name).exclude(pk=tag.pk).first()
    if other is not None:
        return merge(tag, other)
    tag.name = name
    tag.save(update_fields=["name"])
    _touch_highlighted(tag)
    return tag


@transaction.atomic
def merge(source, target):
    """Every article and highlight tagged `source` gets `target`; `source` goes."""
    if source.pk == target.pk:
        return target
    for through, column in (
        (Article.tags.through, "article_id"),
        (Highlight.tags.through, "highlight_id"),
    ):
        have = through.objects.filter(tag=target).values_list(column, flat=True)
        moving = through.objects.filter(tag=source).exclude(**{f"{column}__in": have})
        moving.update(tag=target)
    _touch_highlighted(source)
    source.delete()
    _touch_highlighted(target)
    return target


def delete(tag):
    _touch_highlighted(tag)
    tag.delete()


# Views


def _article_tags(request, article, *, error="", status=200):
    if request.htmx:
        context = {
            "article": article,
            "can_write": True,
            "team_tags": Tag.objects.filter(team_id=article.team_id),
            "tag_error": error,
        }
        return render(request, "articles/article_detail.html#article-tags", context, status=status)
    if error:
        messages.error(request, error)
    return redirect("articles:article-detail", pk=article.pk)


@require_POST
@login_required
def article_tag_add(request, pk):
    article = get_article_for_write(request.user, pk)
    try:
        add_tags(article, article.team, split_names(request.POST.get("name", "")) or [""])
    except TagError as error:
        return _article_tags(request, article, error=str(error), status=422)
    return _article_tags(request, article)


@require_POST
@login_required
def article_tag_remove(request, pk, tag_pk):
    article = get_article_for_write(request.user, pk)
    tag = article.tags.filter(pk=tag_pk).first()
    if tag is not None:
        remove_tag(article, tag)
    return _article_tags(request, article)


def _highlight_answer(request, highlight, error=""):
    if error:
        return _refuse(request, highlight.article, error)
    return _after_change(request, highlight.article, anchor=f"hl-{highlight.pk}")


@require_POST
@login_required
def highlight_tag_add(request, pk):
    highlight = get_highlight_for_write(request.user, pk)
    try:
        names = split_names(request.POST.get("name", "")) or [""]
        add_tags(highlight, highlight.article.team, names)
    except TagError as error:
        return _highlight_answer(request, highlight, str(error))
    return _highlight_answer(request, highlight)


@require_POST
@login_required
def highlight_tag_remove(request, pk, tag_pk):
    highlight = get_highlight_for_write(request.user, pk)
    tag = highlight.tags.filter(pk=tag_pk).first()
    if tag is not None:
        remove_tag(highlight, tag)
    return _highlight_answer(request, highlight)


@require_safe
@login_required
def tag_list(request, slug):
    team = get_team_for_user(request.user, slug)
    tags = (
        Tag.objects.filter(team=team)
        .annotate(
            article_total=Count("articles", distinct=True),
            highlight_total=Count("highlights", distinct=True),
        )
        .order_by("name")
    )
    context = {"team": team, "tags": tags, "can_manage": can(team.viewer_role, MODERATE)}
    return render(request, "articles/tag_list.html", context)


@require_POST
@login_required
def tag_rename(request, pk):
    tag = get_tag_for_user(request.user, pk, MODERATE)
    old = tag.name
    try:
        result = rename(tag, request.POST.get("name", ""))
    except TagError as error:
        messages.error(request, f"“{old}”: {error}")
        return redirect("articles:tag-list", slug=tag.team.slug)
    if result.pk != tag.pk:
        messages.success(request, f"Merged “{old}” into “{result.name}”.")
    else:
        messages.success(request, f"Renamed “{old}” to “{result.name}”.")
    return redirect("articles:tag-list", slug=tag.team.slug)


@require_POST
@login_required
def tag_merge(request, pk):
    tag = get_tag_for_user(request.user, pk, MODERATE)
    into_pk = id_from(request.POST.get("into", ""))
    into = Tag.objects.filter(team_id=tag.team_id, pk=into_pk).first() if into_pk else None
    if into is None or into.pk == tag.pk:
        messages.error(request, f"Choose another tag of the team to merge “{tag.name}” into.")
    else:
        merge(tag, into)
        messages.success(request, f"Merged “{tag.name}” into “{into.name}”.")
    return redirect("articles:tag-list", slug=tag.team.slug)


@require_POST
@login_required
def tag_delete(request, pk):
    tag = get_tag_for_user(request.user, pk, MODERATE)
    if request.POST.get("confirm") != "yes":
        context = {
            "tag": tag,
            "article_total": tag.articles.count(),
            "highlight_total": tag.highlights.count(),
        }
        return render(request, "articles/tag_confirm_delete.html", context)
    delete(tag)
    messages.success(
        request, f"Deleted the tag “{tag.name}”; the articles and highlights it was on remain."
    )
    return redirect("articles:tag-list", slug=tag.team.slug)
