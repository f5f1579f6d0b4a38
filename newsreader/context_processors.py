from django.conf import settings

from newsreader.lib.colours import HIGHLIGHT_COLOURS


def live_updates(request):
    """The polling interval of the reader's live updates (article_detail.html#live-poller)."""
    return {"live_update_seconds": settings.LIVE_UPDATE_SECONDS}


def highlight_colours(request):
    """The meanings of the highlight colours, in key order (base.html's list of shortcuts)."""
    return {"highlight_colours": HIGHLIGHT_COLOURS}
