"""The comparisons in each SQL dialect, and `--backend spark` against DuckDB.

The Spark tests need the optional `[spark]` extra (pyspark) and a Java runtime; they
are skipped, saying which is missing, where either is absent (the default test
install has neither, to keep CI's install and run short).
"""

import csv
import json
import shutil
import sys
import tempfile

import pytest

from crossroads.linkage.cli import link_main
from crossroads.linkage.comparisons import ModelMismatch, comparisons, for_dialect
from crossroads.linkage.database import feature_table
from crossroads.linkage.engine import dedupe_table
from crossroads.linkage.model import LinkageModel
from crossroads.linkage.records import to_features
from tests.linkage.conftest import FIXTURES, synthetic_records


def _conditions(dialect: str) -> list[str]:
    return [level["sql_condition"] for c in comparisons(dialect) for level in c["comparison_levels"]]


def test_each_dialect_gets_its_own_quoting_and_functions():
    duckdb, spark = _conditions("duckdb"), _conditions("spark")
    assert len(duckdb) == len(spark)
    assert any('jaro_winkler_similarity("given_spelling_l"' in sql for sql in duckdb)
    assert any("jaro_winkler(`given_spelling_l`" in sql for sql in spark)
    assert any("arrays_overlap(`address_tokens_l`" in sql for sql in spark)
    # Spark reads a double-quoted name as a string literal: none may be left.
    assert not any('"' in sql for sql in spark)


def test_a_stored_model_runs_in_another_dialect_with_its_parameters(model):
    spark = for_dialect(model.settings, "spark")
    for stored, moved in zip(model.settings["comparisons"], spark["comparisons"], strict=True):
        for before, after in zip(stored["comparison_levels"], moved["comparison_levels"], strict=True):
            assert after.get("m_probability") == before.get("m_probability")
            assert after.get("u_probability") == before.get("u_probability")
    assert spark["comparisons"][0]["comparison_levels"][1]["sql_condition"] == "`given_l` = `given_r`"


def test_a_model_with_other_levels_is_refused(model):
    settings = json.loads(json.dumps(model.settings))
    settings["comparisons"][2]["comparison_levels"].pop(3)
    with pytest.raises(ModelMismatch, match="father"):
        LinkageModel(settings).for_run("dedupe_only")


def test_spark_backend_without_pyspark_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    out = tmp_path / "pairs.csv"
    args = [str(FIXTURES / "left.csv"), str(FIXTURES / "right.csv"), "--out", str(out), "--quiet"]
    assert link_main([*args, "--backend", "spark"]) == 1
    assert "pip install 'crossroads[spark]'" in capsys.readouterr().err
    assert not out.exists()


def test_an_unknown_backend_is_a_usage_error(capsys):
    inputs = [str(FIXTURES / "left.csv"), str(FIXTURES / "right.csv")]
    with pytest.raises(SystemExit) as finished:
        link_main([*inputs, "--out", "x", "--backend", "sqlite"])
    assert finished.value.code == 2
    assert "invalid choice: 'sqlite'" in capsys.readouterr().err


def _spark_or_skip() -> None:
    pytest.importorskip("pyspark", reason="the spark backend needs the [spark] extra (pyspark)")
    if shutil.which("java") is None:
        pytest.skip("the spark backend needs a Java runtime")


def _pairs(path) -> dict[tuple[str, str], float]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {(r["left_id"], r["right_id"]): float(r["probability"]) for r in csv.DictReader(handle)}


def test_link_on_spark_writes_the_pairs_duckdb_writes(tmp_path, monkeypatch):
    _spark_or_skip()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    inputs = [str(FIXTURES / "left.csv"), str(FIXTURES / "right.csv"), "--threshold", "0", "--quiet"]
    assert link_main([*inputs, "--out", str(tmp_path / "duckdb.csv")]) == 0
    assert link_main([*inputs, "--out", str(tmp_path / "spark.csv"), "--backend", "spark"]) == 0
    on_duckdb, on_spark = _pairs(tmp_path / "duckdb.csv"), _pairs(tmp_path / "spark.csv")
    assert on_spark.keys() == on_duckdb.keys() and len(on_spark) == 4
    for pair, probability in on_duckdb.items():
        assert on_spark[pair] == pytest.approx(probability, abs=1e-6)
    # The records went to Spark through a private directory that is gone afterwards.
    assert not list(tmp_path.glob("crossroads-spark-*"))


def test_dedupe_on_spark_with_input_estimated_u_agrees_with_duckdb(model):
    """1,200 records: enough for the run to re-estimate u and the prior on its input,
    by random sampling that differs between the engines, hence the tolerance."""
    _spark_or_skip()
    records, truth = synthetic_records(people=600, seed=11)
    table = feature_table(to_features(record) for record in records)
    found = {}
    for backend in ("duckdb", "spark"):
        pairs, _ = dedupe_table(table, model, threshold=0.5, backend=backend)
        found[backend] = {tuple(sorted((p.left_id, p.right_id))): p.probability for p in pairs}
    both = found["duckdb"].keys() & found["spark"].keys()
    differ = found["duckdb"].keys() ^ found["spark"].keys()
    assert len(both) > 0.9 * len(truth)
    assert len(differ) <= 0.01 * len(both), sorted(differ)
    assert max(abs(found["duckdb"][pair] - found["spark"][pair]) for pair in both) < 0.05
