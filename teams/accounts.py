"""Accounts: logging in (throttled) and signing up.

Sign-up is open only when settings.OPEN_SIGNUP is on (env OPEN_SIGNUP, off by
default), or to someone following a usable invitation link. Admins can always
create users in the admin site.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from teams.membership import (
    InvitationError,
    accept_invitation,
    check_usable,
    ensure_personal_team,
    find_invitation,
    switch_team,
)
from teams.throttle import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    """Django's login view with the throttled form; every user gets a personal team.

    Users made before teams existed, by `createsuperuser` or by the demo get
    theirs at their first login (idempotent for everyone else).
    """

    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "open_signup": settings.OPEN_SIGNUP}

    def form_valid(self, form):
        ensure_personal_team(form.get_user())
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


def _signup_invitation(token):
    """The invitation a sign-up follows and why it cannot be used ("" when it can)."""
    if not token:
        return None, ""
    invitation = find_invitation(token)
    try:
        check_usable(invitation)
    except InvitationError as error:
        return None, str(error)
    return invitation, ""


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    token = request.GET.get("invite", "")
    invitation, problem = _signup_invitation(token)
    if not settings.OPEN_SIGNUP and invitation is None:
        context = {"closed": True, "problem": problem}
        return render(request, "registration/signup.html", context, status=404)
    after = reverse("teams:invitation-accept", args=[token]) if invitation else None
    if request.user.is_authenticated:
        return redirect(after or settings.LOGIN_REDIRECT_URL)
    form = UserCreationForm(request.POST if request.method == "POST" else None, label_suffix="")
    if form.is_valid():
        try:
            # Signing up through an invitation uses it up in the same step, so
            # one link cannot open the (closed) sign-up for many accounts.
            with transaction.atomic():
                user = form.save()
                ensure_personal_team(user)
                joined = accept_invitation(token, user) if invitation else None
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if joined is not None:
                switch_team(request.session, joined)
                role = joined.get_role_display().lower()
                messages.success(request, f"You joined “{joined.team.name}” as {role}.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "invitation": invitation, "token": token}
    return render(request, "registration/signup.html", context, status=422 if form.errors else 200)
