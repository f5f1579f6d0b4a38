"""One page, or its fragment for htmx: the single way views choose between them."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(request, page_template, fragment_template, context, status=200):
    """Render the fragment for htmx, the whole page otherwise; caches keep them apart.

    The fragment is usually a partial of the page: "articles/library.html#article-list".

    htmx restoring history after a cache miss wants the whole page back.
    """
    fragment = bool(request.htmx) and not request.htmx.history_restore_request
    template = fragment_template if fragment else page_template
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
