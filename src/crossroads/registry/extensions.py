"""What the apps above the register add to its pages, which it must not import.

A provider is `provider(user, case_or_person, persons) -> dict` of template context, added by
an app's `ready()`: linkage adds the possible duplicates of the persons shown (`duplicates`,
{person id: rows}), assistance the re-trafficking notices of a case (`notices`). Providers
decide under the access policy like everything else; `persons` is empty when the page shows
no names (a pseudonymous coordinator)."""

_providers: dict[str, list] = {"case": [], "person": []}


def add(page: str, provider) -> None:
    if provider not in _providers[page]:
        _providers[page].append(provider)


def extras(page: str, user, obj, persons) -> dict:
    context = {}
    for provider in _providers[page]:
        context.update(provider(user, obj, persons))
    return context
