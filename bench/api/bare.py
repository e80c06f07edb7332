"""The peer of `service_time`: bare django-ninja routes listing the same 50 rows with the same
fields as the node's case and person lists — the same rows and prefetches (a case's victims by
name, its forms of exploitation), no policy, no audit, no count — mounted beside the node's
URLs in the benchmark's process only."""

import datetime

from django.db.models import Prefetch
from django.urls import path
from ninja import NinjaAPI, Schema

from crossroads.registry.choices import VICTIM_ROLES
from crossroads.registry.models import Case, ExploitationRecord, Involvement, Person
from crossroads.urls import urlpatterns as node_urls

bare = NinjaAPI(urls_namespace="bare", docs_url=None, openapi_url=None)


class Agency(Schema):
    id: int
    name: str
    kind: str


class Victim(Schema):
    person_id: int
    role: str
    name: str


class CaseRow(Schema):
    id: int
    reference: str
    jurisdiction_id: str
    owner_agency: Agency
    status: str
    handling_code: str
    opened_on: datetime.date
    victims: list[Victim]
    forms: list[str]

    @staticmethod
    def resolve_victims(case):
        return [{"person_id": i.person_id, "role": i.role, "name": str(i.person)}
                for i in case.victims]

    @staticmethod
    def resolve_forms(case):
        return sorted({code for r in case.records for code in r.forms})


class PersonRow(Schema):
    id: int
    given_names: str
    family_name: str
    father_name: str
    sex: str
    birth_date: datetime.date | None
    birth_precision: str
    jurisdiction_id: str


@bare.get("/cases", response=list[CaseRow])
def cases(request, jurisdiction: str):
    victims = Involvement.objects.filter(role__in=VICTIM_ROLES).select_related("person")
    return list(Case.objects.filter(jurisdiction_id=jurisdiction)
                .select_related("owner_agency").order_by("-opened_on", "-id")
                .prefetch_related(Prefetch("involvements", queryset=victims, to_attr="victims"),
                                  Prefetch("exploitation_records", to_attr="records",
                                           queryset=ExploitationRecord.objects.all()))[:50])


@bare.get("/persons", response=list[PersonRow])
def persons(request, jurisdiction: str):
    return list(Person.objects.filter(jurisdiction_id=jurisdiction).order_by("id")[:50])


urlpatterns = [path("bare/", bare.urls), *node_urls]
