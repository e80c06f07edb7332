"""Investigations' reads, for the API and the pages: each starts from a case (or change) the
policy lets the reader see. Team lists name accounts, never persons of the register, so they
are not identity reads; a case log's narratives are, and its reads are recorded; every
download of an evidence file is recorded with the outcome of its checksum."""

import hashlib

from django.db.models import Prefetch

from crossroads.access.policy import CHANGE, VIEW, get_visible_or_404
from crossroads.audit.choices import Action, Outcome
from crossroads.audit.services import record
from crossroads.keys.cipher import DecryptionError
from crossroads.registry.models import Case, ExploitationRecord, Involvement
from crossroads.registry.queries import record_identity_read

from . import markers
from .choices import HandlingChangeStatus
from .models import (
    CaseEvent,
    CrimeGroup,
    EvidenceFile,
    HandlingCodeChange,
    Offence,
    OwnershipTransfer,
    Proceeding,
    SuspectMarker,
    TeamChange,
)
from .services.handling import may_decide


def visible_case(user, case_id: int) -> Case:
    """The case if the user may see it (404 otherwise); services ask for CHANGE themselves."""
    return get_visible_or_404(Case.objects.all(), user, pk=case_id)


def team(user, case_id: int):
    case = visible_case(user, case_id)
    return case.memberships.select_related("user").order_by("id")


def team_history(user, case_id: int):
    case = visible_case(user, case_id)
    return (TeamChange.objects.restrict(user, VIEW).filter(case=case)
            .select_related("member", "changed_by"))


def handling_changes(user, case_id: int):
    case = visible_case(user, case_id)
    return (HandlingCodeChange.objects.restrict(user, VIEW).filter(case=case)
            .select_related("requested_by", "decided_by"))


def lowerings_to_decide(user) -> list[HandlingCodeChange]:
    """Pending lowerings this user may decide (another person of the owner agency)."""
    pending = (HandlingCodeChange.objects.restrict(user, VIEW)
               .filter(status=HandlingChangeStatus.PENDING,
                       case__in=Case.objects.restrict(user, CHANGE).values("pk"))
               .select_related("case", "requested_by", "decided_by"))
    return [change for change in pending if may_decide(user, change)]


def ownership_transfers(user, case_id: int):
    case = visible_case(user, case_id)
    return (OwnershipTransfer.objects.restrict(user, VIEW).filter(case=case)
            .select_related("from_agency", "to_agency", "new_lead", "transferred_by"))


class TamperedEvidence(Exception):
    """An evidence file whose content no longer matches the SHA-256 taken at upload."""


def _evidence(user):
    return EvidenceFile.objects.restrict(user, VIEW).defer("content").select_related("uploaded_by")


def event(user, event_id: int) -> CaseEvent:
    """An entry of a log the user may read (404 otherwise), without reading its narrative."""
    return get_visible_or_404(CaseEvent.objects.select_related("case"), user, pk=event_id)


def case_log(user, case_id: int, *, context: str) -> list[CaseEvent]:
    """The case's log as far as the user may read it, with its evidence files (not their
    content); the narratives shown are recorded as a read of the case."""
    case = visible_case(user, case_id)
    events = list(CaseEvent.objects.restrict(user, VIEW).filter(case=case)
                  .select_related("author").prefetch_related(
                      Prefetch("evidence", queryset=_evidence(user))))
    if events:
        record_identity_read(user, [case], context=context)
    return events


def evidence_download(user, evidence_id: int, *, context: str) -> EvidenceFile:
    """The file with its content, once its SHA-256 matches the one taken at upload. Every
    download is recorded; a mismatch is recorded as such and raises `TamperedEvidence`."""
    evidence = get_visible_or_404(EvidenceFile.objects.defer("content").select_related("event"),
                                  user, pk=evidence_id)
    try:
        evidence.content = EvidenceFile.objects.values_list("content", flat=True).get(
            pk=evidence.pk)
        intact = hashlib.sha256(evidence.content).hexdigest() == evidence.sha256
    except DecryptionError:  # the stored ciphertext itself was altered or moved
        intact = False
    record(user, Action.EXPORT, evidence, outcome=Outcome.OK if intact else Outcome.DENIED,
           details={"via": context, "case": evidence.event.case_id, "sha256": evidence.sha256,
                    "verified": intact})
    if not intact:
        raise TamperedEvidence(evidence.pk)
    return evidence


def proceedings(user, case_id: int):
    """The case's proceedings the user may see (person ids, never names)."""
    case = visible_case(user, case_id)
    return (Proceeding.objects.restrict(user, VIEW).filter(case=case)
            .select_related("offence").prefetch_related("stages"))


def proceeding(user, proceeding_id: int) -> Proceeding:
    return get_visible_or_404(Proceeding.objects.select_related("case", "person", "offence"),
                              user, pk=proceeding_id)


def offences(user):
    """The offence catalogue of the user's jurisdiction."""
    return Offence.objects.restrict(user, VIEW)


def offence(user, offence_id: int) -> Offence:
    return get_visible_or_404(Offence.objects.all(), user, pk=offence_id)


def crime_groups(user):
    return CrimeGroup.objects.restrict(user, VIEW)


def case_markers(user, case_id: int) -> dict:
    """The case's markers: the scope of each exploitation record the user may see (internal or
    cross-border) and the markers of its suspects (as far as the user may see suspects)."""
    case = visible_case(user, case_id)
    visible = Involvement.objects.restrict(user, VIEW).filter(case=case)
    records = ExploitationRecord.objects.restrict(user, VIEW).filter(
        case=case, person__in=visible.values("person_id"))
    suspects = (SuspectMarker.objects.restrict(user, VIEW)
                .filter(involvement__in=visible.values("pk")).select_related("involvement", "group"))
    return {
        "scope": [{"person_id": r.person_id, "scope": markers.scope(r)} for r in records],
        "suspects": [{"person_id": m.involvement.person_id, "public_official": m.public_official,
                      "group_id": m.group_id, "group": m.group.name if m.group else None}
                     for m in suspects],
    }
