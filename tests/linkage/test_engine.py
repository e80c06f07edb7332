"""Scoring, linking and deduplication with the shipped model, and EM training."""

import pytest

from crossroads.linkage.database import feature_table
from crossroads.linkage.engine import (
    InvalidRecords,
    dedupe_records,
    link_records,
    score_candidates,
)
from crossroads.linkage.model import LinkageModel, default_model, train
from crossroads.linkage.records import to_features
from tests.linkage.conftest import synthetic_records

NEW = {
    "id": "new",
    "given_name": "Агрон",
    "family_name": "Краснићи",
    "father_name": "Ахмет",
    "sex": "M",
    "birth_date": "1990",
    "birth_place": "Приштина",
    "citizenship": "Косово",
    "document_number": "",
}
SAME = {
    **NEW,
    "id": "same",
    "given_name": "Agroni",
    "family_name": "Krasniqi",
    "father_name": "Ahmet",
    "birth_date": "1990-04-12",
    "birth_place": "Prishtinë",
}
TWIN = {**SAME, "id": "twin", "given_name": "Arben"}
SISTER = {**SAME, "id": "sister", "given_name": "Drita", "sex": "F", "birth_date": "1994-01-02"}
STRANGER = {
    **SAME,
    "id": "stranger",
    "given_name": "Milica",
    "family_name": "Jovanović",
    "father_name": "Dragan",
    "sex": "F",
    "birth_place": "Niš",
    "birth_date": "1995",
}


def test_the_person_outranks_twin_sister_and_stranger(model):
    candidates = score_candidates(NEW, [TWIN, STRANGER, SAME, SISTER], model)
    assert [c.other_id for c in candidates][0] == "same"
    by_id = {c.other_id: c for c in candidates}
    assert by_id["same"].probability > 0.95
    assert by_id["twin"].probability < 0.5
    assert by_id["sister"].probability < 0.05
    assert by_id["stranger"].probability < 0.01


def test_candidates_are_explained_per_field(model):
    (candidate,) = score_candidates(NEW, [SAME], model)
    reasons = " / ".join(candidate.reasons)
    assert "given name: same" in reasons
    assert "family name: same" in reasons
    assert "date of birth at its recorded precision: agree at the coarser precision" in reasons
    assert candidate.match_weight > 0


def test_swapped_names_are_recognised(model):
    swapped = {**SAME, "id": "swapped", "given_name": "Krasniqi", "family_name": "Agron"}
    (candidate,) = score_candidates(NEW, [swapped], model)
    assert candidate.probability > 0.9
    assert any("swapped" in reason for reason in candidate.reasons)


def test_invalid_existing_records_are_skipped(model):
    broken = {**SAME, "id": "broken", "sex": "?"}
    assert [c.other_id for c in score_candidates(NEW, [broken, SAME], model)] == ["same"]


def test_dedupe_pairs_and_clusters(model):
    pairs, clusters = dedupe_records([NEW, SAME, TWIN, STRANGER], model, threshold=0.5)
    assert {(p.left_id, p.right_id) for p in pairs} in ({("new", "same")}, {("same", "new")})
    assert clusters == {"new": "new", "same": "new", "twin": "twin", "stranger": "stranger"}


def test_link_keeps_sides_apart(model):
    pairs = link_records([SAME, STRANGER], [TWIN, NEW], model, threshold=0.5)
    assert [(p.left_id, p.right_id) for p in pairs] == [("same", "new")]


def test_invalid_records_are_reported_all_at_once(model):
    with pytest.raises(InvalidRecords) as caught:
        dedupe_records([NEW, {**SAME, "sex": "?"}, {**TWIN, "birth_date": "x"}], model)
    assert [(e.position, e.field) for e in caught.value.errors] == [(2, "sex"), (3, "birth_date")]


def test_model_round_trips_through_json(model):
    again = LinkageModel.from_json(model.to_json())
    assert again == model
    assert default_model() == model


@pytest.fixture(scope="module")
def trained():
    records, truth = synthetic_records(people=400, seed=5)
    model = train(feature_table(to_features(r) for r in records), u_sample_pairs=1e5)
    return model, records, truth


def test_em_training_learns_a_model_that_links(trained):
    model, records, truth = trained
    comparisons = {c["output_column_name"]: c for c in model.settings["comparisons"]}
    given_same = comparisons["given"]["comparison_levels"][1]
    assert given_same["m_probability"] > 0.5 > given_same["u_probability"]
    pairs, _ = dedupe_records(records, model, threshold=0.5)
    found = {tuple(sorted((p.left_id, p.right_id))) for p in pairs}
    recall = len(found & truth) / len(truth)
    precision = len(found & truth) / len(found)
    assert recall > 0.9 and precision > 0.9, (precision, recall)
    assert model.name_frequencies["family"]


def test_prior_falls_as_the_input_grows(model):
    trained = model.settings["probability_two_random_records_match"]

    def prior(*sizes):
        run = model.for_run("dedupe_only" if len(sizes) == 1 else "link_only", sizes=sizes)
        return run["probability_two_random_records_match"]

    assert prior(10) == trained
    assert prior(1_000_001) == pytest.approx(prior(100_001) / 10)
    assert prior(1_000_000, 1_000_000) < trained
