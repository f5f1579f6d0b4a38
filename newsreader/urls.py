from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe

from articles import accounts


@require_safe
def healthz(request):
    """Liveness for load balancers and process managers: the app answers."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", include("articles.urls")),
    path("teams/", include("articles.team_urls")),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("signup/", accounts.signup, name="signup"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
