"""CTDC export and import: the shared sample files import, export then import keeps counts."""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from crossroads.access.choices import AgencyKind, Role
from crossroads.access.models import Agency, User
from crossroads.assistance.services.consent import persons_with_consent
from crossroads.audit.models import AuditEntry
from crossroads.registry.models import ExploitationRecord
from crossroads.statistics import ctdc
from crossroads.statistics.models import CtdcRecord

FIXTURES = Path(__file__).parent / "fixtures"


_last_run = ["", ""]


def run(*args, user="al_coordinator") -> tuple[str, str]:
    """The command as a coordinator (it runs as that user, under the policy); what it wrote
    is also kept in `_last_run` for a run that ends in an error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ctdc", *args, "--user", user, stdout=out, stderr=err)
    finally:
        _last_run[:] = [out.getvalue(), err.getvalue()]
    return out.getvalue(), err.getvalue()


@pytest.fixture
def coordinator(db):
    agency = Agency.objects.create(name="Coordinator AL", kind=AgencyKind.COORDINATOR,
                                   jurisdiction_id="AL")
    return User.objects.create_user("al_coordinator", role=Role.COORDINATOR, agency=agency)


@pytest.fixture
def demo(db, tmp_path):
    call_command("demo", seed=11, cases=120, logins=str(tmp_path / "logins.json"), stdout=io.StringIO())


def test_shared_global_sample_imports(coordinator):
    out, err = run("import", str(FIXTURES / "ctdc_global_kanon_head.csv"))
    assert "global layout, 9 row(s) imported, 0 row(s) did not fit" in out and err == ""
    rows = list(CtdcRecord.objects.all())
    assert {r.layout for r in rows} == {"global"} and {r.year for r in rows} == {2002}
    first = rows[0]
    assert (first.gender, first.age_band, first.majority, first.citizenship) == ("F", "18--20", "Adult", "CO")
    assert first.forms == ["sexual"] and first.recruiter_relation == "unknown"
    assert first.line == 2 and first.raw["Datasource"] == "Case Management"
    assert Counter(r.citizenship for r in rows)["MD"] >= 1
    assert AuditEntry.objects.filter(object_type="statistics.ctdcrecord", action="create").count() == 1


def test_shared_victim_perpetrator_sample_imports(coordinator):
    out, _err = run("import", str(FIXTURES / "ctdc_vp_synthetic_sample.csv"))
    assert "vp layout, 313 row(s) imported, 0 row(s) did not fit" in out
    rows = CtdcRecord.objects.filter(layout="vp")
    assert rows.count() == 313
    # Periods such as 2014-2018 are kept as periods, single years as years.
    assert rows.exclude(years="").filter(year__isnull=False).count() == 0
    assert rows.filter(years="2014-2018").exists() and rows.filter(year=2019).exists()
    first = rows.first()
    assert first.forms == ["forced_labour"] and first.gender == "F" and first.majority == "Adult"
    assert first.raw["IP_Gender"] == "Female;Male" and first.raw["UN_COE_Region"] == "Europe"


def test_rows_that_do_not_fit_are_reported_by_line_and_the_rest_imported(coordinator, tmp_path):
    lines = (FIXTURES / "ctdc_global_kanon_head.csv").read_text(encoding="utf-8").splitlines()
    bad = list(lines)
    bad[2] = bad[2].replace(";2002;", ";20x2;", 1)          # line 3: bad year
    bad[4] = bad[4].replace(";Female;", ";Robot;", 1)       # line 5: unknown gender
    bad[5] = bad[5] + ";extra"                               # line 6: one field too many
    bad[6] = bad[6].replace(";MD;", ";MDA;", 1)            # line 7: alpha-3 in the alpha-2 layout
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="4 row\\(s\\) rejected"):
        run("import", str(path))
    out, err = _last_run
    assert "5 row(s) imported, 4 row(s) did not fit" in out
    assert "line 3: year '20x2' is not a year" in err
    assert "line 5: gender 'Robot'" in err
    assert "line 6: 65 fields, the header has 64" in err
    assert "line 7: citizenship 'MDA' is not an ISO alpha-2 code" in err
    assert CtdcRecord.objects.count() == 5


def test_layout_detection():
    assert ctdc.detect_layout((FIXTURES / "ctdc_global_kanon_head.csv").open().readline()) == "global"
    assert ctdc.detect_layout((FIXTURES / "ctdc_vp_synthetic_sample.csv").open().readline()) == "vp"
    assert ctdc.detect_layout(",".join(ctdc.SYNTHETIC_COLUMNS)) == "synthetic"
    with pytest.raises(ValueError):
        ctdc.detect_layout("name,surname\n")


def exported():
    """The records the CTDC export writes for AL's coordinator: those of AL, of victims with
    research consent, outside restricted (H3) cases, which never leave the node."""
    return ExploitationRecord.objects.filter(
        case__jurisdiction_id="AL", person__in=persons_with_consent("research")).exclude(
        case__handling_code="H3")


def node_counts(layout):
    """Exploitation records of the node per year x CTDC form column of the layout."""
    counts = Counter()
    for r in exported():
        for column in columns_of(r.forms, layout):
            counts[(r.year_of_registration, column)] += 1
    return counts


def columns_of(forms, layout):
    if layout == "global":
        return ctdc.exploit_columns(forms) - {"isSexAndLabour"}
    return ctdc.form_groups(forms)


def imported_counts(layout):
    counts = Counter()
    for r in CtdcRecord.objects.filter(layout=layout):
        for column in columns_of(r.forms, layout):
            counts[(r.year, column)] += 1
    return counts


@pytest.mark.parametrize("layout", ["global", "synthetic"])
def test_export_then_import_keeps_counts_per_year_and_form(demo, tmp_path, layout):
    out_file = tmp_path / f"{layout}.csv"
    before = AuditEntry.objects.filter(action="export").count()  # the demo's insiders export too
    out, _err = run("export", "--layout", layout, "--out", str(out_file))
    total = exported().count()
    assert f"wrote {total} record(s)" in out
    assert AuditEntry.objects.filter(action="export").count() == before + 1
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.details["rows"] == total and entry.details["layout"] == layout
    notes = (tmp_path / f"{layout}.csv.notes.txt").read_text()
    assert "Kosovo" in notes and "Not anonymised" in notes

    out, _err = run("import", str(out_file))
    assert f"{layout} layout, {total} row(s) imported, 0 row(s) did not fit" in out
    assert imported_counts(layout) == node_counts(layout)
    assert sum(node_counts(layout).values()) >= total
    # Forced begging survives the global layout (forced labour in the sector Begging).
    if layout == "global":
        begging = exported().filter(form_forced_begging=True).count()
        assert begging and sum("forced_begging" in r.forms for r in CtdcRecord.objects.all()) == begging


def test_global_export_layout(demo, tmp_path):
    out_file = tmp_path / "g.csv"
    run("export", "--layout", "global", "--out", str(out_file))
    rows = list(csv.reader(out_file.open(newline=""), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[0].startswith("By using this data you agree") and len(header) == 64
    assert all(row[0] == "" for row in data)
    columns = dict(enumerate(header))
    flags = [i for i, name in columns.items()
             if name.startswith(("meansOfControl", "typeOfLabour", "typeOfSex", "recruiterRelation"))
             and not name.endswith("Concatenated")] + [header.index("isForcedLabour")]
    assert {row[i] for row in data for i in flags} == {"0", "1"}
    citizenship = {row[header.index("citizenship")] for row in data}
    assert "XK" not in citizenship and all(len(c) == 2 for c in citizenship)
    assert ExploitationRecord.objects.filter(citizenship="XK").exists() or \
        ExploitationRecord.objects.filter(country_of_exploitation="XK").exists()
    means = header.index("meansOfControlConcatenated")
    assert any(";" in row[means] for row in data)


def test_synthetic_export_layout(demo, tmp_path):
    out_file = tmp_path / "s.csv"
    run("export", "--layout", "synthetic", "--out", str(out_file))
    rows = list(csv.DictReader(out_file.open(newline="")))
    assert list(rows[0]) == ctdc.SYNTHETIC_COLUMNS and len(ctdc.SYNTHETIC_COLUMNS) == 27
    assert {row["isSexualExploit"] for row in rows} == {"1", ""}
    assert {len(row["citizenship"]) for row in rows} == {3}
    assert "XKX" not in {row["citizenship"] for row in rows}
    assert {row["gender"] for row in rows} <= {"Man", "Woman", "Trans/Transgender/NonConforming", ""}


def test_jurisdiction_scope(demo, tmp_path):
    out, _ = run("export", "--out", str(tmp_path / "al.csv"), "--jurisdiction", "AL")
    al = exported().count()
    assert f"wrote {al} record(s)" in out
    assert al < ExploitationRecord.objects.filter(person__in=persons_with_consent("research")).count()
    with pytest.raises(CommandError, match="--jurisdiction: .*own jurisdiction"):
        run("export", "--out", str(tmp_path / "rs.csv"), "--jurisdiction", "RS")
    assert not (tmp_path / "rs.csv").exists()
