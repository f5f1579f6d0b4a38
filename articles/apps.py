from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The import pages register themselves with the admin.
        from . import import_admin  # noqa: F401
