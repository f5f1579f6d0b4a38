from django.conf import settings


def live_updates(request):
    """The polling interval the reader's live updates use (templates/articles/_live_poller.html)."""
    return {"live_update_seconds": settings.LIVE_UPDATE_SECONDS}
