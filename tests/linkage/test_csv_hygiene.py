"""Issue 23, defect 6 (bad input, file parts): formula cells and NUL bytes never reach an output
CSV; a header-only file, a file that is not UTF-8 and a NUL byte are input errors that name
the file and line (exit 2), not a ZeroDivisionError or a bare UnicodeDecodeError."""

import csv
import io

import pytest

from crossroads.linkage.cli import dedupe_main, link_main
from crossroads.text import SafeCsvWriter, spreadsheet_safe
from tests.linkage.conftest import FIXTURES

HEADER = "id,given_name,family_name,father_name,sex,birth_date,birth_place,citizenship,document_number\n"
ROW = "{id},Agron,Krasniqi,Ahmet,M,1990-04-12,Prishtinë,XK,\n"


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0",
                                  "@SUM(1+1)", "-2+3", "\t=1", "\r=1", " =1", "\uff1d1+1"])
def test_formula_cells_are_neutralised(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-99", "+3.5", "12", "A1", "Krasniqi", "", "0--8", 7, None])
def test_plain_values_and_numbers_pass(cell):
    assert spreadsheet_safe(cell) == ("" if cell is None else cell)


def test_nul_bytes_are_removed_from_cells():
    out = io.StringIO()
    SafeCsvWriter(out).writerow(["a\0b", "=\0x"])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["ab", "'=x"]


def test_dedupe_output_neutralises_formula_ids(tmp_path):
    source = tmp_path / "records.csv"
    source.write_text(HEADER + ROW.format(id="=HYPERLINK(\"http://evil\")")
                      + ROW.format(id="@SUM(A1)"), encoding="utf-8")
    out, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    assert dedupe_main([str(source), "--out", str(out), "--clusters", str(clusters),
                        "--quiet"]) == 0
    cells = [c for path in (out, clusters)
             for row in csv.reader(path.open(encoding="utf-8")) for c in row]
    assert "'=HYPERLINK(\"http://evil\")" in cells and "'@SUM(A1)" in cells
    assert not any(c[:1] in "=+@" for c in cells)


def test_link_on_a_header_only_file_says_so_and_exits_2(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER, encoding="utf-8")
    out = tmp_path / "pairs.csv"
    assert link_main([str(empty), str(FIXTURES / "right.csv"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{empty}: no record to link (the file has a header only)" in err
    assert "ZeroDivision" not in err and not out.exists()


def test_a_file_that_is_not_utf8_names_the_file_and_line(tmp_path, capsys):
    latin = tmp_path / "latin1.csv"
    latin.write_bytes((HEADER + ROW.format(id="A") + ROW.format(id="B")).encode("latin-1"))
    assert dedupe_main([str(latin), "--out", str(tmp_path / "p.csv")]) == 2
    err = capsys.readouterr().err
    assert f"{latin}: line 2: not UTF-8 text" in err


def test_a_nul_byte_names_the_file_and_line(tmp_path, capsys):
    source = tmp_path / "nul.csv"
    source.write_text(HEADER + ROW.format(id="A") + ROW.format(id="B\0"), encoding="utf-8")
    assert dedupe_main([str(source), "--out", str(tmp_path / "p.csv")]) == 2
    assert f"{source}: line 3: a NUL byte" in capsys.readouterr().err
