"""Replies under highlights and notes on whole articles."""

from ninja import Router

from api.auth import require_write
from api.schemas import ERRORS, NoteOut, ReplyOut, WrittenIn
from api.shapes import note_out, reply_out
from articles.models import ArticleNote, Reply
from articles.trash import schedule_purge
from newsreader.access import (
    get_article_for_user,
    get_article_for_write,
    get_highlight_for_reply,
    get_highlight_for_user,
    get_note_for_user,
    get_note_for_write,
    get_reply_for_moderation,
    get_reply_for_user,
    get_reply_for_write,
)

router = Router(tags=["discussion"])


@router.get(
    "/highlights/{int:pk}/replies/", response={200: list[ReplyOut], **ERRORS}, summary="Replies"
)
def reply_list(request, pk: int):
    """Oldest first; a reply a moderator removed stays as a marker without its text."""
    highlight = get_highlight_for_user(request.user, pk)
    return [
        reply_out(r)
        for r in highlight.replies.select_related("author").order_by("created_at", "id")
    ]


@router.post("/highlights/{int:pk}/replies/", response={201: ReplyOut, **ERRORS}, summary="Reply")
def reply_create(request, pk: int, data: WrittenIn):
    require_write(request)
    highlight = get_highlight_for_reply(request.user, pk)
    reply = Reply(highlight=highlight, author=request.user)
    reply.set_body(data.body)
    return 201, reply_out(reply)


@router.get("/replies/{int:pk}/", response={200: ReplyOut, **ERRORS}, summary="A reply")
def reply_detail(request, pk: int):
    return reply_out(get_reply_for_user(request.user, pk))


@router.patch("/replies/{int:pk}/", response={200: ReplyOut, **ERRORS}, summary="Edit a reply")
def reply_update(request, pk: int, data: WrittenIn):
    require_write(request)
    reply = get_reply_for_write(request.user, pk)
    reply.set_body(data.body)
    return reply_out(reply)


@router.delete("/replies/{int:pk}/", response={204: None, **ERRORS}, summary="Delete a reply")
def reply_delete(request, pk: int):
    """Authors delete their own (to the trash); owners and admins remove others'."""
    require_write(request)
    reply = get_reply_for_user(request.user, pk)
    if reply.author_id != request.user.pk:
        get_reply_for_moderation(request.user, pk).remove_by_moderator(request.user)
    else:
        get_reply_for_write(request.user, pk).trash(request.user)
        schedule_purge()
    return 204, None


@router.get(
    "/articles/{int:pk}/notes/", response={200: list[NoteOut], **ERRORS}, summary="Article notes"
)
def note_list(request, pk: int):
    article = get_article_for_user(request.user, pk, defer=("original", "html", "text"))
    return [
        note_out(n) for n in article.notes.select_related("author").order_by("created_at", "id")
    ]


@router.post("/articles/{int:pk}/notes/", response={201: NoteOut, **ERRORS}, summary="Add a note")
def note_create(request, pk: int, data: WrittenIn):
    require_write(request)
    article = get_article_for_write(request.user, pk)
    note = ArticleNote(article=article, author=request.user)
    note.set_body(data.body)
    return 201, note_out(note)


@router.get("/notes/{int:pk}/", response={200: NoteOut, **ERRORS}, summary="An article note")
def note_detail(request, pk: int):
    return note_out(get_note_for_user(request.user, pk))


@router.patch("/notes/{int:pk}/", response={200: NoteOut, **ERRORS}, summary="Edit a note")
def note_update(request, pk: int, data: WrittenIn):
    require_write(request)
    note = get_note_for_write(request.user, pk)
    note.set_body(data.body)
    return note_out(note)


@router.delete("/notes/{int:pk}/", response={204: None, **ERRORS}, summary="Delete a note")
def note_delete(request, pk: int):
    require_write(request)
    get_note_for_write(request.user, pk).trash(request.user)
    schedule_purge()
    return 204, None
