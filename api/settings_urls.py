from django.urls import path

from api import views

# Included at "settings/": the user's own settings (tokens, and ways to save).
app_name = "settings"
urlpatterns = [
    path("", views.settings_home, name="settings"),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
