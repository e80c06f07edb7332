"""The node's fast scorer agrees with Splink's own scoring of the same pairs."""

import logging

import pytest
from splink import DuckDBAPI, Linker

from crossroads.linkage.comparisons import for_prediction
from crossroads.linkage.database import connect, feature_table
from crossroads.linkage.records import to_features
from crossroads.linkage.scoring import CandidateScorer
from tests.linkage.conftest import synthetic_records


@pytest.fixture(scope="module")
def records():
    return synthetic_records(people=15, seed=11)[0]


def test_fast_scores_equal_splink_scores(model, records):
    scorer = CandidateScorer(model)
    new, others = records[0], records[1:]
    fast = {c.other_id: c.match_weight for c in scorer.score(new, others)}

    db_api = DuckDBAPI(connect())
    table = db_api.register(feature_table([]), table_name="records")
    linker = Linker(table, for_prediction(model.for_run("dedupe_only")), log_level=logging.ERROR)
    pairs = scorer.pairs_table(to_features(new), [to_features(o) for o in others]).to_pylist()
    left = [{k[:-2]: v for k, v in pair.items() if k.endswith("_l")} for pair in pairs]
    right = [{k[:-2]: v for k, v in pair.items() if k.endswith("_r")} for pair in pairs]
    scored = linker.inference.score_pairs(left[:1], right).as_record_list()
    splink_weights = {row["unique_id_r"]: row["match_weight"] for row in scored}
    assert fast.keys() == splink_weights.keys()
    for other_id, weight in fast.items():
        assert weight == pytest.approx(splink_weights[other_id], abs=1e-6), other_id
