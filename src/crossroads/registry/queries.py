"""Read-side queries shared by the API and the pages: filtering under the access policy."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from crossroads.access.policy import IDENTITY_READERS, VIEW, get_or_404

from .models import FORM_FIELDS, Case, ExploitationRecord, Involvement, Person
from .services import search_persons
from .vocabularies import CaseStatus, ExploitationForm, InvolvementRole


def filter_cases(user, *, status: str = "", year: int | None = None, form: str = "",
                 agency: int | None = None, reference: str = ""):
    qs = Case.objects.restrict(user, VIEW).select_related("owner_agency")
    if status:
        if status not in CaseStatus.values:
            raise ValidationError({"status": _("Unknown status.")})
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(opened_on__year=year)
    if form:
        if form not in ExploitationForm.values:
            raise ValidationError({"form": _("Unknown form of exploitation.")})
        records = ExploitationRecord.objects.filter(**{FORM_FIELDS[form]: True})
        qs = qs.filter(pk__in=records.values("case_id"))
    if agency:
        qs = qs.filter(owner_agency_id=agency)
    if reference:
        qs = qs.filter(reference__icontains=reference.strip())
    return qs


def case_detail(user, case_id: int) -> Case:
    """A visible case with the involvements and records the user may see."""
    visible_involvements = Involvement.objects.restrict(user, VIEW)
    qs = Case.objects.select_related("owner_agency").prefetch_related(
        "assigned_agencies", "team",
        Prefetch("involvements", queryset=visible_involvements.select_related("person")
                 if user.role in IDENTITY_READERS else visible_involvements),
        Prefetch("exploitation_records",
                 queryset=ExploitationRecord.objects.filter(
                     person__in=visible_involvements.values("person_id"))),
        "status_history__changed_by",
    )
    return get_or_404(qs, user, VIEW, pk=case_id)


def filter_persons(user, *, name: str = "", sex: str = "", role: str = ""):
    qs = Person.objects.all()
    if sex:
        qs = qs.filter(sex=sex)
    if role:
        if role not in InvolvementRole.values:
            raise ValidationError({"role": _("Unknown role.")})
        qs = qs.filter(pk__in=Involvement.objects.restrict(user, VIEW).filter(role=role)
                       .values("person_id"))
    if name:
        return search_persons(user, name, qs)
    return qs.restrict(user, VIEW)


def person_detail(user, person_id: int) -> Person:
    qs = Person.objects.prefetch_related(
        "aliases", "documents", "contacts",
        Prefetch("involvements", queryset=Involvement.objects.restrict(user, VIEW)))
    return get_or_404(qs, user, VIEW, pk=person_id)
