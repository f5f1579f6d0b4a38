"""The login backend: Django's, loading the user's reader settings with the user.

Every page puts the reader settings on <html> (templates/base.html), so they
come in the same query as the signed-in user instead of one more per page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithSettingsBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("reader_settings")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
