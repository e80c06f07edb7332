"""Crafted exploitation records for the dashboard tests: persons and records made directly,
many at a time, in the cases of the shared test world."""

import datetime

from crossroads.registry.models import CaseStatusChange, ExploitationRecord, Person


def add_victims(case, n, *, year, sex="F", **fields):
    """`n` new victims of `case` registered in `year`, each with one exploitation record."""
    persons = Person.objects.bulk_create([
        Person(jurisdiction_id=case.jurisdiction_id, given_names=f"Test{i}", family_name="Victim",
               sex=sex, birth_date=datetime.date(1990, 1, 1), created_by_agency=case.owner_agency)
        for i in range(n)])
    fields.setdefault("form_sexual", True)
    fields.setdefault("country_of_exploitation", case.jurisdiction_id)
    return ExploitationRecord.objects.bulk_create([
        ExploitationRecord(case=case, person=p, year_of_registration=year, **fields)
        for p in persons])


def move(case, *statuses, by):
    """Record the case passing through `statuses` (the funnel reads the history)."""
    previous = case.status
    for status in statuses:
        CaseStatusChange.objects.create(case=case, from_status=previous, to_status=status,
                                        changed_by=by)
        previous = status
    case.status = previous
    case.save(update_fields=["status"])
