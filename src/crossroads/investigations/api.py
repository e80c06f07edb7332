"""Investigations routes of the JSON API: case teams, persons put into a case, handling-code
changes and ownership transfers. Each parses, calls a query or service, shapes the answer."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Query, Router, Status, UploadedFile

from crossroads.pagination import PageFilters, page_of, paged
from crossroads.registry.schemas import person_input
from crossroads.versions import StaleVersion, current_version, etag, if_match

from . import queries, services
from .schemas import (
    CaseMarkersConflict,
    CaseMarkersOut,
    CasePersonIn,
    CasePersonOut,
    CaseStateConflict,
    CrimeGroupIn,
    CrimeGroupOut,
    DecisionIn,
    EventIn,
    EventOut,
    EvidenceOut,
    HandlingChangeOut,
    HandlingCodeIn,
    OffenceConflict,
    OffenceIn,
    OffenceOut,
    OwnershipIn,
    OwnershipOut,
    ProceedingIn,
    ProceedingOut,
    StageIn,
    SuspectMarkerIn,
    TeamChangeOut,
    TeamMemberIn,
    TeamMemberOut,
)

router = Router(tags=["investigations"])
STALE = ("The case changed since you read it; nothing was written. `current` is the team, "
         "handling code and owner now: build the change from it and send its `version` as "
         "If-Match.")
STALE_MARKERS = ("The case changed since you read it; nothing was written. `current` is its "
                 "markers now: build the change from them and send `version` as If-Match.")
STALE_OFFENCE = ("The entry changed since you read it; nothing was written. `current` is the "
                 "entry now: build the change from it and send its `version` as If-Match.")


def _versioned(response: HttpResponse, request, case_id: int) -> None:
    """The case's version as the ETag: sent back as If-Match, a write built from an older read
    of the team, handling code or owner is a 409."""
    response["ETag"] = etag(queries.visible_case(request.user, case_id).version)


def _conflict(response: HttpResponse, detail: str, version: int, current):
    """409: another write came first, nothing was written; `current` is the record now."""
    response["ETag"] = etag(version)
    return Status(409, {"detail": detail, "version": version, "current": current})


def _stale(response: HttpResponse, request, case_id: int):
    current = queries.case_state(request.user, case_id)
    return _conflict(response, STALE, current["version"], current)


def _stale_markers(response: HttpResponse, request, case_id: int):
    return _conflict(response, STALE_MARKERS, queries.visible_case(request.user, case_id).version,
                     queries.case_markers(request.user, case_id))


def _write(request, response: HttpResponse, case_id: int, status: int, act, stale=_stale):
    """Run `act(case, version)` with the If-Match version; 409 with the case as it is now
    (`stale`) when another write came first; the new version as the ETag otherwise."""
    case = queries.visible_case(request.user, case_id)
    try:
        result = act(case, if_match(request))
    except StaleVersion:
        return stale(response, request, case_id)
    # the case as just written (a raise to H3 or a transfer may hide it from the writer now)
    response["ETag"] = etag(current_version(case))
    return Status(status, result)


@router.get("/cases/{case_id}/team", response=list[TeamMemberOut])
def list_team(request, response: HttpResponse, case_id: int):
    """The team; the ETag is the case's version (If-Match of the team's writes)."""
    team = queries.team(request.user, case_id)
    _versioned(response, request, case_id)
    return team


@router.post("/cases/{case_id}/team", response={201: TeamMemberOut, 409: CaseStateConflict})
def add_team_member(request, response: HttpResponse, case_id: int, payload: TeamMemberIn):
    """The case's lead puts an account of the jurisdiction on the team (`lead` hands over).
    With `If-Match` (the ETag of the team) a change built from an older read is a 409."""
    return _write(request, response, case_id, 201, lambda case, version: services.add_member(
        request.user, case, payload.username, payload.team_role, version=version))


@router.delete("/cases/{case_id}/team/{username}",
               response={204: None, 409: CaseStateConflict})
def remove_team_member(request, response: HttpResponse, case_id: int, username: str):
    """With `If-Match` (the ETag of the team) a removal built from an older read is a 409."""
    return _write(request, response, case_id, 204, lambda case, version: services.remove_member(
        request.user, case, username, version=version))


@router.get("/cases/{case_id}/team-history", response=page_of(TeamChangeOut))
def team_history(request, case_id: int, filters: Query[PageFilters]):
    return paged(queries.team_history(request.user, case_id), filters)


@router.post("/cases/{case_id}/persons", response={201: CasePersonOut})
def add_person(request, case_id: int, payload: CasePersonIn):
    """A new person in the case, in any role, checked and stored as a registration's person."""
    case = queries.visible_case(request.user, case_id)
    involvement = services.add_person(request.user, case, person_input(payload.person),
                                      payload.role)
    return Status(201, {"person_id": involvement.person_id, "involvement_id": involvement.pk})


@router.get("/cases/{case_id}/handling-code", response=page_of(HandlingChangeOut))
def list_handling_changes(request, response: HttpResponse, case_id: int,
                          filters: Query[PageFilters]):
    """The changes asked; the ETag is the case's version (If-Match of a new request)."""
    changes = paged(queries.handling_changes(request.user, case_id), filters)
    _versioned(response, request, case_id)
    return changes


@router.post("/cases/{case_id}/handling-code",
             response={201: HandlingChangeOut, 409: CaseStateConflict})
def change_handling_code(request, response: HttpResponse, case_id: int,
                         payload: HandlingCodeIn):
    """A raise applies at once; a lowering waits (`status: pending`) for a second person.
    With `If-Match` (the case's ETag) a request built from an older read is a 409."""
    return _write(request, response, case_id, 201,
                  lambda case, version: services.request_handling_code(
                      request.user, case, payload.handling_code, payload.reason,
                      version=version))


@router.get("/handling-code-changes", response=page_of(HandlingChangeOut))
def lowerings_to_decide(request, filters: Query[PageFilters]):
    """Pending lowerings you may decide."""
    return paged(queries.lowerings_to_decide(request.user), filters)


@router.post("/handling-code-changes/{change_id}/approve", response=HandlingChangeOut)
def approve_handling_change(request, change_id: int, payload: DecisionIn):
    return services.approve_handling_change(request.user, change_id, payload.reason)


@router.post("/handling-code-changes/{change_id}/reject", response=HandlingChangeOut)
def reject_handling_change(request, change_id: int, payload: DecisionIn):
    return services.reject_handling_change(request.user, change_id, payload.reason)


@router.get("/cases/{case_id}/owner", response=page_of(OwnershipOut))
def list_transfers(request, response: HttpResponse, case_id: int, filters: Query[PageFilters]):
    """The transfers; the ETag is the case's version (If-Match of a transfer)."""
    transfers = paged(queries.ownership_transfers(request.user, case_id), filters)
    _versioned(response, request, case_id)
    return transfers


@router.post("/cases/{case_id}/owner", response={201: OwnershipOut, 409: CaseStateConflict})
def transfer_ownership(request, response: HttpResponse, case_id: int, payload: OwnershipIn):
    """The lead hands the case to another agency of the jurisdiction, naming its new lead.
    With `If-Match` (the case's ETag) a transfer built from an older read is a 409."""
    return _write(request, response, case_id, 201,
                  lambda case, version: services.transfer_ownership(
                      request.user, case, payload.agency_id, payload.lead, payload.reason,
                      version=version))


@router.get("/cases/{case_id}/events", response=page_of(EventOut))
def list_events(request, case_id: int, filters: Query[PageFilters]):
    """The case log (investigators, prosecutors, focal points of the case)."""
    return paged(queries.case_log(request.user, case_id, context="api case log"), filters)


@router.post("/cases/{case_id}/events", response={201: EventOut})
def add_event(request, case_id: int, payload: EventIn):
    case = queries.visible_case(request.user, case_id)
    event = services.add_event(request.user, case, services.EventInput(**payload.dict()))
    return Status(201, event)


@router.post("/events/{event_id}/evidence", response={201: EvidenceOut})
def attach_evidence(request, event_id: int, file: File[UploadedFile]):
    """An evidence file (PDF, JPEG, PNG, plain text) for a log entry, encrypted at rest."""
    event = queries.event(request.user, event_id)
    # One byte over the limit is enough to refuse it, whatever the file's real size.
    content = file.read(settings.CROSSROADS_EVIDENCE_MAX_BYTES + 1)
    return Status(201, services.attach_evidence(request.user, event, file.name or "", content))


@router.get("/evidence/{evidence_id}", response={200: None, 409: dict})
def download_evidence(request, evidence_id: int):
    """The file, once its SHA-256 matches the one taken at upload (409 if it does not)."""
    try:
        evidence = queries.evidence_download(request.user, evidence_id, context="api evidence")
    except queries.TamperedEvidence:
        return Status(409, {"detail": "The file does not match the checksum taken at upload."})
    response = HttpResponse(evidence.content, content_type=evidence.content_type)
    response["Content-Disposition"] = _attachment(evidence.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Checksum-SHA256"] = evidence.sha256
    return response


def _attachment(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename)


OUTCOME_FIELDS = set(services.Outcome.__dataclass_fields__)


@router.get("/cases/{case_id}/proceedings", response=page_of(ProceedingOut))
def list_proceedings(request, case_id: int, filters: Query[PageFilters]):
    return paged(queries.proceedings(request.user, case_id), filters)


@router.post("/cases/{case_id}/proceedings", response={201: ProceedingOut})
def open_proceeding(request, case_id: int, payload: ProceedingIn):
    """A proceeding against a person of the case for one offence of the catalogue, opened at
    the stage it has reached (with the dates of the stages passed)."""
    case = queries.visible_case(request.user, case_id)
    outcome = services.Outcome(**payload.dict(include=OUTCOME_FIELDS))
    data = services.ProceedingInput(**payload.dict(exclude=OUTCOME_FIELDS), outcome=outcome)
    return Status(201, services.open_proceeding(request.user, case, data))


@router.post("/proceedings/{proceeding_id}/stage", response=ProceedingOut)
def move_stage(request, proceeding_id: int, payload: StageIn):
    """Move along investigation → indictment → verdict → sentence → appeal → final."""
    proceeding = queries.proceeding(request.user, proceeding_id)
    return services.move_stage(request.user, proceeding, payload.stage, payload.on,
                               services.Outcome(**payload.dict(include=OUTCOME_FIELDS)))


@router.get("/offences", response=page_of(OffenceOut))
def list_offences(request, filters: Query[PageFilters]):
    """The offence catalogue of your jurisdiction: `checked` says which articles were
    compared with the code's text; each entry's `version` is its If-Match."""
    return paged(queries.offences(request.user), filters)


@router.get("/offences/{offence_id}", response=OffenceOut)
def get_offence(request, response: HttpResponse, offence_id: int):
    """One entry; the ETag is its version (If-Match of a correction)."""
    offence = queries.offence(request.user, offence_id)
    response["ETag"] = etag(offence.version)
    return offence


@router.put("/offences/{offence_id}", response={200: OffenceOut, 409: OffenceConflict})
def update_offence(request, response: HttpResponse, offence_id: int, payload: OffenceIn):
    """The coordinator corrects or confirms an entry of the catalogue. With `If-Match` (the
    entry's ETag) a change built from an older read is a 409 and nothing is written."""
    offence = queries.offence(request.user, offence_id)
    try:
        services.update_offence(request.user, offence, services.OffenceInput(**payload.dict()),
                                version=if_match(request))
    except StaleVersion:
        offence = queries.offence(request.user, offence_id)
        return _conflict(response, STALE_OFFENCE, offence.version, offence)
    response["ETag"] = etag(offence.version)
    return offence


@router.get("/crime-groups", response=page_of(CrimeGroupOut))
def list_crime_groups(request, filters: Query[PageFilters]):
    return paged(queries.crime_groups(request.user), filters)


@router.post("/crime-groups", response={201: CrimeGroupOut})
def name_crime_group(request, payload: CrimeGroupIn):
    return Status(201, services.name_group(request.user, payload.name))


@router.get("/cases/{case_id}/markers", response=CaseMarkersOut)
def case_markers(request, response: HttpResponse, case_id: int):
    """Internal or cross-border per victim record; public officials and groups per suspect.
    The ETag is the case's version (If-Match of a suspect's markers)."""
    found = queries.case_markers(request.user, case_id)
    _versioned(response, request, case_id)
    return found


@router.put("/cases/{case_id}/suspects/{person_id}/markers",
            response={200: CaseMarkersOut, 409: CaseMarkersConflict})
def mark_suspect(request, response: HttpResponse, case_id: int, person_id: int,
                 payload: SuspectMarkerIn):
    """With `If-Match` (the ETag of the markers, the case's version) a change built from an
    older read is a 409 and nothing is written."""
    def act(case, version):
        services.mark_suspect(request.user, case, person_id,
                              public_official=payload.public_official, group_id=payload.group_id,
                              official_agency_id=payload.official_agency_id, version=version)
        return queries.case_markers(request.user, case_id)

    return _write(request, response, case_id, 200, act, stale=_stale_markers)
