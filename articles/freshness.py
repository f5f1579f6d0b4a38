"""What makes a cached library page stale, and the cache itself.

A library page is cached whole (articles/views.py library) under a key made of
the team's `library_version`, the member's own `library_version`, who they
are and the URL. Every change a page could show bumps one of them, so a
cached page is never served after it changed: a version is a row in the
database, read with the membership that every page reads anyway, so all
worker processes see the bump at once.

- The team's version: articles (saved, edited, trashed, restored, deleted,
  imported), their tags and the team's tags, highlights, notes and replies
  (Article.touch_annotations), who read what ("Read by"), the members and
  their roles, the team itself.
- The member's version: their own reading state (ArticleState), which no
  one else sees.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from teams.models import Membership, Team

# Stands for the request's CSRF token in a cached page: each request gets its own.
CSRF_SLOT = "\x00library-csrf\x00"


def bump_team(team_id):
    Team.objects.filter(pk=team_id).update(library_version=F("library_version") + 1)


def bump_member(team_id, user_id):
    Membership.objects.filter(team_id=team_id, user_id=user_id).update(
        library_version=F("library_version") + 1
    )


def page_key(request, membership):
    """The cache key of this library page for this member, as things stand now."""
    team = membership.team
    kind = "htmx" if request.htmx and not request.htmx.history_restore_request else "page"
    user = request.user
    return ":".join(
        str(part)
        for part in (
            "library",
            team.pk,
            team.library_version,
            membership.pk,
            membership.library_version,
            membership.role,
            user.pk,
            int(user.is_staff),
            kind,
            # Hashed: a URL can be longer than some caches take keys.
            hashlib.sha256(request.get_full_path().encode()).hexdigest(),
        )
    )


def cached_page(key, token):
    if not settings.LIBRARY_CACHE_SECONDS:
        return None
    html = cache.get(key)
    return None if html is None else html.replace(CSRF_SLOT, token)


def keep_page(key, html, token):
    # The token must not be kept: each request gets its own (cached_page).
    if settings.LIBRARY_CACHE_SECONDS:
        cache.set(key, html.replace(token, CSRF_SLOT), settings.LIBRARY_CACHE_SECONDS)


# The signals: connected in ArticlesConfig.ready().


# Article columns no library page shows or searches.
_UNSHOWN = {
    "source_url",
    "normalized_url",
    "updated_at",
    "original",
    "original_content_type",
    "original_filename",
    "original_charset",
    "lead_image_url",
    "extractor_version",
    "extracted_at",
}


def _article_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= _UNSHOWN:
        return
    bump_team(instance.team_id)


def _article_part_changed(sender, instance, **kwargs):
    from articles.models import Article

    team_id = Article.all_objects.filter(pk=instance.article_id).values("team_id")[:1]
    Team.objects.filter(pk__in=team_id).update(library_version=F("library_version") + 1)


def _team_changed(sender, instance, **kwargs):
    if not kwargs.get("created"):
        bump_team(instance.pk)


def _membership_changed(sender, instance, update_fields=None, **kwargs):
    # Switching teams saves last_used_at only: nothing a page shows.
    if update_fields is not None and set(update_fields) <= {"last_used_at", "library_version"}:
        return
    bump_team(instance.team_id)


def _tag_changed(sender, instance, **kwargs):
    bump_team(instance.team_id)


def _tagging_changed(sender, instance, action, **kwargs):
    # From either side: article.tags.add(tag) or tag.articles.add(article).
    if action.startswith("post_"):
        bump_team(instance.team_id)


def _state_changed(sender, instance, **kwargs):
    from articles.models import Article

    team_id = Article.all_objects.filter(pk=instance.article_id).values("team_id")[:1]
    Membership.objects.filter(team_id__in=team_id, user_id=instance.user_id).update(
        library_version=F("library_version") + 1
    )


def connect_signals():
    from articles.models import Article, ArticleRead, ArticleState, Tag

    for signal in (post_save, post_delete):
        signal.connect(_article_changed, sender=Article, dispatch_uid="freshness-article")
        signal.connect(_article_part_changed, sender=ArticleRead, dispatch_uid="freshness-read")
        signal.connect(_state_changed, sender=ArticleState, dispatch_uid="freshness-state")
        signal.connect(_tag_changed, sender=Tag, dispatch_uid="freshness-tag")
        signal.connect(_membership_changed, sender=Membership, dispatch_uid="freshness-member")
    post_save.connect(_team_changed, sender=Team, dispatch_uid="freshness-team")
    m2m_changed.connect(
        _tagging_changed, sender=Article.tags.through, dispatch_uid="freshness-tagging"
    )
