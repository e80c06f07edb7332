"""Scoring, deduplication and linkage of person records with a trained model.

Entry points for the node and the CLI; they take raw record dicts (see `records`) and
never import Django.

- `score_candidates(new_record, existing, model)`: one new record against the
  candidates the node found by `blocking_keys`; explained per comparison.
- `dedupe_records(records, model, threshold)`: pairs and clusters within one set;
  clusters never join records that contradict (`clusters`).
- `link_records(left, right, model, threshold)`: pairs across two sets, one-to-one by
  default (`assignment`).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa
from splink import Linker

from crossroads.linkage.assignment import one_to_one as assign_one_to_one
from crossroads.linkage.backends import Backend
from crossroads.linkage.blocking import BlockingPlan, blocking_keys, plan
from crossroads.linkage.clusters import Traits, consistent_clusters
from crossroads.linkage.comparisons import for_prediction
from crossroads.linkage.database import feature_table
from crossroads.linkage.model import LinkageModel, adapt_to_input
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


def _new_linker(engine: Backend, tables: dict[str, pa.Table], settings: dict, adapt: bool) -> Linker:
    """A linker over `tables`; with `adapt`, the model adapted to the input (its u and
    prior, and on mid-sized inputs its m refined by EM; `model.adapt_to_input`), for a
    model not trained on this input."""
    registered = [engine.register(table, name) for name, table in tables.items()]
    if adapt:
        linker = Linker(registered, settings, log_level=logging.ERROR)
        settings = adapt_to_input(linker, registered, list(tables.values())) or settings
    return Linker(registered, for_prediction(settings), log_level=logging.ERROR)


def _predicted_pairs(engine: Backend, linker: Linker, threshold: float, left_source: str | None) -> list:
    predictions = linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")
    has_source = left_source is not None
    columns = ["unique_id_l", "unique_id_r", "match_probability"]
    if has_source:
        columns.append("source_dataset_l")
    rows = engine.rows(predictions, columns)
    predictions.drop_table_from_database_and_remove_from_cache()
    pairs = []
    for row in rows:
        left_id, right_id, probability = row[0], row[1], float(row[2])
        if has_source and row[3] != left_source:
            left_id, right_id = right_id, left_id
        pairs.append(ScoredPair(left_id, right_id, probability))
    pairs.sort(key=lambda pair: (pair.left_id, pair.right_id))
    return pairs


def link_tables(
    left: pa.Table,
    right: pa.Table,
    model: LinkageModel,
    threshold: float,
    one_to_one: bool = True,
    blocking: BlockingPlan | None = None,
    adapt: bool = True,
    backend: str = "duckdb",
) -> list[ScoredPair]:
    """Pairs (left, right) at or above `threshold` from feature tables; with
    `one_to_one`, each record in at most one pair (see `assignment`). `backend` is
    the SQL engine (see `backends`)."""
    blocking = blocking or plan([left, right])
    sizes = (left.num_rows, right.num_rows)
    engine = Backend(backend)
    try:
        settings = model.for_run("link_only", blocking.splink_rules(engine.dialect), sizes, engine.dialect)
        capped_left, capped_right = blocking.tables
        tables = {"left_records": capped_left, "right_records": capped_right}
        linker = _new_linker(engine, tables, settings, adapt)
        pairs = _predicted_pairs(engine, linker, threshold, left_source="left_records")
    finally:
        engine.close()
    return assign_one_to_one(pairs) if one_to_one else pairs


def dedupe_table(
    table: pa.Table,
    model: LinkageModel,
    threshold: float,
    one_to_one: bool = False,
    blocking: BlockingPlan | None = None,
    adapt: bool = True,
    backend: str = "duckdb",
) -> tuple[list[ScoredPair], dict[str, str]]:
    """Pairs at or above `threshold` and a cluster id per record id. With
    `one_to_one`, a record is paired with at most one other (rarely wanted: a register
    may hold a person three times)."""
    blocking = blocking or plan([table])
    engine = Backend(backend)
    try:
        settings = model.for_run(
            "dedupe_only", blocking.splink_rules(engine.dialect), (table.num_rows,), engine.dialect
        )
        linker = _new_linker(engine, {"records": blocking.tables[0]}, settings, adapt)
        pairs = _predicted_pairs(engine, linker, threshold, left_source=None)
    finally:
        engine.close()
    if one_to_one:
        pairs = assign_one_to_one(pairs)
    clusters = consistent_clusters(
        table.column("unique_id").to_pylist(),
        ((p.left_id, p.right_id, p.probability) for p in pairs),
        _traits(table, {record_id for p in pairs for record_id in (p.left_id, p.right_id)}),
    )
    return pairs, clusters


def _traits(table: pa.Table, wanted: set[str]) -> dict[str, Traits]:
    """Sex and precise birth date of the records in `wanted` (those in some pair)."""
    ids = table.column("unique_id").to_pylist()
    rows = [index for index, record_id in enumerate(ids) if record_id in wanted]
    subset = table.select(["unique_id", "sex", "birth_date"]).take(pa.array(rows, pa.int64())).to_pylist()
    return {row["unique_id"]: Traits(row["sex"], row["birth_date"]) for row in subset}


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
