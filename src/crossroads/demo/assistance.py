"""Demo data of the referral mechanism: shelters (one of them full), consents (most victims
agree to research and cross-border sharing, so exports are not empty), victim files with
screenings, decisions, timers, residence permits (foreign victims), best-interests assessments
(children), plans and milestones, referrals in every state, and a few
recent identifications whose timers are due or overdue, so the home page shows them.

The seeded cases are of 2018–2024; the recent identifications are dated from today (a file
reopened this month), which is what makes due and overdue items appear on any day the demo
is run. Rows are written in bulk, with one audit entry per jurisdiction.
"""

import datetime
import random

from django.utils import timezone

from crossroads.assistance.choices import (
    IdentificationStatus,
    MilestoneKind,
    PermitDecision,
    PermitGround,
    ReferralStatus,
    ReturnRisk,
    ServiceKind,
    ServiceStatus,
    TimerKind,
)
from crossroads.assistance.models import (
    BestInterestsAssessment,
    Consent,
    Milestone,
    ProtectionTimer,
    Referral,
    ResidencePermit,
    RetraffickingFlag,
    Screening,
    Service,
    Shelter,
    ShelterStay,
    StatusDecision,
    VictimFile,
)
from crossroads.audit.choices import Action
from crossroads.audit.services import record
from crossroads.registry.models import Case, ExploitationRecord, Involvement

CONSENT_SHARE = 0.9   # victims agreeing to research and to cross-border sharing
FILE_SHARE = 0.35     # shelter and NGO cases with a referral-mechanism file
RECENT = [-40, -33, -26, -10]  # identified this many days ago: overdue, overdue, due, running
SERVICES = [ServiceKind.SHELTER, ServiceKind.MEDICAL, ServiceKind.PSYCHOLOGICAL,
            ServiceKind.LEGAL_AID, ServiceKind.VOCATIONAL, ServiceKind.EMPLOYMENT]
MILESTONES = [MilestoneKind.HOUSING, MilestoneKind.EMPLOYMENT, MilestoneKind.EXIT,
              MilestoneKind.FOLLOW_UP]


def _shelters(agencies) -> tuple[Shelter, Shelter]:
    agency = agencies["shelter"]
    adults = Shelter.objects.create(agency=agency, name=f"{agency.name} – women and men",
                                    capacity=14)
    children = Shelter.objects.create(agency=agency, name=f"{agency.name} – children",
                                      capacity=4, accepts_children=True)
    return adults, children


def seed_assistance(seed: int, jurisdiction: str, agencies: dict) -> dict:
    from crossroads.access.models import User

    rng = random.Random(f"{seed}-assistance-{jurisdiction}")
    today = timezone.localdate()
    worker = User.objects.get(username=f"{jurisdiction.lower()}_case_worker")
    investigator = User.objects.get(username=f"{jurisdiction.lower()}_investigator")
    adults, children = _shelters(agencies)
    victims = list(Involvement.objects.filter(case__jurisdiction_id=jurisdiction,
                                              role="victim").select_related("case", "person"))
    minors = set(ExploitationRecord.objects.filter(case__jurisdiction_id=jurisdiction,
                                                   is_minor=True).values_list("person_id",
                                                                              flat=True))
    consents = []
    for involvement in victims:
        for purpose in ("research", "cross_border"):
            consents.append(Consent(person=involvement.person, purpose=purpose,
                                    granted=rng.random() < CONSENT_SHARE, recorded_by=worker,
                                    agency=agencies["shelter"]))
    shelter_cases = set(Case.assigned_agencies.through.objects.filter(
        agency=agencies["shelter"]).values_list("case_id", flat=True))
    candidates = [i for i in victims if i.case_id in shelter_cases
                  or i.case.owner_agency.kind == "shelter"]
    # At least the recent ones, so that even a small demo shows due and overdue items.
    chosen = candidates[:len(RECENT)] + [i for i in candidates[len(RECENT):]
                                         if rng.random() < FILE_SHARE]
    files = VictimFile.objects.bulk_create(
        VictimFile(person=i.person, case=i.case, status=IdentificationStatus.IDENTIFIED,
                   presumed_child=i.person_id in minors,
                   foreign=jurisdiction not in (i.person.citizenships or []),
                   identified_on=i.case.opened_on + datetime.timedelta(days=12))
        for i in chosen)
    rows = {"decisions": [], "screenings": [], "timers": [], "services": [], "milestones": [],
            "stays": [], "referrals": [], "permits": [], "assessments": []}
    for index, file in enumerate(files):
        recent = RECENT[index] if index < len(RECENT) else None
        if recent:
            file.identified_on = today + datetime.timedelta(days=recent)
        _history(rows, file, worker, investigator, agencies)
        _timers(rows, file, today, completed=recent is None, worker=worker)
        consents.append(Consent(person=file.person, purpose="referral", granted=True,
                                recorded_by=investigator, agency=agencies["police"]))
        _care(rng, rows, file, worker, today, finished=recent is None)
        _protection(rows, file, worker, today, decided=recent is None)
        if file.case_id in shelter_cases:  # the shelter's access came by this referral
            rows["referrals"].append(Referral(
                case=file.case, from_agency=agencies["police"], to_agency=agencies["shelter"],
                purpose="shelter", status=ReferralStatus.ACCEPTED, created_by=investigator,
                decided_by=worker, decided_at=timezone.now()))
    VictimFile.objects.bulk_update(files, ["identified_on"])
    _stays(rows, files, adults, children, worker, today)
    _open_referrals(rows, files, agencies, worker)
    Consent.objects.bulk_create(consents, batch_size=5000)
    for key, model in (("decisions", StatusDecision), ("screenings", Screening),
                       ("timers", ProtectionTimer), ("services", Service),
                       ("milestones", Milestone), ("stays", ShelterStay),
                       ("referrals", Referral), ("permits", ResidencePermit),
                       ("assessments", BestInterestsAssessment)):
        model.objects.bulk_create(rows[key], batch_size=5000)
    flags = _retrafficked(files)
    counts = {"shelters": 2, "consents": len(consents), "files": len(files), "flags": flags,
              **{k: len(v) for k, v in rows.items()}}
    record(investigator, Action.CREATE, object_type="demo.assistance", jurisdiction=jurisdiction,
           details=counts)
    return counts


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def _history(rows, file, worker, investigator, agencies) -> None:
    screened = file.identified_on - datetime.timedelta(days=5)
    rows["screenings"].append(Screening(
        file=file, agency=agencies["shelter"], screened_by=worker, screened_at=_at(screened),
        child_form=file.presumed_child,
        indicators=["child_adult_controls", "child_sexual"] if file.presumed_child else [
            "deceived_recruitment", "documents_withheld", "no_pay"],
        score=5 if file.presumed_child else 8, threshold=3 if file.presumed_child else 6,
        suggests_presumed=True))
    steps = [("", IdentificationStatus.POTENTIAL, worker, agencies["shelter"], screened,
              "File opened"),
             (IdentificationStatus.POTENTIAL, IdentificationStatus.PRESUMED, worker,
              agencies["shelter"], screened, "Screening: strong indicators"),
             (IdentificationStatus.PRESUMED, IdentificationStatus.IDENTIFIED, investigator,
              agencies["police"], file.identified_on, "Formal identification interview")]
    for from_status, to_status, user, agency, day, reason in steps:
        rows["decisions"].append(StatusDecision(
            file=file, from_status=from_status, to_status=to_status, decided_by=user,
            agency=agency, decided_at=_at(day), reason=reason))


def _timers(rows, file, today, *, completed: bool, worker) -> None:
    kinds = [(TimerKind.REFLECTION, 30)]
    if file.foreign:
        kinds.append((TimerKind.RESIDENCE_PERMIT, 60))
    for kind, days in kinds:
        due = file.identified_on + datetime.timedelta(days=days)
        done = completed and due <= today
        rows["timers"].append(ProtectionTimer(
            file=file, kind=kind, starts_on=file.identified_on, due_on=due,
            completed_on=due if done else None, completed_by=worker if done else None,
            outcome="Decided to cooperate with the proceedings" if done else ""))


def _protection(rows, file, worker, today, *, decided: bool) -> None:
    """A foreign victim's residence permit (granted for a year once decided, else pending) and
    a child's best-interests assessment."""
    applied = min(file.identified_on + datetime.timedelta(days=5), today)
    if file.foreign:
        granted = decided and file.identified_on + datetime.timedelta(days=60) <= today
        on = file.identified_on + datetime.timedelta(days=60) if granted else None
        rows["permits"].append(ResidencePermit(
            file=file, ground=PermitGround.COOPERATION, applied_on=applied,
            decision=PermitDecision.GRANTED if granted else PermitDecision.PENDING,
            decided_on=on, valid_from=on, valid_until=on and on + datetime.timedelta(days=365),
            recorded_by=worker))
    if file.presumed_child:
        rows["assessments"].append(BestInterestsAssessment(
            file=file, assessed_on=applied, assessor="Social worker of the shelter",
            guardian_appointed=True, guardian_appointed_on=applied, child_heard=True,
            child_views="Wants to stay in school and near a sibling.",
            return_risk=ReturnRisk.HIGH, measures=["guardianship", "stay", "education"],
            outcome="Stays in care; no return while the risk is high.",
            agency_id=worker.agency_id, recorded_by=worker))


def _care(rng, rows, file, worker, today, *, finished: bool) -> None:
    start = file.identified_on
    for kind in rng.sample(SERVICES, rng.randint(2, 4)):
        status = (rng.choices([ServiceStatus.DELIVERED, ServiceStatus.REFUSED], [9, 1])[0]
                  if finished else ServiceStatus.PLANNED)
        on = min(start + datetime.timedelta(days=rng.randint(1, 60)), today)
        rows["services"].append(Service(
            file=file, kind=kind, status=status, planned_on=start, recorded_by=worker,
            delivered_on=on if status == ServiceStatus.DELIVERED else None,
            refused_on=on if status == ServiceStatus.REFUSED else None))
    if finished and rng.random() < 0.6:
        exit_on = min(start + datetime.timedelta(days=rng.randint(120, 300)), today)
        file.exited_on = exit_on
        for offset, kind in zip((-30, -10, 0, 90), MILESTONES, strict=True):
            day = exit_on + datetime.timedelta(days=offset)
            if day <= today:
                rows["milestones"].append(Milestone(file=file, kind=kind, reached_on=day,
                                                    recorded_by=worker))


def _stays(rows, files, adults, children, worker, today) -> None:
    """Past stays for the assisted; the children's shelter full today."""
    in_care = [f for f in files if not f.exited_on]
    current_children = [f for f in in_care if f.presumed_child][:children.capacity]
    for file in current_children:
        rows["stays"].append(ShelterStay(shelter=children, file=file, admitted_on=today -
                                         datetime.timedelta(days=20), admitted_by=worker))
    adults_now = [f for f in in_care if not f.presumed_child][:adults.capacity - 3]
    for file in adults_now:
        rows["stays"].append(ShelterStay(shelter=adults, file=file, admitted_on=today -
                                         datetime.timedelta(days=15), admitted_by=worker))
    for file in [f for f in files if f.exited_on][:40]:
        shelter = children if file.presumed_child else adults
        rows["stays"].append(ShelterStay(
            shelter=shelter, file=file, admitted_on=file.identified_on,
            discharged_on=file.exited_on, admitted_by=worker, discharged_by=worker))
    VictimFile.objects.bulk_update(files, ["exited_on"])


def _open_referrals(rows, files, agencies, worker) -> None:
    """Referrals from the shelter onwards: waiting, rejected, done."""
    for file, status in zip(files[:6], [ReferralStatus.PENDING, ReferralStatus.PENDING,
                                        ReferralStatus.REJECTED, ReferralStatus.DONE,
                                        ReferralStatus.DONE, ReferralStatus.PENDING],
                            strict=False):
        rows["referrals"].append(Referral(
            case=file.case, from_agency=agencies["shelter"],
            to_agency=agencies["social_services" if status != ReferralStatus.DONE else "ngo"],
            purpose="psychological" if status == ReferralStatus.DONE else "case_management",
            status=status, created_by=worker,
            decision_reason="No capacity this month" if status == ReferralStatus.REJECTED else ""))


def _retrafficked(files) -> int:
    """One assisted person found again as a victim in a later case: a re-trafficking flag
    (raised by the same signal as in production, when the involvement is recorded)."""
    for file in files:
        later = (Case.objects.filter(jurisdiction_id=file.case.jurisdiction_id,
                                     opened_on__gt=file.case.opened_on)
                 .exclude(pk=file.case_id).order_by("opened_on").first())
        if later is not None:
            Involvement.objects.create(person=file.person, case=later, role="victim")
            return RetraffickingFlag.objects.filter(file_case=later).count()
    return 0
