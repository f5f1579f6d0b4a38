from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from newsreader import webapp
from teams import accounts


@require_safe
def healthz(request):
    """Liveness for load balancers and process managers: the app answers."""
    return HttpResponse("ok", content_type="text/plain")


# A database outage is a 503, other errors Django's 500 (templates/500.html).
handler500 = "newsreader.errors.server_error"

urlpatterns = [
    path("", include("articles.urls")),
    path("teams/", include("teams.urls")),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("signup/", accounts.signup, name="signup"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Forgotten passwords (Django's flow and URL names; teams/accounts.py).
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Admin addresses from before teams and imports had apps of their own.
    re_path(
        r"^admin/articles/(?P<rest>(team|membership|invitation)/.*)$",
        RedirectView.as_view(url="/admin/teams/%(rest)s", query_string=True),
    ),
    re_path(
        r"^admin/articles/(?P<rest>import(batch|item)/.*)$",
        RedirectView.as_view(url="/admin/imports/%(rest)s", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("settings/", include("api.settings_urls")),
    path("healthz/", healthz, name="healthz"),
    path("manifest.webmanifest", webapp.manifest, name="manifest"),
    path("favicon.ico", webapp.favicon, name="favicon"),
]
