"""Read-side queries shared by the API and the pages: filtering under the access policy."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from crossroads.access.policy import VIEW, get_visible_or_404, require_capability, restrict_narrowed
from crossroads.audit.choices import Action
from crossroads.audit.services import record, record_reads

from . import blind_index
from .choices import CaseStatus, ExploitationForm, InvolvementRole
from .models import FORM_FIELDS, Case, ExploitationRecord, Involvement, Person, SearchKey
from .rules import IDENTITY_READERS, SEARCH_PERSONS, break_glass_grant_ids
from .services import search_persons


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
    visible_involvements = Involvement.objects.restrict(user, VIEW).filter(case_id=case_id)
    qs = Case.objects.select_related("owner_agency").prefetch_related(
        "assigned_agencies", "team",
        Prefetch("involvements", queryset=visible_involvements.select_related("person")
                 if user.role in IDENTITY_READERS else visible_involvements),
        Prefetch("exploitation_records",
                 queryset=ExploitationRecord.objects.filter(
                     person__in=visible_involvements.values("person_id"))),
        "status_history__changed_by",
    )
    return get_visible_or_404(qs, user, pk=case_id)


def _birth_filter(birth_date):
    """Persons born on that day, or recorded with only its month or year."""
    keys = SearchKey.objects.filter
    exact = keys(kind="dob", digest=blind_index.digest("dob", birth_date.isoformat()))
    month = keys(kind="ym", digest=blind_index.digest("ym", f"{birth_date:%Y-%m}"))
    year = keys(kind="yob", digest=blind_index.digest("yob", f"{birth_date:%Y}"))
    return (Q(pk__in=exact.values("person_id"))
            | (Q(birth_precision="month") & Q(pk__in=month.values("person_id")))
            | (Q(birth_precision__in=["year", "age"]) & Q(pk__in=year.values("person_id"))))


def filter_persons(user, *, name: str = "", sex: str = "", role: str = "",
                   birth_date: datetime.date | None = None, document_number: str = ""):
    qs = Person.objects.all()
    if birth_date:
        qs = qs.filter(_birth_filter(birth_date))
    if document_number:
        digest = blind_index.document_digest(document_number)
        qs = qs.filter(pk__in=SearchKey.objects.filter(kind="doc", digest=digest)
                       .values("person_id"))
    if sex:
        qs = qs.filter(sex=sex)
    if role:
        if role not in InvolvementRole.values:
            raise ValidationError({"role": _("Unknown role.")})
        qs = qs.filter(pk__in=Involvement.objects.restrict(user, VIEW).filter(role=role)
                       .values("person_id"))
    if name:
        return search_persons(user, name, qs)
    if birth_date or document_number:
        require_capability(user, SEARCH_PERSONS)
        record(user, Action.SEARCH, object_type="registry.person",
               details={"by": [k for k, v in (("birth_date", birth_date),
                                              ("document_number", document_number)) if v]})
        return restrict_narrowed(qs, user, VIEW)
    # A plain list shows a merged record once, as its survivor; searches still find both. A
    # record merged into one the user may not see stays listed: its absence would tell them that
    # such a record exists.
    visible = qs.restrict(user, VIEW)
    return visible.filter(Q(merged_into__isnull=True)
                          | ~Q(merged_into__in=Person.objects.restrict(user, VIEW).values("pk")))


def visible_survivors(user, persons) -> list[int]:
    """Ids of the records these persons are merged into that `user` may see."""
    ids = {p.merged_into_id for p in persons if p.merged_into_id}
    if not ids:
        return []
    return list(Person.objects.restrict(user, VIEW).filter(pk__in=ids).values_list("pk", flat=True))


def merged_persons(user, person: Person):
    """Records merged into `person` that the user may see, with their visible involvements."""
    return (Person.objects.restrict(user, VIEW).filter(merged_into_id=person.pk)
            .prefetch_related(Prefetch("involvements", queryset=Involvement.objects.restrict(
                user, VIEW).select_related("case"))))


def person_detail(user, person_id: int) -> Person:
    qs = Person.objects.prefetch_related(
        "aliases", "documents", "contacts",
        Prefetch("involvements",
                 queryset=Involvement.objects.restrict(user, VIEW).select_related("case")))
    return get_visible_or_404(qs, user, pk=person_id)


def record_identity_read(actor, shown, *, context: str) -> None:
    """Audit one page or response that shows identities: every person shown (and the case
    whose summary is shown), with the break-glass grants the read used."""
    shown = list(shown)
    if shown:
        record_reads(actor, shown, context=context, grants=break_glass_grant_ids(actor, shown))
