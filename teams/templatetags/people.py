from django import template

from teams import models

register = template.Library()


@register.filter
def display_name(user):
    """{{ highlight.author|display_name }}: the display name, else the username."""
    return models.display_name(user)
