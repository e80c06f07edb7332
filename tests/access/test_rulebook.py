"""The policy as a registry: every restricted model has a rule, every capability is declared,
and the whole book prints in words."""

import pytest
from django.core.management import call_command
from django.db import models
from django.test.utils import isolate_apps

from crossroads.access import checks, rulebook
from crossroads.access.policy import RestrictedQuerySet, may, restrict
from crossroads.access.rulebook import UnknownCapability

pytestmark = pytest.mark.django_db


@isolate_apps("crossroads.registry")
def test_start_up_checks_fail_on_a_restricted_model_without_a_rule(monkeypatch):
    class Unruled(models.Model):
        objects = RestrictedQuerySet.as_manager()

        class Meta:
            app_label = "registry"

    monkeypatch.setattr(checks, "restricted_models", lambda: [Unruled])
    errors = checks.check_rules()
    assert [e.id for e in errors] == ["crossroads.E001"]
    assert "registry.unruled" in errors[0].msg


def test_the_shipped_apps_pass_the_start_up_checks():
    assert checks.check_rules() == []
    assert checks.check_capability_names() == []


def test_code_naming_an_unknown_capability_fails_the_check_and_the_call(world):
    source = 'def view(request):\n    require_capability(request.user, "registre_victim")\n'
    assert list(checks.capability_names_in(source)) == [(2, "registre_victim")]
    with pytest.raises(UnknownCapability):
        may(world.user("case_worker"), "registre_victim")


def test_an_action_a_rule_does_not_describe_is_refused(world):
    from crossroads.registry.models import Case

    coordinator = world.user("coordinator")
    assert "count" not in rulebook.rule_for("registry.case").who
    assert restrict(Case.objects.all(), coordinator, "view").exists()
    assert not restrict(Case.objects.all(), coordinator, "count").exists()
    with pytest.raises(ValueError):
        restrict(Case.objects.all(), coordinator, "delete")


def test_access_rules_prints_one_line_per_rule_and_action(capsys):
    call_command("access", "rules")
    lines = capsys.readouterr().out.splitlines()
    rows = {tuple(line.split("\t")[:2]) for line in lines}
    assert ("registry.person", "view") in rows
    assert ("registry.person", "change") in rows
    assert ("registry.exploitationrecord", "count") in rows
    assert ("exchange.sharedreference", "-") in rows
    for model in checks.restricted_models():
        assert any(label == model._meta.label_lower for label, _ in rows), model
    assert all(len(line.split("\t")) == 3 and line.split("\t")[2] for line in lines)
