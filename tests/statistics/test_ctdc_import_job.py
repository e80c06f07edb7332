"""Issue 23, defect 5: the CTDC import runs as a background job in short transactions,
idempotent by source id (the file's SHA-256 and the line), exits non-zero on rejected rows
(tests/statistics/test_ctdc.py) and names the file and line of an encoding error."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from crossroads.jobs.models import Job
from crossroads.statistics import tasks
from crossroads.statistics.models import CtdcImport, CtdcRecord
from tests.statistics.test_ctdc import FIXTURES, coordinator, run  # noqa: F401 (fixture)

SAMPLE = FIXTURES / "ctdc_global_kanon_head.csv"


def test_a_second_import_of_the_same_file_changes_nothing_and_says_so(coordinator):  # noqa: F811
    run("import", str(SAMPLE))
    out, _err = run("import", str(SAMPLE))
    assert "0 row(s) imported" in out
    assert "9 row(s) already imported from this file" in out and "nothing changed" in out
    assert CtdcRecord.objects.count() == 9
    assert list(CtdcImport.objects.values_list("imported", "already").order_by("pk")) == [
        (9, 0), (0, 9)]


def test_an_import_cut_short_keeps_its_batches_and_resumes_without_duplicates(
        coordinator, monkeypatch):  # noqa: F811
    monkeypatch.setattr(tasks, "IMPORT_BATCH", 2)
    monkeypatch.setattr(tasks.run_ctdc_import, "__defaults__", (2,))
    stored = tasks._store
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk went away")
        stored(*args)

    monkeypatch.setattr(tasks, "_store", failing)
    with pytest.raises(CommandError, match="the disk went away"):
        run("import", str(SAMPLE))
    assert CtdcRecord.objects.count() == 4  # two batches committed, each on its own
    monkeypatch.setattr(tasks, "_store", stored)
    out, _err = run("import", str(SAMPLE))
    assert "5 row(s) imported" in out and "4 row(s) already imported" in out
    assert CtdcRecord.objects.count() == 9
    assert sorted(CtdcRecord.objects.values_list("line", flat=True)) == list(range(2, 11))


def test_queue_leaves_the_import_to_the_task_runner(coordinator):  # noqa: F811
    out, _err = run("import", str(SAMPLE), "--queue")
    assert "queued" in out and not CtdcRecord.objects.exists()
    job = Job.objects.get(kind="ctdc_import")
    assert job.status == "queued"
    call_command("tasks", "work", "--once", stdout=io.StringIO())
    job.refresh_from_db()
    assert job.status == "done" and "9 row(s) imported" in job.message
    assert CtdcRecord.objects.count() == 9


@pytest.mark.parametrize("bad, said", [(b"\xe9", "not UTF-8 text"), (b"\x00", "a NUL byte")])
def test_a_bad_byte_names_the_file_and_line(coordinator, tmp_path, bad, said):  # noqa: F811
    lines = SAMPLE.read_bytes().split(b"\n")
    lines[8] = lines[8].replace(b"Case Management", b"Case " + bad + b"Management", 1)
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(CommandError, match=f"{path}: line 9: {said}"):
        run("import", str(path))
    assert not CtdcRecord.objects.exists() and not Job.objects.exists()  # checked before


def test_a_file_that_is_not_ctdc_is_refused_before_queueing(coordinator, tmp_path):  # noqa: F811
    path = Path(tmp_path / "other.csv")
    path.write_text("name,surname\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not a CTDC file"):
        run("import", str(path))
    assert not Job.objects.exists()
