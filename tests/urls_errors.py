"""The app's URLs plus views that fail, for the error-page tests."""

from django.db import DataError, OperationalError
from django.urls import path

from newsreader.urls import handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("a bug")


def database_down(request):
    raise OperationalError("connection to server at 127.0.0.1, port 1 failed")


def bad_value(request):
    raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")


urlpatterns = [
    *urlpatterns,
    path("broken/", broken),
    path("database-down/", database_down),
    path("bad-value/", bad_value),
]
