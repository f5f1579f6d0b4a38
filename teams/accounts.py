"""Accounts: logging in (throttled), signing up, and the user's own settings
(display name, reader settings, password; resetting a forgotten one by e-mail).

Sign-up is open only when settings.OPEN_SIGNUP is on (env OPEN_SIGNUP, off by
default), or to someone following a usable invitation link. Admins can always
create users in the admin site.
"""

import copy
import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from articles.models import Article
from newsreader.htmx import render_page
from teams.forms import (
    ChangePasswordForm,
    DisplayNameForm,
    EmailForm,
    NewPasswordForm,
    ReaderSettingsForm,
    ResetRequestForm,
    SignupForm,
)
from teams.membership import (
    InvitationError,
    accept_invitation,
    check_usable,
    ensure_personal_team,
    find_invitation,
    switch_team,
)
from teams.models import Membership, ReaderSettings, Team
from teams.throttle import THROTTLE, ThrottledAuthenticationForm, client_address, increment


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
    form = SignupForm(request.POST if request.method == "POST" else None, label_suffix="")
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
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            if joined is not None:
                switch_team(request.session, joined)
                role = joined.get_role_display().lower()
                messages.success(request, f"You joined “{joined.team.name}” as {role}.")
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "invitation": invitation, "token": token}
    return render(request, "registration/signup.html", context, status=422 if form.errors else 200)


# The user's own settings, at /settings/ (api/settings_urls.py; the tokens are in api/views.py).


def set_display_name(user, name):
    """Change the name others see (blank: the username)."""
    user.first_name, user.last_name = name, ""
    user.save(update_fields=["first_name", "last_name"])
    name_changed(user)


def name_changed(user):
    """Record that `user`'s display name changed (here, or in the admin): the reader's
    panels and the library's pages are cached with the names on them."""
    Article.all_objects.filter(team__memberships__user=user).touch_panels()
    Team.objects.filter(memberships__user=user).update(library_version=F("library_version") + 1)


def save_reader_settings(user, values):
    """Store the user's reader settings (ReaderSettingsForm's cleaned data)."""
    saved, _ = ReaderSettings.objects.update_or_create(user=user, defaults=values)
    # Library pages are cached whole, the attributes of <html> included.
    Membership.objects.filter(user=user).update(library_version=F("library_version") + 1)
    return saved


def _next_page(request, default):
    """Where a plain form post goes back to: its `next`, when it is one of our pages."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else default


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def reader_settings(request):
    """The reader settings: a page, or (htmx) the reader's popover saving each change."""
    # A copy: a refused form must not leave its values on the settings the page shows.
    form = ReaderSettingsForm(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(ReaderSettings.of(request.user)),
    )
    status, saved = 200, False
    if form.is_bound and form.is_valid():
        request.user.reader_settings = save_reader_settings(request.user, form.cleaned_data)
        if not request.htmx:
            messages.success(request, "Saved your reader settings.")
            return redirect(_next_page(request, reverse("settings:reader-settings")))
        saved = True
    elif form.is_bound:
        status = 422
    context = {
        "reader_form": form,
        "reader_settings": ReaderSettings.of(request.user),
        "saved": saved,
    }
    return render_page(
        request,
        "teams/reader_settings.html",
        "teams/reader_settings.html#status",
        context,
        status=status,
    )


def _settings_page(request, display_form=None, email_form=None, status=200):
    user = request.user
    context = {
        "display_form": display_form
        or DisplayNameForm(initial={"display_name": user.get_full_name()}),
        "email_form": email_form or EmailForm(user, initial={"email": user.email}),
        "reader_form": ReaderSettingsForm(instance=ReaderSettings.of(user)),
    }
    return render(request, "api/settings.html", context, status=status)


@require_safe
@login_required
def settings_home(request):
    """The user's settings: their account, the reader, and the ways to save pages."""
    return _settings_page(request)


@require_POST
@login_required
def display_name_update(request):
    form = DisplayNameForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, display_form=form, status=422)
    name = form.cleaned_data["display_name"]
    set_display_name(request.user, name)
    messages.success(
        request, f"Others now see you as “{name}”." if name else "Others now see your username."
    )
    return redirect("settings:settings")


@require_POST
@login_required
def email_update(request):
    form = EmailForm(request.user, request.POST, address=client_address(request))
    if not form.is_valid():
        if form.retry_after is not None:
            response = _settings_page(request, email_form=form, status=429)
            response["Retry-After"] = str(form.retry_after)
            return response
        return _settings_page(request, email_form=form, status=422)
    request.user.email = form.cleaned_data["email"]
    request.user.save(update_fields=["email"])
    email = request.user.email
    messages.success(
        request,
        f"Password reset links now go to {email}."
        if email
        else "Your account has no e-mail address now.",
    )
    return redirect("settings:settings")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's: the old password, the new one twice; this session stays signed in
    (the others end, since their session hash no longer matches)."""

    form_class = ChangePasswordForm
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("settings:settings")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "address": client_address(self.request)}

    def form_valid(self, form):
        messages.success(self.request, "Your password has been changed.")
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 422
        if form.retry_after is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


# Resetting a forgotten password: Django's flow (request, e-mail with a
# single-use link, new password), its templates in teams/templates/registration/.
# E-mail goes through EMAIL_* settings (README, "Configuration").

# Reset e-mails one address may be sent in an hour, so that nobody can flood
# someone's inbox from the form.
RESETS_PER_HOUR = 3
# Reset requests one client address may make in an hour, whatever the e-mail
# addresses: each new one would otherwise be another count in the cache and
# another e-mail sent.
RESETS_PER_CLIENT_PER_HOUR = 10


# The templates have names of their own: the admin app, earlier in
# INSTALLED_APPS, has templates under Django's default names.


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/reset_request.html"
    form_class = ResetRequestForm
    email_template_name = "registration/reset_email.txt"
    subject_template_name = "registration/reset_subject.txt"

    def form_valid(self, form):
        # The answer is the same either way: the form never tells whether an
        # address has an account, nor whether this one was over its limit.
        email = form.cleaned_data["email"].strip().lower()
        hour = int(time.time() // 3600)
        client = hashlib.sha256(client_address(self.request).encode()).hexdigest()
        # The client first: past its limit, no e-mail address is counted (or sent to).
        over = _count(f"password-reset:client:{client}:{hour}") > RESETS_PER_CLIENT_PER_HOUR
        if not over:
            email_key = f"password-reset:{hashlib.sha256(email.encode()).hexdigest()}:{hour}"
            over = _count(email_key) > RESETS_PER_HOUR
        if over:
            return redirect(self.get_success_url())
        return super().form_valid(form)


def _count(key):
    # Atomic on every cache (teams/throttle.py): parallel requests cannot slip past;
    # kept with the login counts, where other traffic cannot cull them.
    return increment(key, 1, timeout=2 * 60 * 60, alias=THROTTLE)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/reset_confirm.html"
    form_class = NewPasswordForm


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/reset_sent.html"

    def get_context_data(self, **kwargs):
        valid_hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        return {**super().get_context_data(**kwargs), "valid_hours": valid_hours}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/reset_complete.html"
