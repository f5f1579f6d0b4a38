"""The login backend: Django's, loading the user's reader settings with the user.

Every page puts the reader settings on <html> (templates/base.html), so they
come in the same query as the signed-in user instead of one more per page.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied


class UserWithSettingsBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and username is not None:
            # Django's ModelBackend stays in AUTHENTICATION_BACKENDS only so that
            # sessions from before this backend stay signed in; refusing here
            # stops it from checking the same password a second time.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("reader_settings")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
