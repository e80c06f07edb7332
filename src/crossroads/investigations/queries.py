"""Investigations' reads, for the API and the pages: each starts from a case (or change) the
policy lets the reader see. Team lists name accounts, never persons of the register, so they
are not identity reads; a case log's narratives are, and its reads are recorded; every
download of an evidence file is recorded with the outcome of its checksum."""

import hashlib

from django.db.models import Prefetch

from crossroads.access.models import Agency
from crossroads.access.policy import (
    CHANGE,
    VIEW,
    PolicyDenied,
    can,
    get_visible_or_404,
    may,
    require,
    require_capability,
)
from crossroads.audit.choices import Action, Outcome
from crossroads.audit.services import record, record_denied
from crossroads.keys.cipher import DecryptionError
from crossroads.registry.choices import SUSPECT_ROLES, VICTIM_ROLES
from crossroads.registry.models import Case, ExploitationRecord, Involvement
from crossroads.registry.queries import exact_duplicates, record_identity_read
from crossroads.registry.rules import ADD_SUSPECT

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
from .rules import MAINTAIN_OFFENCES, MANAGE_TEAM, WRITE_LOG, led_q, log_q
from .services.handling import may_decide


def visible_case(user, case_id: int) -> Case:
    """The case if the user may see it (404 otherwise); services ask for CHANGE themselves."""
    return get_visible_or_404(Case.objects.all(), user, pk=case_id)


def team(user, case_id: int):
    case = visible_case(user, case_id)
    return case.memberships.select_related("user__agency").order_by("id")


def case_state(user, case_id: int) -> dict:
    """What the team, handling-code and owner forms are built from, with the case's version
    (the ETag a write sends back as If-Match): shown with a 409 when a write came first."""
    case = visible_case(user, case_id)
    return {"version": case.version, "handling_code": case.handling_code,
            "owner_agency_id": case.owner_agency_id, "team": list(team(user, case_id))}


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


def offences_to_maintain(user, *, unchecked: bool = False):
    """The catalogue page: the coordinator's jurisdiction's entries (403 for everyone else),
    only those not yet checked against the code if asked."""
    require_capability(user, MAINTAIN_OFFENCES)
    found = offences(user)
    return found.filter(checked=False) if unchecked else found


def offence_to_maintain(user, offence_id: int) -> Offence:
    """One entry for its correction page: 404 outside the user's jurisdiction (as the API's
    PUT), then 403 unless they maintain the catalogue; the service asks again."""
    found = offence(user, offence_id)
    require_capability(user, MAINTAIN_OFFENCES)
    return found


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
                      "official_agency_id": m.official_agency_id,
                      "group_id": m.group_id, "group": m.group.name if m.group else None}
                     for m in suspects],
    }


# ---------------------------------------------------------------------------- for the pages

def case_to_change(user, case_id: int) -> Case:
    """The case if the user may change it: 404 when they may not see it, 403 (audited) when
    they see it but may not change it."""
    case = visible_case(user, case_id)
    require(user, CHANGE, case)
    return case


def leads(user, case: Case) -> bool:
    """Whether the user manages the case's team and owner (the services decide again)."""
    return (can(user, CHANGE, case) and may(user, MANAGE_TEAM)
            and Case.objects.filter(led_q(user), pk=case.pk).exists())


def reads_log(user, case: Case) -> bool:
    return Case.objects.filter(log_q(user, VIEW, ""), pk=case.pk).exists()


def writes_log(user, case: Case) -> bool:
    return may(user, WRITE_LOG) and Case.objects.filter(log_q(user, CHANGE, ""), pk=case.pk).exists()


def log_case(user, case_id: int) -> Case:
    """The case if the user may read its log, proceedings and markers: 404 when they may not
    see the case, 403 (audited) when they see it but not its log (case workers, coordinators,
    break-glass)."""
    case = visible_case(user, case_id)
    if not reads_log(user, case):
        record_denied(user, Case, {"pk": case.pk}, "case log")
        raise PolicyDenied("case log")
    return case


def case_section(user, case: Case, persons) -> dict:
    """The investigations section of the case page (registry's extension point): the team,
    and what the reader may do here."""
    changes = can(user, CHANGE, case)
    return {"sections": [{
        "template": "investigations/case_section.html",
        # The case is the one the registry presented under the policy: no second look-up.
        "team": list(case.memberships.select_related("user__agency").order_by("id")),
        "leads": leads(user, case), "may_change": changes,
        "may_add_suspect": changes and may(user, ADD_SUSPECT), "reads_log": reads_log(user, case),
        "to_decide": [c for c in lowerings_to_decide(user) if c.case_id == case.pk]}]}


def transfer_agencies(user, case: Case):
    """The active agencies of the case's jurisdiction it may be handed to."""
    return (Agency.objects.restrict(user, VIEW)
            .filter(jurisdiction_id=case.jurisdiction_id, active=True)
            .exclude(pk=case.owner_agency_id).order_by("name"))


def duplicates_offered(user, given_names: str, family_name: str, birth_date, *, context: str):
    """The persons a new person of the case would duplicate (as at a registration)."""
    return exact_duplicates(user, given_names, family_name, birth_date, context=context)


def case_persons(user, case: Case, roles, *, context: str) -> list[Involvement]:
    """The case's involvements in `roles` that the user may see, with their persons by name
    (log readers only: they read identities); the persons shown are recorded as read."""
    involvements = list(Involvement.objects.restrict(user, VIEW)
                        .filter(case=case, role__in=roles).select_related("person")
                        .order_by("role", "id"))
    record_identity_read(user, {i.person_id: i.person for i in involvements}.values(),
                         context=context, case=case.pk)
    return involvements


def charged_persons(user, case: Case, *, context: str) -> list[Involvement]:
    """Who may have a proceeding in the case: its suspects, and its victims (non-punishment)."""
    return case_persons(user, case, SUSPECT_ROLES | VICTIM_ROLES, context=context)


def proceedings_shown(user, case: Case, *, context: str) -> list[Proceeding]:
    """The case's proceedings with their persons by name, recorded as read."""
    shown = list(proceedings(user, case.pk).select_related("person"))
    record_identity_read(user, {p.person_id: p.person for p in shown}.values(), context=context,
                         case=case.pk)
    return shown


def suspects_marked(user, case: Case, *, context: str) -> list[Involvement]:
    """The case's suspects the user may see, each with its marker (`involvement.marker`)."""
    suspects = case_persons(user, case, SUSPECT_ROLES, context=context)
    marked = {m.involvement_id: m for m in SuspectMarker.objects.restrict(user, VIEW)
              .filter(involvement__in=[s.pk for s in suspects]).select_related("group")}
    for suspect in suspects:
        suspect.marker = marked.get(suspect.pk)
    return suspects


def victim_scopes(user, case: Case, *, context: str) -> list[dict]:
    """Per exploitation record of the case: its victim (by name) and whether the trafficking
    was internal or cross-border."""
    victims = {i.person_id: i.person for i in case_persons(user, case, VICTIM_ROLES,
                                                           context=context)}
    return [{"person": victims.get(row["person_id"]), **row}
            for row in case_markers(user, case.pk)["scope"]]


def handling_change(user, change_id: int) -> HandlingCodeChange:
    return get_visible_or_404(HandlingCodeChange.objects.all(), user, pk=change_id)
