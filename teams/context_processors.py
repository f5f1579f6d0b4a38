from django.utils.functional import SimpleLazyObject

from teams.forms import ReaderSettingsForm
from teams.models import ReaderSettings


def reader_settings(request):
    """The user's reader settings, for the attributes of <html> (templates/base.html),
    and their form, for the reader's popover (teams/reader_settings.html#form).

    Lazy: fragments that never render <html> never look; signed-in users' come
    with the user (teams/backends.py).
    """
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "reader_settings": SimpleLazyObject(lambda: ReaderSettings.of(user)),
        "reader_form": SimpleLazyObject(
            lambda: ReaderSettingsForm(instance=ReaderSettings.of(user))
        ),
    }
