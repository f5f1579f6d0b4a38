from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .access import current_membership, get_article_for_user
from .models import Article


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
def article_detail(request, pk):
    article = get_article_for_user(request.user, pk)
    return render(request, "articles/article_detail.html", {"article": article})
