"""How the audit pages name the objects of entries: "Case AL-2024-000012", not
`registry.case 12`.

The audit imports no domain app, so each app says which of its models may be named by their
`str()` (`name_by_str`, from its AppConfig.ready) and how a reference typed by oversight finds
its objects (`add_finder`). Every other object is shown by its kind and number ("Person #2082"):
naming a person would itself read an identity."""

from collections.abc import Callable

from django.apps import apps

_by_str: set[str] = set()
_finders: dict[str, Callable[[str], list]] = {}


def name_by_str(model_label: str) -> None:
    _by_str.add(model_label)


def add_finder(model_label: str, finder: Callable[[str], list]) -> None:
    """`finder(text)` returns the ids of the objects of `model_label` that the text names."""
    _finders[model_label] = finder


def find(text: str) -> dict[str, list[str]]:
    """Ids, by model label, of the objects a typed reference names."""
    found = {label: [str(pk) for pk in finder(text)] for label, finder in _finders.items()}
    return {label: ids for label, ids in found.items() if ids}


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def label_entries(entries) -> None:
    """Set `entry.object_label` on each entry, with one query per kind of object named."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.object_type in _by_str and entry.object_id:
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names = {}
    for label, ids in wanted.items():
        model = _model(label)
        names.update(((label, str(obj.pk)), str(obj))
                     for obj in model._default_manager.filter(pk__in=ids))
    for entry in entries:
        model = _model(entry.object_type) if entry.object_type else None
        kind = str(model._meta.verbose_name).capitalize() if model else entry.object_type
        named = names.get((entry.object_type, entry.object_id))
        entry.object_label = (f"{kind} {named}" if named else
                              f"{kind} #{entry.object_id}" if entry.object_id else kind)
