"""`{{ code|country }}`: a country's name in the reader's language, `{{ codes|countries }}` a list."""

from django import template

from crossroads import countries as vocabulary

register = template.Library()


@register.filter
def country(code) -> str:
    return vocabulary.name(code or "")


@register.filter
def countries(codes) -> str:
    return ", ".join(vocabulary.name(code) for code in codes or [])
