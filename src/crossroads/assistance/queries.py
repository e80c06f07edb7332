"""Read-side helpers shared by the API and the pages, all under the access policy."""

from crossroads.access.policy import VIEW, get_visible_or_404, may

from .models import Referral, VictimFile
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


def file_or_404(user, file_id: int) -> VictimFile:
    return get_visible_or_404(VictimFile.objects.select_related("person", "case"), user, pk=file_id)


def _visible(user, related):
    return related.model.objects.restrict(user, VIEW).filter(
        pk__in=related.values("pk"))


def file_detail(user, file: VictimFile) -> dict:
    """The file with its history, screenings and timers; the care record for case workers."""
    detail = {field: getattr(file, field) for field in (
        "id", "person_id", "case_id", "status", "presumed_child", "unaccompanied", "foreign",
        "identified_on", "exited_on")}
    detail["decisions"] = list(_visible(user, file.decisions.all()).select_related("decided_by"))
    detail["screenings"] = list(_visible(user, file.screenings.all()))
    detail["timers"] = list(_visible(user, file.timers.all()).select_related("file"))
    if may(user, KEEP_CARE_RECORD):
        detail["services"] = list(_visible(user, file.services.all()))
        detail["milestones"] = list(_visible(user, file.milestones.all()))
        detail["stays"] = list(_visible(user, file.stays.all()))
    return detail


def files_of_case(user, case):
    return list(VictimFile.objects.restrict(user, VIEW).filter(case=case)
                .select_related("person").order_by("id"))
