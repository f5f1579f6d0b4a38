from django.urls import path

from articles import exports, notebook, previews, sharing, tags, views

app_name = "articles"
urlpatterns = [
    path("", views.library, name="library"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("articles/<int:pk>/updates/", views.article_updates, name="article-updates"),
    path("articles/<int:pk>/read/", views.article_read, name="article-read"),
    path("articles/<int:pk>/progress/", views.article_progress, name="article-progress"),
    path("articles/<int:pk>/state/", views.article_state, name="article-state"),
    path("articles/<int:pk>/highlights/", views.highlight_create, name="highlight-create"),
    path(
        "articles/<int:pk>/highlights/restore/",
        views.highlight_restore,
        name="highlight-restore",
    ),
    path(
        "articles/<int:pk>/highlights/quote/",
        views.highlight_from_quote,
        name="highlight-quote",
    ),
    path("articles/<int:pk>/notes/", views.note_create, name="note-create"),
    path("articles/<int:pk>/notes/preview/", previews.note_preview, name="note-preview"),
    path("articles/<int:pk>/export/<str:fmt>/", exports.article_export, name="article-export"),
    # A team's export sits under the team's address; the team pages link to it.
    path("teams/<slug:slug>/export/<str:fmt>/", exports.team_export, name="team-export"),
    path("articles/<int:pk>/trash/", views.article_trash, name="article-trash"),
    path("articles/<int:pk>/trash/restore/", views.trash_restore, name="trash-restore"),
    path("articles/<int:pk>/trash/empty/", views.trash_empty, name="trash-empty"),
    path("teams/<slug:slug>/trash/", views.team_trash, name="team-trash"),
    path("teams/<slug:slug>/trash/restore/", views.team_trash_restore, name="team-trash-restore"),
    path("teams/<slug:slug>/trash/empty/", views.team_trash_empty, name="team-trash-empty"),
    path("articles/<int:pk>/tags/", tags.article_tag_add, name="article-tag-add"),
    path(
        "articles/<int:pk>/tags/<int:tag_pk>/remove/",
        tags.article_tag_remove,
        name="article-tag-remove",
    ),
    path("highlights/<int:pk>/tags/", tags.highlight_tag_add, name="highlight-tag-add"),
    path(
        "highlights/<int:pk>/tags/<int:tag_pk>/remove/",
        tags.highlight_tag_remove,
        name="highlight-tag-remove",
    ),
    path("teams/<slug:slug>/tags/", tags.tag_list, name="tag-list"),
    path("tags/<int:pk>/rename/", tags.tag_rename, name="tag-rename"),
    path("tags/<int:pk>/merge/", tags.tag_merge, name="tag-merge"),
    path("tags/<int:pk>/delete/", tags.tag_delete, name="tag-delete"),
    path("notebook/", notebook.notebook, name="notebook"),
    path("highlights/<int:pk>/", views.highlight_detail, name="highlight-detail"),
    path("highlights/<int:pk>/colour/", views.highlight_recolour, name="highlight-recolour"),
    path("highlights/<int:pk>/note/", views.highlight_note, name="highlight-note"),
    path(
        "highlights/<int:pk>/visibility/",
        views.highlight_visibility,
        name="highlight-visibility",
    ),
    path("highlights/<int:pk>/remove/", views.highlight_remove, name="highlight-remove"),
    path("highlights/<int:pk>/replies/", views.reply_create, name="reply-create"),
    path("replies/<int:pk>/", views.reply_update, name="reply-update"),
    path("replies/<int:pk>/delete/", views.reply_delete, name="reply-delete"),
    path("highlights/<int:pk>/delete/", views.highlight_delete, name="highlight-delete"),
    path("notes/<int:pk>/", views.note_update, name="note-update"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note-delete"),
    # Adding articles to a team from its library (articles/adding.py).
    path("teams/<slug:slug>/add/url/", views.capture_create, name="capture-create"),
    path("teams/<slug:slug>/add/text/", views.article_paste, name="article-paste"),
    path("teams/<slug:slug>/add/files/", views.article_upload, name="article-upload"),
    path("captures/<int:pk>/", views.capture_detail, name="capture-detail"),
    path("captures/<int:pk>/retry/", views.capture_retry, name="capture-retry"),
    path("captures/<int:pk>/dismiss/", views.capture_dismiss, name="capture-dismiss"),
    # Saving from other sites: the bookmarklet's window and the web app's share target.
    path("save/", sharing.save, name="save"),
    path("save/bookmarklet/", sharing.bookmarklet, name="bookmarklet"),
    path("articles/<int:pk>/edit/", views.article_edit, name="article-edit"),
    path("articles/<int:pk>/delete/", views.article_delete, name="article-delete"),
]
