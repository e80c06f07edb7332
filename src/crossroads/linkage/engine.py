"""Scoring, deduplication and linkage of person records with a trained model.

Entry points for the node and the CLI; they take raw record dicts (see `records`) and
never import Django.

- `score_candidates(new_record, existing, model)`: one new record against the
  candidates the node found by `blocking_keys`; explained per comparison.
- `dedupe_records(records, model, threshold)`: pairs and clusters within one set.
- `link_records(left, right, model, threshold)`: pairs across two sets.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
from splink import DuckDBAPI, Linker

from crossroads.linkage.blocking import blocking_keys, choose_rules
from crossroads.linkage.clusters import connected_components
from crossroads.linkage.database import connect, feature_table
from crossroads.linkage.model import LinkageModel
from crossroads.linkage.records import RecordError, features_with_errors
from crossroads.linkage.scoring import Candidate, CandidateScorer

__all__ = [
    "Candidate",
    "ScoredPair",
    "blocking_keys",
    "dedupe_records",
    "link_records",
    "score_candidates",
]


@dataclass(frozen=True)
class ScoredPair:
    left_id: str
    right_id: str
    probability: float


class InvalidRecords(ValueError):
    """Raised when the caller asked for invalid records to be rejected."""

    def __init__(self, errors: list[RecordError]):
        super().__init__(f"{len(errors)} invalid record(s)")
        self.errors = errors


def split_valid(records: Iterable[dict]) -> tuple[list[dict], list[RecordError]]:
    rows, errors = [], []
    for item in features_with_errors(records):
        (errors if isinstance(item, RecordError) else rows).append(item)
    return rows, errors


def _new_linker(tables: dict[str, pa.Table], settings: dict) -> Linker:
    db_api = DuckDBAPI(connect())
    registered = [db_api.register(table, table_name=name) for name, table in tables.items()]
    return Linker(registered, settings, log_level=logging.ERROR)


def _predicted_pairs(linker: Linker, threshold: float, left_source: str | None) -> list:
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    has_source = left_source is not None
    columns = ["unique_id_l", "unique_id_r", "match_probability"]
    if has_source:
        columns.append("source_dataset_l")
    rows = predictions.as_duckdbpyrelation().select(*columns).fetchall()
    predictions.drop_table_from_database_and_remove_from_cache()
    pairs = []
    for row in rows:
        left_id, right_id, probability = row[0], row[1], float(row[2])
        if has_source and row[3] != left_source:
            left_id, right_id = right_id, left_id
        pairs.append(ScoredPair(left_id, right_id, probability))
    pairs.sort(key=lambda pair: (pair.left_id, pair.right_id))
    return pairs


def link_tables(left: pa.Table, right: pa.Table, model: LinkageModel, threshold: float) -> list[ScoredPair]:
    """Pairs (left, right) at or above `threshold` from feature tables."""
    sizes = (left.num_rows, right.num_rows)
    settings = model.for_run("link_only", choose_rules([left, right]), sizes)
    linker = _new_linker({"left_records": left, "right_records": right}, settings)
    return _predicted_pairs(linker, threshold, left_source="left_records")


def dedupe_table(
    table: pa.Table, model: LinkageModel, threshold: float
) -> tuple[list[ScoredPair], dict[str, str]]:
    settings = model.for_run("dedupe_only", choose_rules([table]), (table.num_rows,))
    linker = _new_linker({"records": table}, settings)
    pairs = _predicted_pairs(linker, threshold, left_source=None)
    clusters = connected_components(
        table.column("unique_id").to_pylist(), ((p.left_id, p.right_id) for p in pairs)
    )
    return pairs, clusters


def _valid_or_raise(records: Iterable[dict]) -> pa.Table:
    rows, errors = split_valid(records)
    if errors:
        raise InvalidRecords(errors)
    return feature_table(rows)


def link_records(
    left: Iterable[dict], right: Iterable[dict], model: LinkageModel, threshold: float = 0.5
) -> list[ScoredPair]:
    """Raises InvalidRecords if any record cannot be compared."""
    return link_tables(_valid_or_raise(left), _valid_or_raise(right), model, threshold)


def dedupe_records(
    records: Iterable[dict], model: LinkageModel, threshold: float = 0.5
) -> tuple[list[ScoredPair], dict[str, str]]:
    """Pairs at or above `threshold` and a cluster id per record id.

    Raises InvalidRecords if any record cannot be compared.
    """
    return dedupe_table(_valid_or_raise(records), model, threshold)


_scorers: dict[int, CandidateScorer] = {}


def score_candidates(new_record: dict, existing: Iterable[dict], model: LinkageModel) -> list[Candidate]:
    """Score `new_record` against `existing` records, strongest candidate first.

    Invalid existing records are skipped; an invalid new record raises
    `records.BadRecord`. Each candidate carries one reason per compared field, e.g.
    "family name: same (+9.8)" — the field, the level reached and its match weight.
    """
    scorer = _scorers.get(id(model))
    if scorer is None or scorer.model is not model:
        scorer = _scorers[id(model)] = CandidateScorer(model)
    return scorer.score(new_record, existing)
