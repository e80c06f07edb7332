"""Disagreement that counts, one-to-one links, consistent clusters, capped blocking."""

import logging

from crossroads.linkage.assignment import one_to_one
from crossroads.linkage.blocking import TIGHT_RULES, plan
from crossroads.linkage.clusters import Traits, consistent_clusters
from crossroads.linkage.database import feature_table
from crossroads.linkage.engine import ScoredPair, dedupe_records, link_records, score_candidates
from crossroads.linkage.model import train
from crossroads.linkage.records import to_features
from tests.linkage.conftest import synthetic_records

PERSON = {
    "id": "p",
    "given_name": "Marko",
    "family_name": "Petrović",
    "father_name": "Jovan",
    "sex": "M",
    "birth_date": "1984-03-02",
    "birth_place": "Niš",
    "citizenship": "RS",
    "document_number": "",
}


def _probability(model, left, right) -> float:
    return score_candidates(left, [right], model)[0].probability


def test_a_namesake_born_years_apart_of_another_father_is_not_a_match(model):
    cousin = {**PERSON, "id": "cousin", "father_name": "Petar", "birth_date": "1961-10-20"}
    assert _probability(model, PERSON, cousin) < 0.01


def test_a_brother_recorded_with_names_swapped_is_not_a_match(model):
    # Same family, father and place; the record puts the family name first.
    brother = {**PERSON, "id": "brother", "given_name": "Petrović", "family_name": "Mirko"}
    brother["birth_date"] = "1990-07-14"
    assert _probability(model, PERSON, brother) < 0.05
    same_swapped = {**PERSON, "id": "again", "given_name": "Petrović", "family_name": "Marko"}
    assert _probability(model, PERSON, same_swapped) > 0.95


def test_a_shared_given_name_and_place_do_not_make_strangers_one_person(model):
    # The place's "same" level holds only where given names agree; weighed as trained
    # it would count the given name twice (for_prediction undoes that).
    stranger = {**PERSON, "id": "stranger", "family_name": "Babić", "father_name": "", "birth_date": ""}
    assert _probability(model, PERSON, stranger) < 0.5


def test_a_one_digit_error_in_the_year_is_not_a_contradiction(model):
    typo = {**PERSON, "id": "typo", "birth_date": "1994-03-02"}
    assert _probability(model, PERSON, typo) > 0.9


def test_an_estimated_age_is_never_a_precise_contradiction(model):
    estimated = {**PERSON, "id": "estimated", "birth_date": "1981"}
    far = {**PERSON, "id": "far", "birth_date": "1961-10-20"}
    assert _probability(model, PERSON, estimated) > _probability(model, PERSON, far)


def _pair(left: str, right: str, probability: float) -> ScoredPair:
    return ScoredPair(left, right, probability)


def test_one_to_one_keeps_the_strongest_pair_of_each_record():
    pairs = [_pair("L1", "R1", 0.9), _pair("L1", "R2", 0.95), _pair("L2", "R2", 0.8), _pair("L2", "R3", 0.6)]
    assert [(p.left_id, p.right_id) for p in one_to_one(pairs)] == [("L1", "R2"), ("L2", "R3")]


def test_one_to_one_above_a_threshold_does_not_depend_on_lower_pairs():
    pairs = [_pair("L1", "R1", 0.9), _pair("L2", "R1", 0.7), _pair("L2", "R2", 0.4), _pair("L3", "R2", 0.3)]
    high = {(p.left_id, p.right_id) for p in one_to_one(p for p in pairs if p.probability >= 0.5)}
    everything = {(p.left_id, p.right_id) for p in one_to_one(pairs) if p.probability >= 0.5}
    assert high == everything == {("L1", "R1")}


def test_link_is_one_to_one_unless_asked_otherwise(model):
    recorded_twice = {**PERSON, "id": "r2", "birth_place": ""}
    left, right = [PERSON], [{**PERSON, "id": "r1"}, recorded_twice]
    assert [(p.left_id, p.right_id) for p in link_records(left, right, model)] == [("p", "r1")]
    from crossroads.linkage.engine import link_tables

    tables = [feature_table(to_features(r) for r in side) for side in (left, right)]
    both = link_tables(*tables, model, 0.5, one_to_one=False)
    assert {p.right_id for p in both} == {"r1", "r2"}


def test_clusters_never_join_records_that_contradict():
    traits = {
        "a": Traits("M", "1984-03-02"),
        "b": Traits(None, None),  # a record that matches both, knowing neither sex nor date
        "c": Traits("M", "1961-10-20"),
        "d": Traits("F", None),
    }
    pairs = [("a", "b", 0.99), ("b", "c", 0.98), ("b", "d", 0.97), ("a", "e", 0.6)]
    clusters = consistent_clusters(["a", "b", "c", "d", "e"], pairs, traits)
    assert clusters == {"a": "a", "b": "a", "c": "c", "d": "d", "e": "a"}


def test_a_typo_in_the_date_does_not_split_a_cluster():
    traits = {"a": Traits("M", "1984-03-02"), "b": Traits("M", "1948-03-02")}
    assert consistent_clusters(["a", "b"], [("a", "b", 0.9)], traits) == {"a": "a", "b": "a"}


def test_low_diversity_input_is_blocked_within_the_budget(model):
    # 400 records of one name, date and place: 79,800 pairs under every rule.
    records = [{**PERSON, "id": f"r{i}", "father_name": ""} for i in range(400)]
    table = feature_table(to_features(r) for r in records)
    capped = plan([table], budget=50_000)
    assert capped.rules == TIGHT_RULES and capped.cap is not None
    assert capped.pairs <= 50_000
    assert plan([table]).cap is None  # the default budget holds them all
    pairs, clusters = dedupe_records(records[:60], model)
    assert len(pairs) == 60 * 59 // 2 and len(set(clusters.values())) == 1


def test_training_without_documents_skips_their_block_quietly(caplog):
    records, _ = synthetic_records(people=150, seed=9)
    rows = [to_features({**r, "document_number": ""}) for r in records]
    with caplog.at_level(logging.WARNING):
        train(feature_table(rows), u_sample_pairs=2e4)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
