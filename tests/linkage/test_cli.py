"""`crossroads link` / `crossroads dedupe` on small CSV fixtures."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from crossroads.linkage.cli import dedupe_main, link_main
from tests.linkage.conftest import FIXTURES

SRC = Path(__file__).resolve().parents[2] / "src"


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_link_writes_pairs_across_scripts(tmp_path, capsys):
    out = tmp_path / "pairs.csv"
    code = link_main([str(FIXTURES / "left.csv"), str(FIXTURES / "right.csv"), "--out", str(out)])
    assert code == 0
    rows = _rows(out)
    assert list(rows[0]) == ["left_id", "right_id", "probability"]
    assert {(r["left_id"], r["right_id"]) for r in rows} == {
        ("L1", "R1"),
        ("L2", "R2"),
        ("L3", "R3"),
        ("L4", "R4"),
    }
    assert all(0.5 <= float(r["probability"]) <= 1 for r in rows)


def test_threshold_filters_pairs(tmp_path):
    out = tmp_path / "pairs.csv"
    args = [str(FIXTURES / "dedupe.csv"), "--out", str(out), "--quiet"]
    assert dedupe_main([*args, "--threshold", "0"]) == 0
    everything = {(r["left_id"], r["right_id"]): float(r["probability"]) for r in _rows(out)}
    assert dedupe_main([*args, "--threshold", "0.9"]) == 0
    strong = {(r["left_id"], r["right_id"]) for r in _rows(out)}
    assert strong == {pair for pair, p in everything.items() if p >= 0.9}
    assert len(strong) < len(everything)


def test_dedupe_writes_clusters(tmp_path):
    out, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    code = dedupe_main([str(FIXTURES / "dedupe.csv"), "--out", str(out), "--clusters", str(clusters)])
    assert code == 0
    cluster_of = {r["id"]: r["cluster_id"] for r in _rows(clusters)}
    assert cluster_of == {"A": "A", "B": "A", "C": "A", "D": "D", "E": "E", "F": "E", "G": "G"}


def test_bad_rows_are_reported_with_line_numbers_and_skipped(tmp_path, capsys):
    out = tmp_path / "pairs.csv"
    assert dedupe_main([str(FIXTURES / "bad_rows.csv"), "--out", str(out)]) == 0
    errors = capsys.readouterr().err
    assert "bad_rows.csv: line 3: birth_date: '12.04.1990' is not YYYY-MM-DD" in errors
    assert "line 4: sex: 'X' is not M, F or empty" in errors
    assert "line 5: birth_date: '1990-02-30' is not a calendar date" in errors
    assert "line 6: id: 'A' already used at line 2" in errors
    assert "4 bad row(s) skipped" in errors
    assert out.exists()


def test_reject_writes_nothing_and_exits_2(tmp_path, capsys):
    out = tmp_path / "pairs.csv"
    args = [str(FIXTURES / "bad_rows.csv"), "--out", str(out), "--on-bad-row", "reject"]
    assert dedupe_main(args) == 2
    errors = capsys.readouterr().err
    assert errors.count("bad_rows.csv: line") == 4
    assert "nothing written" in errors
    assert not out.exists()


def test_missing_header_column_is_an_input_error(tmp_path, capsys):
    out = tmp_path / "pairs.csv"
    assert dedupe_main([str(FIXTURES / "missing_column.csv"), "--out", str(out)]) == 2
    assert "line 1: header lacks column(s) father_name" in capsys.readouterr().err


def test_missing_file_is_an_input_error(tmp_path, capsys):
    code = link_main(
        [str(tmp_path / "nope.csv"), str(FIXTURES / "right.csv"), "--out", str(tmp_path / "p.csv")]
    )
    assert code == 2
    assert "nope.csv" in capsys.readouterr().err


@pytest.mark.parametrize("threshold", ["1.5", "-0.1", "half"])
def test_threshold_outside_zero_one_is_a_usage_error(tmp_path, threshold):
    with pytest.raises(SystemExit) as caught:
        dedupe_main(
            [str(FIXTURES / "dedupe.csv"), "--out", str(tmp_path / "p.csv"), "--threshold", threshold]
        )
    assert caught.value.code == 2


def test_model_can_be_saved_and_reused(tmp_path):
    saved, out = tmp_path / "model.json", tmp_path / "pairs.csv"
    args = [str(FIXTURES / "dedupe.csv"), "--out", str(out), "--quiet"]
    assert dedupe_main([*args, "--save-model", str(saved)]) == 0
    first = _rows(out)
    assert dedupe_main([*args, "--model", str(saved)]) == 0
    assert _rows(out) == first


def test_runs_as_a_module(tmp_path):
    out = tmp_path / "pairs.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crossroads.linkage.cli",
            "link",
            str(FIXTURES / "left.csv"),
            str(FIXTURES / "right.csv"),
            "--out",
            str(out),
            "--threshold",
            "0.9",
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(_rows(out)) == 4


def test_cli_does_not_import_django():
    code = "import sys, crossroads.linkage.cli; assert 'django' not in sys.modules"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SRC)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_link_is_one_to_one_by_default_and_on_request_not(tmp_path):
    header = "id,given_name,family_name,father_name,sex,birth_date,birth_place,citizenship,document_number\n"
    person = "Marko,Petrović,Jovan,M,1984-03-02,Niš,RS,"
    left, right = tmp_path / "left.csv", tmp_path / "right.csv"
    left.write_text(f"{header}L1,{person}\n", encoding="utf-8")
    right.write_text(f"{header}R1,{person}\nR2,Марко,Петровић,Јован,M,1984-03-02,,RS,\n", encoding="utf-8")
    out = tmp_path / "pairs.csv"
    assert link_main([str(left), str(right), "--out", str(out), "--quiet"]) == 0
    assert [(r["left_id"], r["right_id"]) for r in _rows(out)] == [("L1", "R1")]
    assert link_main([str(left), str(right), "--out", str(out), "--quiet", "--no-one-to-one"]) == 0
    assert {r["right_id"] for r in _rows(out)} == {"R1", "R2"}
