"""Re-trafficking flags: a person already assisted in an earlier case — the same person, a
merged duplicate, or a possible duplicate found by the linkage engine — appears as a victim
in a new case. Node-level checks (like linkage's candidate search): they show nothing by
themselves. A flag names an earlier case, its year, agency and person, so it is seen in full only
by those who may see all of that and the new case (the policy's VIEW rule for flags); for anyone
else who may see the new case it does not exist — the same pages, the same answers as when no
earlier record matched, so that registering a made-up victim with a real person's name reveals
nothing. It is routed instead, as a notice on the earlier case, to those who may see that case
(`crossroads.assistance.rules.NOTICE`: never a restricted new case, never outside an H3 team)."""

from django.db.models import Q
from django.db.models.signals import post_save

from crossroads.audit.choices import Action
from crossroads.audit.services import record

from .choices import IdentificationStatus
from .models import RetraffickingFlag, VictimFile


def _assisted_files():
    """Files that amount to a past assistance record: presumed or identified, or served."""
    return VictimFile.objects.filter(
        Q(status__in=[IdentificationStatus.PRESUMED, IdentificationStatus.IDENTIFIED])
        | Q(services__isnull=False) | Q(stays__isnull=False)).distinct()


def _related(person_id: int) -> dict[int, tuple[str, float | None]]:
    """The person and the persons linkage says are (probably) the same: id → (via, p)."""
    from crossroads.linkage.models import CandidateStatus, MatchCandidate, PersonMerge

    related = {person_id: ("same_person", None)}
    merges = PersonMerge.objects.filter(undone_at__isnull=True).filter(
        Q(survivor_id=person_id) | Q(merged_id=person_id))
    for merge in merges:
        related.setdefault(merge.merged_id if merge.survivor_id == person_id else merge.survivor_id,
                           ("merged", None))
    candidates = MatchCandidate.objects.filter(status=CandidateStatus.OPEN).filter(
        Q(person_a_id=person_id) | Q(person_b_id=person_id))
    for candidate in candidates:
        related.setdefault(candidate.other(person_id), ("candidate", candidate.probability))
    return related


def check(person_id: int, case_id: int) -> list[RetraffickingFlag]:
    """Flag the person's new case for every earlier assisted file of them or their duplicates."""
    related = _related(person_id)
    earlier = _assisted_files().filter(person_id__in=related).exclude(case_id=case_id)
    flags = []
    for file in earlier:
        via, probability = related[file.person_id]
        flag, created = RetraffickingFlag.objects.get_or_create(
            file_case_id=case_id, person_id=person_id, earlier_file=file,
            defaults={"via": via, "probability": probability})
        if created:
            record(None, Action.CREATE, flag, details={
                "case": case_id, "person": person_id, "earlier_file": file.pk, "via": via})
            flags.append(flag)
    return flags


def _on_involvement(sender, instance, created, **kwargs):
    from crossroads.registry.choices import VICTIM_ROLES

    if created and instance.role in VICTIM_ROLES:
        check(instance.person_id, instance.case_id)


def _on_candidate(sender, instance, created, **kwargs):
    from crossroads.registry.choices import VICTIM_ROLES
    from crossroads.registry.models import Involvement

    if not created:
        return
    for person_id in (instance.person_a_id, instance.person_b_id):
        for case_id in (Involvement.objects.filter(person_id=person_id, role__in=VICTIM_ROLES)
                        .values_list("case_id", flat=True)):
            check(person_id, case_id)


def connect() -> None:
    from crossroads.linkage.models import MatchCandidate
    from crossroads.registry.models import Involvement

    post_save.connect(_on_involvement, sender=Involvement, dispatch_uid="assistance-involvement")
    post_save.connect(_on_candidate, sender=MatchCandidate, dispatch_uid="assistance-candidate")


def flags_for(user, case):
    from crossroads.access.policy import VIEW

    return (RetraffickingFlag.objects.restrict(user, VIEW).filter(file_case=case)
            .select_related("earlier_file__case__owner_agency"))


def notices_for(user, case=None) -> list[RetraffickingFlag]:
    """Flags routed to `user` (on `case`, or on every case they may see) because they may see the
    earlier case but not the new one. Each names the earlier case and its person (what the user
    may see there) and, as `new_case`, the new case only when the user may see it (a
    coordinator), else None."""
    from crossroads.access.actions import NOTICE
    from crossroads.access.policy import VIEW, restrict
    from crossroads.registry.models import Case

    notices = RetraffickingFlag.objects.restrict(user, NOTICE).select_related("earlier_file__case")
    if case is not None:
        notices = notices.filter(earlier_file__case=case)
    notices = list(notices)
    visible = restrict(Case.objects.filter(pk__in={n.file_case_id for n in notices}), user, VIEW)
    shown = {c.pk: c for c in visible} if notices else {}
    for notice in notices:
        notice.new_case = shown.get(notice.file_case_id)
    return notices
