"""What the apps above the register add to its pages, which it must not import.

A provider is `provider(user, case_or_person, persons) -> dict` of template context, added by
an app's `ready()`: linkage adds the possible duplicates of the persons shown (`duplicates`,
{person id: rows}), assistance the re-trafficking notices of a case (`notices`). Providers
decide under the access policy like everything else; `persons` is empty when the page shows
no names (a pseudonymous coordinator). A provider's `sections` (a list of dicts, each naming
its `template`) are the blocks it adds to the page; the lists of all providers are joined."""

_providers: dict[str, list] = {"case": [], "person": []}


def add(page: str, provider) -> None:
    if provider not in _providers[page]:
        _providers[page].append(provider)


def extras(page: str, user, obj, persons) -> dict:
    context = {}
    for provider in _providers[page]:
        added = provider(user, obj, persons)
        sections = context.get("sections", []) + added.pop("sections", [])
        context.update(added, **({"sections": sections} if sections else {}))
    return context
