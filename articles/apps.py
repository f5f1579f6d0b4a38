from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Cached library pages go stale with what they show (articles/freshness.py).
        from articles import freshness

        freshness.connect_signals()
