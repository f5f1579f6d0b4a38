"""The user's settings pages: personal access tokens, and the ways to save pages."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST

from api.models import ApiToken
from api.tokens import TokenError, issue_token
from newsreader.access import get_token_for_user

# Days a new token lasts ("" : until revoked).
EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "A year"), ("", "Never")]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def token_list(request):
    """The user's tokens; POST makes one, whose secret this answer shows once."""
    context = {"expiry_choices": EXPIRY_CHOICES, "scopes": ApiToken.Scope, "values": {}}
    status = 200
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in ("name", "scope", "expires")}
        try:
            days = values["expires"]
            if days not in dict(EXPIRY_CHOICES):
                raise TokenError("Choose how long the token lasts.")
            expires_at = timezone.now() + timedelta(days=int(days)) if days else None
            token, secret = issue_token(
                request.user, name=values["name"], scope=values["scope"], expires_at=expires_at
            )
            context.update(new_token=token, secret=secret)
            status = 201
        except TokenError as error:
            context.update(error=str(error), values=values)
            status = 422
    context["tokens"] = ApiToken.objects.filter(user=request.user, revoked_at=None)
    response = render(request, "api/tokens.html", context, status=status)
    # The secret is on this page once: no cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@login_required
def token_revoke(request, pk):
    """Revoke at once: the next request with the token is refused."""
    token = get_token_for_user(request.user, pk)
    token.revoke()
    messages.success(
        request, f"Revoked the token “{token.name}”. Programs using it stop working now."
    )
    return redirect("settings:token-list")
