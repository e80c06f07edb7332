"""Consent per purpose, and the one check every referral, export and exchange calls.

Other parts of the node call `has_consent(person, purpose)` and `persons_with_consent(purpose)`
(the CTDC export and the releases: research; the cross-border exchange: cross_border). A
child's best interest may override a missing consent to share (CETS 197 Art. 10(4), 11):
only for a child or presumed child, only with a reason, always in the audit chain.

A person's answer is the latest one recorded for them or for any record merged with them: a
duplicate confirmed as the same person (linkage) shares the survivor's answers, so that a
withdrawal recorded on either record holds for both, and undoing the merge parts them again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from crossroads.access.policy import VIEW, restrict
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.models import Person
from crossroads.registry.queries import record_identity_read

from ..checks import clean_text, require_editor, required_text
from ..choices import ConsentPurpose
from ..models import Consent, ConsentOverride, VictimFile

PURPOSES = set(ConsentPurpose.values)


def _purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValidationError({"purpose": _("Use one of: %(codes)s.") % {
            "codes": ", ".join(ConsentPurpose.values)}})
    return purpose


def _answers(purpose: str):
    """The answers for the purpose, each with the person it counts for (`owner`): the person,
    or the survivor the person's record was merged into."""
    return Consent.objects.filter(purpose=purpose).annotate(
        owner=Coalesce(F("person__merged_into_id"), F("person_id")))


def _current(purpose: str):
    """The latest answer for the purpose of each person (merged records together)."""
    later = _answers(purpose).filter(owner=OuterRef("owner"), pk__gt=OuterRef("pk"))
    return _answers(purpose).exclude(Exists(later))


def answer(person, purpose: str) -> bool | None:
    """The person's latest answer for the purpose: True, False (refused or withdrawn), or
    None when it was never asked."""
    person = person if hasattr(person, "merged_into_id") else Person.objects.get(pk=person)
    owner = person.merged_into_id or person.pk
    return (_answers(_purpose(purpose)).filter(owner=owner)
            .order_by("-pk").values_list("granted", flat=True).first())


def has_consent(person, purpose: str) -> bool:
    """Whether the person's latest answer for the purpose is yes (never asked is no)."""
    return bool(answer(person, purpose))


def persons_with_consent(purpose: str):
    """Ids of the persons whose latest answer for the purpose is yes, merged records included
    (a subquery: use it in `person__in=`)."""
    owners = _current(_purpose(purpose)).filter(granted=True).values("owner")
    return (Person.objects.filter(Q(pk__in=owners) | Q(merged_into_id__in=owners))
            .values_list("pk", flat=True))


def record_consent(actor, person, purpose: str, granted: bool, note: str = "") -> Consent:
    """Record an answer (a withdrawal is `granted=False`); the earlier answers stay."""
    _purpose(purpose)
    require_editor(actor, person)
    with transaction.atomic():
        consent = Consent.objects.create(person=person, purpose=purpose, granted=granted,
                                         recorded_by=actor, agency_id=actor.agency_id,
                                         note=clean_text(note)[:300])
        record(actor, Action.CREATE, consent, details={
            "person": person.pk, "purpose": purpose, "granted": granted})
    return consent


def is_child(person) -> bool:
    return VictimFile.objects.filter(person_id=person.pk, presumed_child=True).exists()


def override_for_child(actor, person, purpose: str, reason: str) -> ConsentOverride:
    """Share without consent in a child's best interest: a recorded, audited decision."""
    _purpose(purpose)
    reason = required_text(reason, "override_reason",
                           _("State why sharing is in the child's best interest."))
    if not is_child(person):
        raise ValidationError({"override_reason": _(
            "Only a child's best interest can override a missing consent.")})
    override = ConsentOverride.objects.create(person=person, purpose=purpose, reason=reason,
                                              decided_by=actor, agency_id=actor.agency_id)
    record(actor, Action.CREATE, override, details={
        "person": person.pk, "purpose": purpose, "best_interest_override": True,
        "reason_chars": len(reason)})  # the reason itself only in the override's encrypted row
    return override


def require_consent(actor, persons, purpose: str, override_reason: str = "") -> list:
    """Every person consents to the purpose, or (children only) an override is recorded for
    them; otherwise a ValidationError naming `consent`. Returns the overrides made."""
    missing = [p for p in persons if not has_consent(p, purpose)]
    if not missing:
        return []
    if override_reason:
        return [override_for_child(actor, p, purpose, override_reason) for p in missing]
    raise ValidationError({"consent": _(
        "Consent to %(purpose)s is missing or withdrawn for %(persons)s. Record the person's "
        "answer on their file's consent form first.") % {
        "purpose": ConsentPurpose(purpose).label,
        "persons": ", ".join(_as_seen(actor, missing))}})


def _as_seen(actor, persons) -> list[str]:
    """The persons as the actor may see them: named (a read on record), or, for a reader who
    may not see them (the receiving agency before it accepts), only as a victim of the case."""
    visible = set(restrict(Person.objects.filter(pk__in=[p.pk for p in persons]), actor, VIEW)
                  .values_list("pk", flat=True))
    named = [p for p in persons if p.pk in visible]
    record_identity_read(actor, named, context="consent refusal")
    hidden = len(persons) - len(named)
    return [str(p) for p in named] + ([_("%(n)s victim(s) of the case you may not see yet") % {
        "n": hidden}] if hidden else [])
