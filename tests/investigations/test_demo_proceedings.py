"""The demo seeds proceedings that stand where their cases stand, so that the criminal-justice
tables and the funnel show something."""

import io

from django.core.management import call_command

from crossroads.access.models import User
from crossroads.investigations.models import Proceeding
from crossroads.registry.models import CaseStatusChange
from crossroads.statistics import criminal_justice


def test_the_demo_seeds_proceedings_consistent_with_the_cases(db, tmp_path):
    call_command("demo", seed=8, cases=300, jurisdictions="AL", logins=str(tmp_path / "l.json"),
                 stdout=io.StringIO())
    proceedings = Proceeding.objects.select_related("case")
    assert proceedings.count() > 50
    convicted = CaseStatusChange.objects.filter(outcome="conviction").values("case_id")
    for p in proceedings.filter(verdict="convicted"):
        assert p.case_id in {c["case_id"] for c in convicted}
        assert p.custodial_months and p.sentenced_on >= p.verdict_on >= p.indicted_on
    assert not proceedings.filter(case__status="open").exists()
    assert proceedings.filter(stage="final", verdict="convicted").exists()
    assert proceedings.filter(offence__code="organised_crime").exists()
    coordinator = User.objects.get(username="al_coordinator")
    _years, tables = criminal_justice.justice_tables(coordinator, {"year_from": 2018,
                                                                   "year_to": 2024}, via="test")
    funnel = next(t for t in tables if t.name == "justice_funnel")
    assert funnel.row_total("final_conviction") > 0
