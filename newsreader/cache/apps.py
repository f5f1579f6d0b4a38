from django.apps import AppConfig


class CacheConfig(AppConfig):
    name = "newsreader.cache"
    label = "cache"
    verbose_name = "Cache"
