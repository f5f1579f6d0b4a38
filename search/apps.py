from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every ORM write of what the index holds updates it (search/index.py);
        # bulk paths (imports) call index_articles() themselves.
        from search import index

        index.connect_signals()
