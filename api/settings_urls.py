from django.urls import path

from api import views
from teams import accounts

# Included at "settings/": the user's own settings (account, reader, tokens, ways to save).
app_name = "settings"
urlpatterns = [
    path("", accounts.settings_home, name="settings"),
    path("name/", accounts.display_name_update, name="display-name"),
    path("email/", accounts.email_update, name="email"),
    path("reader/", accounts.reader_settings, name="reader-settings"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password-change"),
    path("tokens/", views.token_list, name="token-list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
