from django.conf import settings


def live_updates(request):
    """The polling interval of the reader's live updates (article_detail.html#live-poller)."""
    return {"live_update_seconds": settings.LIVE_UPDATE_SECONDS}
