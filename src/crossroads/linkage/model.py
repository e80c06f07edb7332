"""The linkage model: Splink settings, trained parameters and name frequencies, as JSON.

A model is the Splink settings dict (comparisons, blocking rules, m and u
probabilities) plus the relative frequency of given and family name keys in the data
it was trained on. Batch runs take name frequencies from the batch itself; scoring one
new record against a handful of candidates uses the stored ones, since the candidates
(found by shared names) would make every shared name look common.
"""

import json
import logging
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyarrow as pa
from splink import DuckDBAPI, Linker

from crossroads.linkage.blocking import blocking_rule_sql
from crossroads.linkage.comparisons import comparisons
from crossroads.linkage.database import connect

DEFAULT_MODEL_FILE = "default_model.json"
TF_COLUMNS = ("given", "family")
# Deterministic rules used to estimate how many pairs match before EM starts.
_SURE_MATCH_RULES = (
    'l."name_pair" = r."name_pair" AND l."birth_date" = r."birth_date"',
    'l."document" = r."document" AND l."family" = r."family"',
)
# EM blocks. Splink trains each comparison only on blocks that do not use its columns,
# and the name comparisons use both name columns (for the swapped-order level), so
# names are trained on date-of-birth and document blocks, dates on name blocks.
_TRAINING_BLOCKS = (
    'l."birth_date" = r."birth_date"',
    'l."given" = r."given" AND l."family" = r."family"',
    'l."document" = r."document"',
)
log = logging.getLogger(__name__)


def untrained_settings(link_type: str = "dedupe_only") -> dict:
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": blocking_rule_sql(),
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": False,
        "probability_two_random_records_match": 1e-4,
    }


@dataclass
class LinkageModel:
    settings: dict
    name_frequencies: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(
            {"splink_settings": self.settings, "name_frequencies": self.name_frequencies},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> "LinkageModel":
        data = json.loads(text)
        return cls(data["splink_settings"], data.get("name_frequencies", {}))

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "LinkageModel":
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def for_link_type(self, link_type: str) -> dict:
        settings = json.loads(json.dumps(self.settings))
        settings["link_type"] = link_type
        # The same blocking rules for every run; a stored model cannot go stale here.
        settings["blocking_rules_to_generate_predictions"] = blocking_rule_sql()
        return settings


def default_model() -> LinkageModel:
    """The model shipped with the package, trained by EM on synthetic regional data."""
    text = resources.files("crossroads.linkage").joinpath("data", DEFAULT_MODEL_FILE)
    return LinkageModel.from_json(text.read_text(encoding="utf-8"))


def name_frequencies(table: pa.Table, minimum_count: int = 2) -> dict[str, dict[str, float]]:
    frequencies = {}
    for column in TF_COLUMNS:
        counts = table.column(column).drop_null().value_counts().to_pylist()
        total = sum(item["counts"] for item in counts) or 1
        frequencies[column] = {
            item["values"]: item["counts"] / total
            for item in counts
            if item["counts"] >= minimum_count
        }
    return frequencies


def train(
    features: pa.Table,
    *,
    u_sample_pairs: float = 1e6,
    em_max_pairs: float | None = 5e6,
    seed: int = 7,
    prior_recall: float = 0.7,
) -> LinkageModel:
    """Train a model by EM on an unlabelled feature table (see `database.feature_table`).

    u probabilities come from random pairs, the share of matches from near-certain
    rules, m probabilities from EM on blocks that each leave out other fields.
    A training block that finds no pairs (a field missing from the data) is skipped,
    and the comparisons it would have trained keep their starting values.
    """
    settings = untrained_settings("dedupe_only")
    db_api = DuckDBAPI(connect())
    table = db_api.register(features, table_name="training_records")
    linker = Linker(table, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        list(_SURE_MATCH_RULES), recall=prior_recall
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=u_sample_pairs, seed=seed)
    for block in _TRAINING_BLOCKS:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block, max_pairs=em_max_pairs
            )
        except Exception as error:  # noqa: BLE001 - Splink raises several types here
            log.warning("EM on block %s skipped: %s", block, error)
    settings = linker.misc.save_model_to_json()
    return LinkageModel(settings, name_frequencies(features))
