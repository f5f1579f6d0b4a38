from django import template

from teams import models

register = template.Library()


@register.filter
def display_name(user):
    """{{ highlight.author|display_name }}: the display name, else the username."""
    return models.display_name(user)


@register.filter
def name_and_username(user):
    """{{ member.user|name_and_username }}: "Tariq Aziz (tariq)", or the username alone.

    For choosing a member where the username is what is sent (the library's
    "by" filter, which the search's "by:" matches too).
    """
    name, username = models.display_name(user), user.get_username()
    return username if name == username else f"{name} ({username})"
