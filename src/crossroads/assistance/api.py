"""Assistance routes of the JSON API: consents, referrals, victim files (identification,
timers, plan, milestones), shelters. Each one calls the policy and the services."""

from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, Status

from crossroads.access.policy import VIEW, get_visible_or_404
from crossroads.api_types import Id, IsoDate, check_also_on_schema_errors
from crossroads.pagination import PageFilters, page_of, paged
from crossroads.registry.models import Case, Person
from crossroads.versions import if_match, versioned

from . import queries, retrafficking
from .models import (
    Consent,
    ProtectionTimer,
    Referral,
    ResidencePermit,
    Screening,
    Service,
    Shelter,
    ShelterStay,
)
from .schemas import (
    AdmissionIn,
    AssessmentIn,
    AssessmentOut,
    ConsentIn,
    ConsentOut,
    DecisionIn,
    DecisionOut,
    DischargeIn,
    FileIn,
    FileOut,
    FlagOut,
    MilestoneIn,
    MilestoneOut,
    NoticeOut,
    OutcomeIn,
    PermitIn,
    PermitOut,
    ReasonIn,
    ReferralIn,
    ReferralOut,
    ScreeningIn,
    ScreeningOut,
    ServiceIn,
    ServiceOut,
    ServiceUpdateIn,
    ShelterChangeIn,
    ShelterIn,
    ShelterOut,
    StayOut,
    TimerOut,
)
from .services import (
    best_interests,
    care,
    consent,
    identification,
    permits,
    referrals,
    shelters,
    timers,
)
from .services.best_interests import AssessmentInput
from .services.permits import PermitInput

router = Router(tags=["assistance"])


@router.post("/persons/{person_id}/consents", response={201: ConsentOut})
def record_consent(request, person_id: Id, payload: ConsentIn):
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    return Status(201, consent.record_consent(request.user, person, payload.purpose,
                                              payload.granted, payload.note))


@router.get("/persons/{person_id}/consents", response=page_of(ConsentOut))
def list_consents(request, person_id: Id, filters: Query[PageFilters]):
    person = get_visible_or_404(Person.objects.all(), request.user, pk=person_id)
    return paged(Consent.objects.restrict(request.user, VIEW).filter(person=person)
                 .select_related("recorded_by"), filters)


@router.post("/cases/{case_id}/referrals", response={201: ReferralOut})
def create_referral(request, case_id: Id, payload: ReferralIn):
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    return Status(201, referrals.create(
        request.user, case, to_agency=payload.to_agency, purpose=payload.purpose,
        reason=payload.reason, note=payload.note, transfer=payload.transfer,
        urgency=payload.urgency, override_reason=payload.best_interest_override))


class ReferralFilters(PageFilters):
    direction: Literal["", "sent", "received"] = ""
    status: Literal[("", "pending", "accepted", "rejected", "done", "revoked")] = ""


@router.get("/referrals", response=page_of(ReferralOut))
def list_referrals(request, filters: Query[ReferralFilters]):
    return paged(queries.referrals_for(request.user, filters.direction, filters.status), filters)


@router.get("/referrals/{referral_id}", response=ReferralOut)
def get_referral(request, referral_id: Id):
    return _referral(request, referral_id)


def _referral(request, referral_id: int) -> Referral:
    return get_visible_or_404(Referral.objects.select_related("case"), request.user, pk=referral_id)


@router.post("/referrals/{referral_id}/accept", response=ReferralOut)
def accept_referral(request, referral_id: Id):
    """The receiving agency accepts: its case workers see the case from now on."""
    return referrals.accept(request.user, _referral(request, referral_id))


@router.post("/referrals/{referral_id}/reject", response=ReferralOut)
def reject_referral(request, referral_id: Id, payload: ReasonIn):
    return referrals.reject(request.user, _referral(request, referral_id), payload.reason)


@router.post("/referrals/{referral_id}/done", response=ReferralOut)
def complete_referral(request, referral_id: Id, payload: ReasonIn):
    return referrals.complete(request.user, _referral(request, referral_id), payload.reason)


@router.post("/referrals/{referral_id}/revoke", response=ReferralOut)
def revoke_referral(request, referral_id: Id, payload: ReasonIn):
    return referrals.revoke(request.user, _referral(request, referral_id), payload.reason)


def _file_out(request, file):
    return queries.file_detail(request.user, file, context="api victim file")


@router.post("/cases/{case_id}/victim-files", response={201: FileOut})
def open_file(request, case_id: Id, payload: FileIn):
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    person = get_visible_or_404(Person.objects.all(), request.user, pk=payload.person_id)
    file = identification.open_file(request.user, case, person, may_be_child=payload.may_be_child,
                                    unaccompanied=payload.unaccompanied)
    return Status(201, _file_out(request, file))


@router.get("/cases/{case_id}/victim-files", response=page_of(FileOut))
def case_files(request, case_id: Id, filters: Query[PageFilters]):
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    return paged(queries.case_files(request.user, case, context="api victim files"), filters)


@router.get("/cases/{case_id}/retrafficking-flags", response=page_of(FlagOut))
def case_flags(request, case_id: Id, filters: Query[PageFilters]):
    """Persons of the case already assisted in an earlier case (or probable duplicates of one),
    when the caller may see that earlier case and person; otherwise the flag is routed to those
    who may (GET /retrafficking-notices) and this list is as if nothing had matched."""
    case = get_visible_or_404(Case.objects.all(), request.user, pk=case_id)
    return paged(retrafficking.flags_for(request.user, case), filters)


@router.get("/retrafficking-notices", response=page_of(NoticeOut))
def retrafficking_notices(request, filters: Query[PageFilters]):
    """Flags routed to the caller: a person of a case the caller may see may have been
    registered again in a case the caller may not see (the coordinator is told which one)."""
    return paged(retrafficking.notices_for(request.user), filters)


@router.get("/victim-files/{file_id}", response=FileOut)
def get_file(request, file_id: Id):
    return _file_out(request, queries.file_or_404(request.user, file_id))


@router.post("/victim-files/{file_id}/screenings", response={201: ScreeningOut})
def screen(request, file_id: Id, payload: ScreeningIn):
    file = queries.file_or_404(request.user, file_id)
    return Status(201, identification.screen(request.user, file, payload.indicators,
                                             payload.notes))


@router.post("/victim-files/{file_id}/decisions", response={201: DecisionOut})
def decide(request, file_id: Id, payload: DecisionIn):
    file = queries.file_or_404(request.user, file_id)
    screening = (get_visible_or_404(Screening.objects.filter(file=file), request.user,
                            pk=payload.screening_id) if payload.screening_id else None)
    return Status(201, identification.decide(request.user, file, payload.status, payload.reason,
                                             screening, from_status=payload.from_status))


@router.post("/victim-files/{file_id}/services", response={201: ServiceOut})
def plan_service(request, file_id: Id, payload: ServiceIn):
    file = queries.file_or_404(request.user, file_id)
    return Status(201, care.plan_service(request.user, file, payload.kind,
                                         planned_on=payload.planned_on, provider=payload.provider,
                                         note=payload.note))


@router.post("/services/{service_id}", response=ServiceOut)
def update_service(request, service_id: Id, payload: ServiceUpdateIn):
    service = get_visible_or_404(Service.objects.select_related("file"), request.user, pk=service_id)
    return care.update_service(request.user, service, payload.status, payload.on, payload.note,
                               version=if_match(request))


@router.post("/victim-files/{file_id}/milestones", response={201: MilestoneOut})
def add_milestone(request, file_id: Id, payload: MilestoneIn):
    file = queries.file_or_404(request.user, file_id)
    return Status(201, care.add_milestone(request.user, file, payload.kind, payload.reached_on,
                                          payload.note))


@router.get("/timers", response=page_of(TimerOut))
def open_timers(request, filters: Query[PageFilters]):
    """Due (within a week) and overdue protection timers of the cases the caller sees."""
    return paged(queries.open_timers(request.user), filters)


@router.post("/timers/{timer_id}/complete", response=TimerOut)
def complete_timer(request, timer_id: Id, payload: OutcomeIn):
    timer = get_visible_or_404(ProtectionTimer.objects.select_related("file__case"), request.user,
                       pk=timer_id)
    return timers.complete(request.user, timer, payload.outcome)


class ShelterFilters(PageFilters):
    on: IsoDate | None = None


@router.get("/shelters", response=page_of(ShelterOut))
def list_shelters(request, filters: Query[ShelterFilters]):
    """Shelters of the jurisdiction with their places taken and free on a date (counts only)."""
    return paged(shelters.capacity(request.user, filters.on), filters)


@router.post("/shelters", response={201: ShelterOut})
def register_shelter(request, payload: ShelterIn):
    """A shelter of the caller's own agency (its case workers keep the register)."""
    shelter = shelters.register(request.user, **payload.dict())
    return Status(201, _with_places(shelter))


@router.put("/shelters/{shelter_id}", response=ShelterOut)
def change_shelter(request, shelter_id: Id, payload: ShelterChangeIn):
    shelter = get_visible_or_404(Shelter.objects.all(), request.user, pk=shelter_id)
    return _with_places(shelters.update(request.user, shelter, **payload.dict(),
                                        version=if_match(request)))


def _with_places(shelter: Shelter) -> Shelter:
    """The shelter with today's places taken and free (ShelterOut)."""
    return shelters.with_occupancy(Shelter.objects.filter(pk=shelter.pk))[0]


@router.post("/shelters/{shelter_id}/admissions", response={201: StayOut})
def admit(request, shelter_id: Id, payload: AdmissionIn):
    shelter = get_visible_or_404(Shelter.objects.all(), request.user, pk=shelter_id)
    file = queries.file_or_404(request.user, payload.file_id)
    return Status(201, shelters.admit(request.user, shelter, file, payload.admitted_on))


@router.post("/stays/{stay_id}/discharge", response=StayOut)
def discharge(request, stay_id: Id, payload: DischargeIn):
    stay = get_visible_or_404(ShelterStay.objects.select_related("file"), request.user, pk=stay_id)
    return shelters.discharge(request.user, stay, payload.on)


@router.post("/victim-files/{file_id}/residence-permits", response={201: PermitOut},
             url_name="file_permits")
def record_permit(request, response: HttpResponse, file_id: Id, payload: PermitIn):
    """A foreign victim's residence permit application, pending or with its decision (CETS
    197 Art. 14); a decision completes the residence-permit timer."""
    file = queries.file_or_404(request.user, file_id)
    permit = permits.record_permit(request.user, file, PermitInput(**payload.dict()))
    return Status(201, versioned(response, permit))


@router.get("/victim-files/{file_id}/residence-permits", response=page_of(PermitOut),
            url_name="file_permits")
def list_permits(request, file_id: Id, filters: Query[PageFilters]):
    file = queries.file_or_404(request.user, file_id)
    return paged(ResidencePermit.objects.restrict(request.user, VIEW).filter(file=file), filters)


@router.get("/residence-permits/{permit_id}", response=PermitOut, url_name="permit")
def get_permit(request, response: HttpResponse, permit_id: Id):
    return versioned(response, queries.permit_or_404(request.user, permit_id))


@router.put("/residence-permits/{permit_id}", response=PermitOut, url_name="permit")
def change_permit(request, response: HttpResponse, permit_id: Id, payload: PermitIn):
    """Correct the application or record its decision; with `If-Match` (the ETag) a change
    built from an older read is a 409."""
    permit = queries.permit_or_404(request.user, permit_id)
    return versioned(response, permits.update_permit(
        request.user, permit, PermitInput(**payload.dict()), version=if_match(request)))


@router.post("/victim-files/{file_id}/best-interests", response={201: AssessmentOut},
             url_name="file_assessments")
def record_assessment(request, response: HttpResponse, file_id: Id, payload: AssessmentIn):
    """A child victim's best-interests assessment (case workers of the case)."""
    file = queries.file_or_404(request.user, file_id)
    assessment = best_interests.record_assessment(request.user, file,
                                                  AssessmentInput(**payload.dict()))
    return Status(201, versioned(response, assessment))


@router.get("/victim-files/{file_id}/best-interests", response=page_of(AssessmentOut),
            url_name="file_assessments")
def list_assessments(request, file_id: Id, filters: Query[PageFilters]):
    """The assessments the caller may see: case workers of the case, and its team."""
    file = queries.file_or_404(request.user, file_id)
    return paged(queries.best_interests(request.user, file, context="api best interests"), filters)


@router.get("/best-interests/{assessment_id}", response=AssessmentOut,
            url_name="assessment")
def get_assessment(request, response: HttpResponse, assessment_id: Id):
    return versioned(response, queries.assessment_or_404(request.user, assessment_id,
                                                          context="api best interests"))


@router.put("/best-interests/{assessment_id}", response=AssessmentOut,
            url_name="assessment")
def change_assessment(request, response: HttpResponse, assessment_id: Id, payload: AssessmentIn):
    assessment = queries.assessment_or_404(request.user, assessment_id,
                                           context="api best interests change")
    return versioned(response, best_interests.update_assessment(
        request.user, assessment, AssessmentInput(**payload.dict()), version=if_match(request)))


def _check_permit(user, payload: PermitIn, file_id=None, permit_id=None) -> None:
    permit = queries.permit_or_404(user, int(permit_id)) if permit_id else None
    file = permit.file if permit else queries.file_or_404(user, int(file_id))
    permits.check_permit(user, file, PermitInput(**payload.dict()), permit)


def _check_assessment(user, payload: AssessmentIn, file_id=None, assessment_id=None) -> None:
    assessment = (queries.assessment_or_404(user, int(assessment_id), context="api best interests")
                  if assessment_id else None)
    file = assessment.file if assessment else queries.file_or_404(user, int(file_id))
    best_interests.check_assessment(user, file, AssessmentInput(**payload.dict()), assessment)


# A permit or an assessment whose body fails its schema still has its other fields checked.
check_also_on_schema_errors("file_permits", PermitIn, _check_permit)
check_also_on_schema_errors("permit", PermitIn, _check_permit, method="PUT")
check_also_on_schema_errors("file_assessments", AssessmentIn, _check_assessment)
check_also_on_schema_errors("assessment", AssessmentIn, _check_assessment, method="PUT")
