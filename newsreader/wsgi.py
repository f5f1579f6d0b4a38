import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
django_application = get_wsgi_application()

from newsreader.limits import bounded_requests  # noqa: E402  (needs the apps loaded)

# Request bodies are bounded before Django reads them (newsreader/limits.py).
application = bounded_requests(django_application)
