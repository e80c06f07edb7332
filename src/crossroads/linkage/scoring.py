"""Scoring one new record against a few candidates, fast enough for the node.

Splink's own `score_pairs` regenerates its SQL on every call (about half a second),
which is too slow per new record. This scorer takes the comparison-level CASE
statements and match weights from Splink's settings objects once, runs only the
CASE statements in DuckDB per call, and adds the weights in Python, with Splink's
term-frequency adjustment. tests/linkage/test_scoring.py holds it equal to Splink.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa
from splink import SettingsCreator
from splink.internals.misc import prob_to_match_weight

from crossroads.linkage.comparisons import descriptions, for_prediction
from crossroads.linkage.database import FEATURE_SCHEMA
from crossroads.linkage.model import TF_COLUMNS, LinkageModel
from crossroads.linkage.records import RecordError, features_with_errors, to_features

PAIR_SCHEMA = pa.schema(
    [pa.field(f"{field.name}_{side}", field.type) for field in FEATURE_SCHEMA for side in "lr"]
    + [pa.field(f"tf_{column}_{side}", pa.float64()) for column in TF_COLUMNS for side in "lr"]
)


@dataclass(frozen=True)
class Candidate:
    other_id: str
    probability: float
    match_weight: float
    reasons: list[str]


@dataclass(frozen=True)
class _Level:
    label: str
    match_weight: float
    tf_column: str | None
    tf_weight: float
    tf_minimum: float
    log2_u_exact: float


class CandidateScorer:
    """One model's comparisons, compiled once; `score` is then a single DuckDB query."""

    def __init__(self, model: LinkageModel):
        self.model = model
        run_settings = for_prediction(model.for_run("dedupe_only"))
        settings = SettingsCreator.from_path_or_dict(run_settings).get_settings("duckdb")
        self._prior = prob_to_match_weight(settings._probability_two_random_records_match)
        self._names = [c.output_column_name for c in settings.comparisons]
        self._levels = [self._levels_of(comparison) for comparison in settings.comparisons]
        self._sql = "SELECT " + ", ".join(c._case_statement for c in settings.comparisons)
        self._sql += " FROM pairs"
        self._descriptions = descriptions()
        self._connection = duckdb.connect()

    @staticmethod
    def _levels_of(comparison) -> dict[int, _Level]:
        levels = {}
        for level in comparison.comparison_levels:
            if level.is_null_level:
                continue
            tf = level._has_tf_adjustments and not level._is_else_level
            levels[level.comparison_vector_value] = _Level(
                label=level.label_for_charts,
                match_weight=level._match_weight,
                tf_column=level._tf_adjustment_input_column_name if tf else None,
                tf_weight=level._tf_adjustment_weight,
                tf_minimum=level._tf_minimum_u_value,
                log2_u_exact=(
                    math.log2(level._u_probability_corresponding_to_exact_match(comparison.comparison_levels))
                    if tf
                    else 0.0
                ),
            )
        return levels

    def _frequency(self, column: str, key: str | None) -> float | None:
        known = self.model.name_frequencies.get(column, {})
        if not key or not known:
            return None
        return known.get(key, min(known.values()))

    def pairs_table(self, new: dict, others: list[dict]) -> pa.Table:
        columns = {}
        for field in FEATURE_SCHEMA:
            columns[f"{field.name}_l"] = [new[field.name]] * len(others)
            columns[f"{field.name}_r"] = [other[field.name] for other in others]
        for column in TF_COLUMNS:
            columns[f"tf_{column}_l"] = [self._frequency(column, new[column])] * len(others)
            columns[f"tf_{column}_r"] = [self._frequency(column, o[column]) for o in others]
        return pa.Table.from_pydict(columns, schema=PAIR_SCHEMA)

    def score(self, new_record: dict, existing: Iterable[dict]) -> list[Candidate]:
        new = to_features(new_record)
        others = [item for item in features_with_errors(existing) if not isinstance(item, RecordError)]
        if not others:
            return []
        pairs = self.pairs_table(new, others)
        self._connection.register("pairs", pairs)
        gammas = self._connection.execute(self._sql).fetchall()
        self._connection.unregister("pairs")
        tf = {column: pairs.column(f"tf_{column}_r").to_pylist() for column in TF_COLUMNS}
        tf_new = {column: self._frequency(column, new[column]) for column in TF_COLUMNS}
        candidates = []
        for index, (other, vector) in enumerate(zip(others, gammas, strict=True)):
            total, reasons = self._prior, []
            for name, levels, gamma in zip(self._names, self._levels, vector, strict=True):
                if gamma == -1:
                    continue
                level = levels[gamma]
                weight = level.match_weight
                if level.tf_column:
                    column = level.tf_column
                    weight += self._tf_adjustment(level, tf_new[column], tf[column][index])
                total += weight
                description = self._descriptions.get(name, name)
                reasons.append(f"{description}: {level.label} ({weight:+.1f})")
            candidates.append(Candidate(other["unique_id"], 1 / (1 + 2**-total), total, reasons))
        return sorted(candidates, key=lambda candidate: -candidate.match_weight)

    @staticmethod
    def _tf_adjustment(level: _Level, left: float | None, right: float | None) -> float:
        present = [value for value in (left, right) if value is not None]
        if not present:
            return 0.0
        frequency = max(*present, level.tf_minimum)
        return level.tf_weight * (level.log2_u_exact - math.log2(frequency))
