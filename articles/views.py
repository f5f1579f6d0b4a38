from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from .access import (
    current_membership,
    get_article_for_user,
    get_article_for_write,
    get_highlight_for_write,
)
from .anchoring import AnchoringError
from .forms import ColourForm, HighlightForm, first_error
from .highlighting import create_highlight, highlighted_html
from .models import Article, Highlight


@require_safe
@login_required
@vary_on_headers("HX-Request")
def library(request):
    membership = current_membership(request)
    articles = Article.objects.none()
    if membership is not None:
        articles = Article.objects.filter(team=membership.team).for_list()
    page = Paginator(articles, settings.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"team": membership.team if membership else None, "page": page}
    template = "articles/_article_list.html" if request.htmx else "articles/library.html"
    return render(request, template, context)


@require_safe
@login_required
@vary_on_headers("HX-Request")
def article_detail(request, pk):
    article = get_article_for_user(request.user, pk)
    template = "articles/_annotations.html" if request.htmx else "articles/article_detail.html"
    return render(request, template, _reader_context(article))


def _reader_context(article):
    highlights = list(article.highlights.select_related("author").in_document_order())
    return {
        "article": article,
        "body_html": highlighted_html(article, highlights),
        "highlights": [h for h in highlights if not h.is_orphan],
        "orphans": [h for h in highlights if h.is_orphan],
        "colours": Highlight.Colour,
    }


def _after_change(request, article, *, status=200, anchor=""):
    """htmx gets the re-rendered body and panel; a plain form post goes back to the page."""
    if request.htmx:
        context = _reader_context(article)
        return render(request, "articles/_annotations.html", context, status=status)
    url = reverse("articles:article-detail", args=[article.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _refuse(request, article, message):
    """A clear error: in the page's status region for htmx, as a message otherwise."""
    if request.htmx:
        response = render(request, "articles/_status.html", {"message": message}, status=422)
        response["HX-Retarget"] = "#reader-status"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.error(request, message)
    return redirect("articles:article-detail", pk=article.pk)


@require_POST
@login_required
def highlight_create(request, pk):
    article = get_article_for_write(request.user, pk)
    form = HighlightForm(request.POST)
    if not form.is_valid():
        return _refuse(request, article, first_error(form))
    try:
        highlight, created = create_highlight(article, request.user, **form.cleaned_data)
    except AnchoringError as error:
        return _refuse(request, article, str(error))
    return _after_change(
        request, article, status=201 if created else 200, anchor=f"hl-{highlight.pk}"
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
def highlight_delete(request, pk):
    highlight = get_highlight_for_write(request.user, pk)
    article = highlight.article
    highlight.delete()
    return _after_change(request, article)
