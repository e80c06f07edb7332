"""Issue 23, defect 6: the statistics CSVs (dashboard downloads, CTDC exports, release files)
write every cell through `spreadsheet_safe`: a label that would start a formula is text."""

import csv
import io

from crossroads.statistics.aggregates import build_table


def test_dashboard_csv_neutralises_a_formula_label(settings):
    table = build_table("t", "T", "=HYPERLINK(\"http://x\")",
                        [("a", "@SUM(A1)"), ("b", "Tirana")],
                        [(2020, "2020"), (2021, "+cmd|' /C calc'!A0")],
                        {("a", 2020): 30, ("b", 2021): 40, ("a", 2021): 20, ("b", 2020): 10})
    out = io.StringIO()
    table.write_csv(out)
    cells = [cell for row in csv.reader(io.StringIO(out.getvalue())) for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'@SUM(A1)" in cells
    assert "'+cmd|' /C calc'!A0" in cells and "Tirana" in cells and "30" in cells
