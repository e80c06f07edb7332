"""The columnar CSV path gives the same features as the record-by-record path."""

import csv

import pytest

from crossroads.linkage.columnar import read_feature_table
from crossroads.linkage.database import feature_table
from crossroads.linkage.records import RecordError, features_with_errors
from tests.linkage.conftest import FIXTURES


@pytest.mark.parametrize("name", ["left.csv", "right.csv", "dedupe.csv", "bad_rows.csv"])
def test_columnar_features_equal_record_features(name):
    path = FIXTURES / name
    table, errors = read_feature_table(path)
    with open(path, newline="", encoding="utf-8") as handle:
        records = [{**row, "_line": number} for number, row in enumerate(csv.DictReader(handle), 2)]
    items = list(features_with_errors(records))
    expected_rows = [item for item in items if not isinstance(item, RecordError)]
    assert table.to_pylist() == feature_table(expected_rows).to_pylist()
    assert errors == [item for item in items if isinstance(item, RecordError)]


def test_quoted_newlines_keep_line_numbers_true(tmp_path):
    path = tmp_path / "multiline.csv"
    path.write_text(
        "id,given_name,family_name,father_name,sex,birth_date,birth_place,citizenship,"
        'document_number\n1,"Ana\nMarija",Petrović,,F,1990,,,\n2,Ana,Petrović,,Q,1990,,,\n',
        encoding="utf-8",
    )
    table, errors = read_feature_table(path)
    assert table.num_rows == 1
    assert [(e.position, e.field) for e in errors] == [(4, "sex")]
