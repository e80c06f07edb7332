"""Read-side helpers shared by the API and the pages, all under the access policy. A read that
returns identities (a victim's name, a referral's note) records them itself; the surface names
the purpose (`context`)."""

import datetime

from django.utils import timezone

from crossroads.access.policy import VIEW, get_visible_or_404, may, require_capability, restrict
from crossroads.audit.choices import PurposeKind
from crossroads.registry import purpose
from crossroads.registry.choices import VICTIM_ROLES, AgeBand, age_band
from crossroads.registry.models import Case, Involvement, Person
from crossroads.registry.queries import record_identity_read

from .models import (
    BestInterestsAssessment,
    ProtectionTimer,
    Referral,
    ResidencePermit,
    VictimFile,
)
from .rules import KEEP_CARE_RECORD


def referrals_for(user, direction: str = "", status: str = ""):
    """Referrals the user's agency sent or received (coordinators: all of the jurisdiction)."""
    qs = Referral.objects.restrict(user, VIEW).select_related("case", "from_agency", "to_agency")
    if direction == "sent":
        qs = qs.filter(from_agency_id=user.agency_id)
    elif direction == "received":
        qs = qs.filter(to_agency_id=user.agency_id)
    if status:
        qs = qs.filter(status=status)
    return qs


def referral_or_404(user, referral_id: int) -> Referral:
    return get_visible_or_404(
        Referral.objects.select_related("case", "from_agency", "to_agency"), user, pk=referral_id)


def party_to(user, referral: Referral) -> bool:
    """The user's agency sent or received the referral (it reads its details)."""
    return user.agency_id in {referral.from_agency_id, referral.to_agency_id}


def referral_profile(referral: Referral) -> list[dict]:
    """Who is referred, as the receiving agency needs it before it accepts and nothing more
    (minimum necessary): per victim of the case, sex, age band, whether a child or presumed
    child. No name, date of birth or other identifier."""
    children = set(VictimFile.objects.filter(case_id=referral.case_id, presumed_child=True)
                   .values_list("person_id", flat=True))
    today = timezone.localdate()
    profile = []
    for person in victims(referral.case):
        age = None
        if person.birth_date:
            born = person.birth_date
            age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        band = AgeBand(age_band(age)).label if age is not None and age >= 0 else None
        profile.append({"sex": person.get_sex_display(), "age_band": band,
                        "child": person.pk in children or (age is not None and age < 18)})
    return sorted(profile, key=lambda row: (not row["child"], str(row["age_band"])))


def referral_detail(user, referral: Referral, *, context: str) -> dict:
    """The referral page: its details for the two agencies (the note is free text: on record),
    the profile of who is referred, and whether the user may see the case."""
    party = party_to(user, referral)
    if party and referral.note:
        record_identity_read(user, [referral.case], context=context)
    return {"referral": referral, "party": party,
            "profile": referral_profile(referral) if party else [],
            "case_visible": restrict(Case.objects.filter(pk=referral.case_id), user, VIEW).exists()}


def file_or_404(user, file_id: int) -> VictimFile:
    return get_visible_or_404(VictimFile.objects.select_related("person", "case"), user, pk=file_id)


def _visible(user, related):
    return related.model.objects.restrict(user, VIEW).filter(
        pk__in=related.values("pk"))


def _file_detail(user, file: VictimFile) -> dict:
    detail = {field: getattr(file, field) for field in (
        "id", "person_id", "case_id", "status", "presumed_child", "unaccompanied", "foreign",
        "identified_on", "exited_on")}
    detail["decisions"] = list(_visible(user, file.decisions.all()).select_related("decided_by"))
    detail["screenings"] = list(_visible(user, file.screenings.all()))
    detail["contacts"] = list(_visible(user, file.contacts.all()))
    detail["timers"] = list(_visible(user, file.timers.all()).select_related("file"))
    detail["permits"] = list(_visible(user, file.permits.all()))
    if may(user, KEEP_CARE_RECORD):
        detail["services"] = list(_visible(user, file.services.all()))
        detail["milestones"] = list(_visible(user, file.milestones.all()))
        detail["stays"] = list(_visible(user, file.stays.all()))
    return detail


def _files_of_case(user, case) -> list[VictimFile]:
    return list(VictimFile.objects.restrict(user, VIEW).filter(case=case)
                .select_related("person").order_by("id"))


def file_detail(user, file: VictimFile, *, context: str) -> dict:
    """The file with its history, screenings and timers; the care record for case workers.
    Its person is recorded as read."""
    record_identity_read(user, [file.person], context=context)
    return _file_detail(user, file)


def case_files(user, case, *, context: str) -> list[dict]:
    """The details of the case's files the user may see, their persons recorded as one read."""
    files = _files_of_case(user, case)
    record_identity_read(user, [f.person for f in files], context=context)
    return [_file_detail(user, f) for f in files]


def best_interests(user, file: VictimFile, *, context: str) -> list:
    """The child's best-interests assessments the user may see (case workers; the case team),
    recorded as a read of the child: they hold the child's views."""
    shown = list(BestInterestsAssessment.objects.restrict(user, VIEW).filter(file=file))
    if shown:
        record_identity_read(user, [file.person], context=context)
    return shown


def assessment_or_404(user, assessment_id: int, *, context: str):
    """One assessment the user may see, its child recorded as read."""
    assessment = get_visible_or_404(
        BestInterestsAssessment.objects.select_related("file__person", "file__case"), user,
        pk=assessment_id)
    record_identity_read(user, [assessment.file.person], context=context)
    return assessment


def permit_or_404(user, permit_id: int):
    return get_visible_or_404(ResidencePermit.objects.select_related("file__person", "file__case"),
                              user, pk=permit_id)


def victims(case, viewer=None) -> list[Person]:
    """The case's victims: all of them (the consent checks), or those `viewer` may see."""
    ids = Involvement.objects.filter(case=case, role__in=VICTIM_ROLES).values("person_id")
    persons = Person.objects.all() if viewer is None else restrict(Person.objects.all(), viewer, VIEW)
    return list(persons.filter(pk__in=ids))


def case_victims(user, case, *, context: str) -> tuple[list[Person], dict[int, VictimFile]]:
    """The case's victims the user may see and their files (by person id), the victims
    recorded as read."""
    shown = victims(case, user)
    record_identity_read(user, shown, context=context)
    return shown, {f.person_id: f for f in _files_of_case(user, case)}


def timers_overview(user, today: datetime.date | None = None):
    """For a coordinator: the due and overdue timers of the cases they may see, each with its
    case and its owner agency and nothing of the person (who then follows it up). The most
    overdue first."""
    require_capability(user, "oversee_timers")
    cases = restrict(Case.objects.all(), user, VIEW).values("pk")
    return (ProtectionTimer.objects.filter(file__case__in=cases)
            .needing_attention(today or timezone.localdate())
            .select_related("file__case__owner_agency").order_by("due_on", "id"))


def open_timers(user, today: datetime.date | None = None):
    """Due (within DUE_SOON_DAYS) and overdue timers of the cases the user sees."""
    return (ProtectionTimer.objects.restrict(user, VIEW)
            .needing_attention(today or timezone.localdate())
            .select_related("file__case").order_by("due_on", "id"))


def file_purpose(user, file_id) -> str:
    """The purpose a victim file's pages carry: assistance in the file's case (or the
    reader's break-glass reason on it); "" for a file the user may not see."""
    if not str(file_id).isdigit():
        return ""
    found = (restrict(VictimFile.objects.all(), user, VIEW).filter(pk=int(file_id))
             .select_related("case").first())
    if found is None:
        return ""
    glass = purpose.for_case(user, found.case_id)
    return glass if glass.startswith(PurposeKind.BREAK_GLASS) else purpose.compose(
        PurposeKind.ASSISTANCE, found.case.reference)


def referral_purpose(user, referral_id) -> str:
    """The purpose a referral's page carries: assistance in the referred case."""
    if not str(referral_id).isdigit():
        return ""
    found = (restrict(Referral.objects.all(), user, VIEW).filter(pk=int(referral_id))
             .select_related("case").first())
    return purpose.compose(PurposeKind.ASSISTANCE, found.case.reference) if found else ""
