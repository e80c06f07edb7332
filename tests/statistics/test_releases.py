"""Releases leave the node only through disclosure control; checked here by counting the
released files themselves, independently of the code that made them."""

import csv
import hashlib
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crossroads.access.models import User
from crossroads.audit.models import AuditEntry
from crossroads.statistics import release_workflow
from crossroads.statistics.models import Release


@pytest.fixture
def node(db, tmp_path):
    call_command("demo", seed=8, cases=300, jurisdictions="AL", logins=str(tmp_path / "l.json"),
                 stdout=io.StringIO())
    return tmp_path


def release(kind, *extra):
    """Prepared from the command line for one coordinator, approved by the second (four-eyes)."""
    call_command("release", kind, "--user", "al_coordinator", *extra, stdout=io.StringIO())
    made = Release.objects.latest("id")
    release_workflow.approve(User.objects.get(username="al_coordinator_2"), made.pk)
    return Path(made.folder)


def read(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_tables_hide_small_cells_and_cannot_be_recovered_from_margins(node):
    folder = release("tables", "--threshold", "5")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["threshold"] == 5 and manifest["approved_by"] == "al_coordinator_2"
    assert manifest["prepared_by"] == "al_coordinator"
    suppressed_any = False
    for name in manifest["tables"]:
        rows = read(folder / f"{name}.csv")
        body = [row[1:-1] for row in rows[1:-1]]
        for row in body:
            for cell in row:
                assert cell == "" or cell == "0" or int(cell) >= 5
        # A row or column with a hidden cell has at least two: the margins cannot give one away.
        for line in [*body, *zip(*body, strict=True)]:
            hidden = sum(cell == "" for cell in line)
            assert hidden in (0,) or hidden >= 2
            suppressed_any |= hidden > 0
        assert hashlib.sha256((folder / f"{name}.csv").read_bytes()).hexdigest() == \
            manifest["files"][f"{name}.csv"]
    assert suppressed_any
    made = AuditEntry.objects.filter(action="create", object_type="statistics.release",
                                     object_id=str(manifest["release"])).latest("id")
    assert made.details["folder"] == folder.name and made.actor == "al_coordinator"
    approved = AuditEntry.objects.filter(action="update", object_id=str(manifest["release"])).latest("id")
    assert approved.details["decision"] == "approved"
    assert approved.actor == "al_coordinator_2"


def test_microdata_are_k_anonymous_over_every_combination(node):
    folder = release("microdata", "--k", "11")
    manifest = json.loads((folder / "manifest.json").read_text())
    rows = read(folder / "microdata.csv")
    header, data = rows[0], rows[1:]
    assert header == manifest["columns"]
    assert min(Counter(map(tuple, data)).values()) >= 11
    assert manifest["released"] == len(data)
    assert manifest["released"] + manifest["suppressed"] == manifest["records"]
    assert manifest["suppression_rate"] == round(manifest["suppressed"] / manifest["records"], 4)


def test_release_needs_a_coordinator_and_sane_parameters(node):
    with pytest.raises(CommandError, match="--user USERNAME is required"):
        call_command("release", "microdata", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--k"):
        call_command("release", "microdata", "--user", "al_coordinator", "--k", "1",
                     stdout=io.StringIO())


def test_records_of_restricted_cases_never_leave_the_node(node):
    """H3 cases stay with their team: no release counts them, as no dashboard does."""
    from crossroads.registry.models import ExploitationRecord
    from crossroads.statistics.releases import victim_rows

    restricted = ExploitationRecord.objects.filter(case__handling_code="H3").count()
    assert restricted
    assert len(victim_rows(record_level=False)) == ExploitationRecord.objects.count() - restricted


def test_released_tables_count_victims_not_records(node):
    """Issue 21, point 15: a person with two records of the same year and form is one victim."""
    from crossroads.registry.models import ExploitationRecord

    first = ExploitationRecord.objects.filter(case__jurisdiction_id="AL",
                                              case__handling_code="H0").first()
    before = _cell(release("tables", "--threshold", "2"), first)
    ExploitationRecord.objects.create(case=first.case, person=first.person,
                                      year_of_registration=first.year_of_registration,
                                      **{f: getattr(first, f) for f in ("form_sexual",
                                                                        "form_forced_labour")})
    assert _cell(release("tables", "--threshold", "2"), first) == before


def _cell(folder, record) -> str:
    rows = read(folder / "victims_by_year_and_sex.csv")
    column = rows[0].index(record.person.sex)
    return next(r for r in rows if r[0] == str(record.year_of_registration))[column]


def test_record_level_releases_keep_every_form_of_a_record(node, settings):
    """Issue 21, point 15: a record of sexual exploitation and forced labour is released with
    both forms (one 0/1 column per form, as CTDC's isSexualExploit, isForcedLabour), not as
    its first form only."""
    from crossroads.assistance.services.consent import persons_with_consent
    from crossroads.registry.models import FORM_FIELDS, ExploitationRecord

    released = ExploitationRecord.objects.filter(case__handling_code="H0",
                                                 person__in=persons_with_consent("research"))
    both = released.order_by("id")[:4]
    ExploitationRecord.objects.filter(pk__in=[r.pk for r in both]).update(
        **{**dict.fromkeys(FORM_FIELDS.values(), False), "form_sexual": True,
           "form_forced_labour": True})
    expected = released.filter(form_sexual=True, form_forced_labour=True).count()
    assert expected >= 4
    folder = release("microdata", "--k", "2", "--columns", "form")
    header, *data = read(folder / "microdata.csv")
    assert header == list(FORM_FIELDS.values())
    assert json.loads((folder / "manifest.json").read_text())["columns"] == header
    sexual, labour = header.index("form_sexual"), header.index("form_forced_labour")
    assert sum(row[sexual] == "1" and row[labour] == "1" for row in data) == expected
    settings.CROSSROADS_SYNTHETIC_FIDELITY_FLOOR = 0  # columns here, not fidelity
    folder = release("synthetic", "--epsilon", "1", "--columns", "form,sex")
    header = read(folder / "synthetic.csv")[0]
    assert set(header) == {"sex", *FORM_FIELDS.values()}
