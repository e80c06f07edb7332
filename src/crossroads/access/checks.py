"""Start-up checks of the policy: no restricted model without a rule, no rule without a model,
no code asking for a capability that nobody declared."""

import ast
from pathlib import Path

from django.apps import apps
from django.core import checks

from . import rulebook
from .policy import RestrictedQuerySet

CAPABILITY_CALLS = {"may", "require_capability"}


def restricted_models():
    return [model for model in apps.get_models()
            if issubclass(model._default_manager._queryset_class, RestrictedQuerySet)]


def check_rules(app_configs=None, **kwargs):
    errors = []
    for model in restricted_models():
        if rulebook.rule_for(model._meta.label_lower) is None:
            errors.append(checks.Error(
                f"{model._meta.label_lower} is restricted but no rules.py registers a rule for it",
                hint="Add @rule(...) for it in its app's rules.py (docs/development.md).",
                obj=model, id="crossroads.E001"))
    labels = {model._meta.label_lower for model in apps.get_models()}
    errors.extend(checks.Error(f"a rule is registered for {r.label}, which is no model",
                               obj=r.func, id="crossroads.E002")
                  for r in rulebook.rules() if r.label not in labels)
    return errors


def capability_names_in(source: str):
    """(line, name) of every literal capability name passed to `may` or `require_capability`."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or len(node.args) < 2:
            continue
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        name = node.args[1]
        if func in CAPABILITY_CALLS and isinstance(name, ast.Constant) and isinstance(name.value, str):
            yield node.lineno, name.value


def check_capability_names(app_configs=None, **kwargs):
    known = {c.name for c in rulebook.capabilities()}
    errors = []
    for config in apps.get_app_configs():
        if not config.name.startswith("crossroads."):
            continue
        for path in sorted(Path(config.path).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, name in capability_names_in(path.read_text(encoding="utf-8")):
                if name not in known:
                    errors.append(checks.Error(
                        f"{path.name}:{line} asks for the capability {name!r}, which no rules.py "
                        "declares", obj=config.name, id="crossroads.E003"))
    return errors


def register():
    checks.register(check_rules, "security")
    checks.register(check_capability_names, "security")
