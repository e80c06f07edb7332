"""The peer of `service_time`: bare django-ninja routes listing the same 50 rows with the same
fields as the node's case and person lists — one query each, no policy, no audit, no count —
mounted beside the node's URLs in the benchmark's process only."""

import datetime

from django.urls import path
from ninja import NinjaAPI, Schema

from crossroads.registry.models import Case, Person
from crossroads.urls import urlpatterns as node_urls

bare = NinjaAPI(urls_namespace="bare", docs_url=None, openapi_url=None)


class Agency(Schema):
    id: int
    name: str
    kind: str


class CaseRow(Schema):
    id: int
    reference: str
    jurisdiction_id: str
    owner_agency: Agency
    status: str
    handling_code: str
    opened_on: datetime.date


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
    return list(Case.objects.filter(jurisdiction_id=jurisdiction)
                .select_related("owner_agency").order_by("-opened_on", "-id")[:50])


@bare.get("/persons", response=list[PersonRow])
def persons(request, jurisdiction: str):
    return list(Person.objects.filter(jurisdiction_id=jurisdiction).order_by("id")[:50])


urlpatterns = [path("bare/", bare.urls), *node_urls]
