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
from splink import Linker, block_on
from splink.internals.splink_dataframe import SplinkDataFrame

from crossroads.linkage.backends import Backend
from crossroads.linkage.blocking import WIDE_RULES, Rules, count_pairs, splink_rules
from crossroads.linkage.comparisons import comparisons, for_dialect

DEFAULT_MODEL_FILE = "default_model.json"
TF_COLUMNS = ("given", "family")
# Deterministic rules used to estimate how many pairs match before EM starts.
SURE_MATCH_RULES = (("name_pair", "birth_date"), ("document", "family"))
# Share of true pairs those rules are assumed to find.
PRIOR_RECALL = 0.7
# EM blocks. Splink trains each comparison only on blocks that do not use its columns;
# most comparisons read the given name (see comparisons.GIVEN_NAMES_DIFFER), so the
# document block, whose pairs are nearly all true matches, trains nearly everything.
_TRAINING_BLOCKS: Rules = (("document", ("document",)), ("names", ("given", "family")))
# Used only when the data has too few shared documents to train the names: twins
# share a birth date, so this block teaches EM that given names may differ.
_FALLBACK_BLOCK: Rules = (("birthdate", ("birth_date",)),)
log = logging.getLogger(__name__)


def _sure_match_rules() -> list:
    return [block_on(*columns) for columns in SURE_MATCH_RULES]


def untrained_settings(link_type: str = "dedupe_only", dialect: str = "duckdb") -> dict:
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons(dialect),
        "blocking_rules_to_generate_predictions": splink_rules(WIDE_RULES, dialect),
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": False,
        "probability_two_random_records_match": 1e-4,
    }


@dataclass
class LinkageModel:
    """Splink settings with trained parameters, plus what a run needs besides them.

    `matches_per_record` is how many other records of the same person a record had in
    the training data. The share of matching pairs falls as an input grows (matches
    grow with n, pairs with n squared), so a run on an input larger than the training
    set lowers Splink's prior accordingly.
    """

    settings: dict
    name_frequencies: dict[str, dict[str, float]] = field(default_factory=dict)
    matches_per_record: float | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "splink_settings": self.settings,
                "name_frequencies": self.name_frequencies,
                "matches_per_record": self.matches_per_record,
            },
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> "LinkageModel":
        data = json.loads(text)
        return cls(
            data["splink_settings"],
            data.get("name_frequencies", {}),
            data.get("matches_per_record"),
        )

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "LinkageModel":
        return cls.from_json(Path(path).read_text(encoding="utf-8"))

    def for_run(
        self,
        link_type: str,
        blocking: list[dict] | None = None,
        sizes: tuple[int, ...] = (),
        dialect: str = "duckdb",
    ) -> dict:
        """Splink settings for one run on inputs of `sizes` records (one size to dedupe,
        two to link) in the SQL of `dialect`; blocking rules (Splink rule dicts, default
        the wide rules) are chosen per run, not stored."""
        settings = for_dialect(self.settings, dialect)
        settings["link_type"] = link_type
        if self.matches_per_record and sizes:
            if len(sizes) == 1:
                pairs_per_record = max(sizes[0] - 1, 1) / 2
            else:
                pairs_per_record = sizes[0] * sizes[1] / max(sum(sizes), 1)
            # Only ever lowered: a small file is not denser in duplicates than a register.
            trained = settings["probability_two_random_records_match"]
            prior = min(trained, self.matches_per_record / pairs_per_record)
            settings["probability_two_random_records_match"] = prior
        settings["blocking_rules_to_generate_predictions"] = blocking or splink_rules(WIDE_RULES, dialect)
        return settings


# Below this many records the near-certain rules find too few pairs to go on.
PRIOR_MIN_RECORDS = 1000


# Random pairs for u. 2·10^5 give the same pairs at 0.5 as 10^6 on the tuning sets
# (FEBRL 3 and 4, Balkan) at a fifth of the cost, which was most of a `--train` run; a
# level rarer among strangers than that (swapped names) gets the floor of
# `_without_certainties` instead of a count of one or two.
U_SAMPLE_PAIRS = 2e5


def estimate_u(linker: Linker, max_pairs: float = U_SAMPLE_PAIRS, seed: int = 7) -> None:
    """Estimate the u probabilities on the linker's own input from random pairs.

    How often two different people share a place, a name or a birth year depends on
    the input (one district's register, a national one, FEBRL's Australia), not on how
    officers err: training estimates u this way, and a batch run with a stored model
    re-estimates it on its input (see `adapt_to_input`).
    """
    # One chunk: the rare levels (swapped names) never reach an early-stopping count.
    linker.training.estimate_u_using_random_sampling(
        max_pairs=max_pairs, seed=seed, num_chunks=1, min_count_per_level=None
    )


# Inputs with at least this many records (and at most REFINE_MAX_RECORDS, where EM
# would cost more time than a batch has) also refine the model's m by EM.
REFINE_MIN_RECORDS = 5000
REFINE_MAX_RECORDS = 200_000


def adapt_to_input(linker: Linker, registered: list[SplinkDataFrame], tables: list[pa.Table]) -> dict | None:
    """Give a stored model the u probabilities and the prior of the linker's input and,
    on inputs of REFINE_MIN_RECORDS to REFINE_MAX_RECORDS records, m probabilities
    refined by EM on the input, starting from the model's own (how fields err differs
    between registers: FEBRL replaces whole given names, a cross-border register
    transliterates). Label-free; skipped below PRIOR_MIN_RECORDS records, where random
    pairs and near-certain rules say too little. Returns the adapted settings, or None
    when nothing was done."""
    records = sum(table.num_rows for table in tables)
    if records < PRIOR_MIN_RECORDS:
        return None
    estimate_u(linker)
    estimate_prior(linker)
    if REFINE_MIN_RECORDS <= records <= REFINE_MAX_RECORDS:
        for block in _TRAINING_BLOCKS:
            linker = _expectation_maximisation(linker, registered, tables, (block,), max_pairs=5e6)
    return _without_certainties(linker.misc.save_model_to_json())


def estimate_prior(linker: Linker) -> bool:
    """Re-estimate the share of matching pairs on the linker's own input, from the pairs
    that the near-certain rules find; label-free, like the u probabilities.

    Inputs differ far more in their density of duplicates (a register holds each person
    once or twice, a merged export five times) than in how a field errs, so a batch run
    takes its prior from the input. Returns False, the linker keeping the model's prior,
    when the rules give no usable estimate.
    """
    settings = linker._settings_obj  # Splink keeps the prior there and nowhere else
    before = settings._probability_two_random_records_match
    try:
        linker.training.estimate_probability_two_random_records_match(
            _sure_match_rules(), recall=PRIOR_RECALL
        )
    except Exception as error:  # noqa: BLE001 - Splink raises several types here
        log.info("prior kept from the model: %s", error)
        return False
    if not 0 < settings._probability_two_random_records_match < 0.5:
        settings._probability_two_random_records_match = before
        return False
    return True


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
            item["values"]: item["counts"] / total for item in counts if item["counts"] >= minimum_count
        }
    return frequencies


def train(
    features: pa.Table,
    *,
    u_sample_pairs: float = U_SAMPLE_PAIRS,
    em_max_pairs: float | None = 5e6,
    seed: int = 7,
    prior_recall: float = PRIOR_RECALL,
    backend: str = "duckdb",
) -> LinkageModel:
    """Train a model by EM on an unlabelled feature table (see `database.feature_table`).

    u probabilities come from random pairs, the share of matches from near-certain
    rules, m probabilities from EM on blocks that each leave out other fields.
    A training block that finds no pairs (a field missing from the data) is skipped,
    and the comparisons it would have trained keep their starting values.
    """
    engine = Backend(backend)
    try:
        table = engine.register(features, "training_records")
        linker = Linker(table, untrained_settings("dedupe_only", engine.dialect), log_level=logging.ERROR)
        linker.training.estimate_probability_two_random_records_match(
            _sure_match_rules(), recall=prior_recall
        )
        estimate_u(linker, u_sample_pairs, seed)
        for block in _TRAINING_BLOCKS:
            linker = _expectation_maximisation(linker, [table], [features], (block,), em_max_pairs)
        if not _names_trained(linker.misc.save_model_to_json()):
            linker = _expectation_maximisation(linker, [table], [features], _FALLBACK_BLOCK, em_max_pairs)
        settings = _without_certainties(linker.misc.save_model_to_json())
    finally:
        engine.close()
    pairs_per_record = max(features.num_rows - 1, 1) / 2
    matches_per_record = settings["probability_two_random_records_match"] * pairs_per_record
    return LinkageModel(settings, name_frequencies(features), matches_per_record)


def _expectation_maximisation(
    linker: Linker,
    registered: list[SplinkDataFrame],
    tables: list[pa.Table],
    block: Rules,
    max_pairs: float | None,
) -> Linker:
    """Run one EM session; if it fails, return a linker with the parameters from before.

    A block without pairs (a field the data lacks, such as documents in FEBRL) is
    skipped beforehand rather than left to fail inside Splink. A failed session (an m
    probability too small for Splink to store) can leave the linker's parameters
    half-updated.
    """
    if count_pairs(tables, block) == 0:
        log.info("EM on block %s skipped: no pairs", block[0][0])
        return linker
    before = linker.misc.save_model_to_json()
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on(*block[0][1]), max_pairs=max_pairs
        )
    except Exception as error:  # noqa: BLE001 - Splink raises several types here
        log.warning("EM on block %s skipped: %s", block, error)
        return Linker(registered, before, log_level=logging.ERROR)
    return linker


def _names_trained(settings: dict) -> bool:
    given = next(c for c in settings["comparisons"] if c["output_column_name"] == "given")
    return any("m_probability" in level for level in given["comparison_levels"])


def _without_certainties(settings: dict, m_floor: float = 1e-3, u_floor: float = 1e-5) -> dict:
    """Raise m probabilities below `m_floor` (and unset ones of levels seen among random
    pairs) to it, and u probabilities of exactly 0 to `u_floor`.

    EM gives a level it never saw among matches an m of 0 or none at all (no sex
    recording errors, no precise birth dates years apart in a synthetic training set).
    Kept, that makes one disagreement an absolute veto, or (unset) no evidence at
    all; on real registers about one record in a thousand carries any given error, so
    one disagreement weighs at most about ten bits against a match.
    """
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m = level.get("m_probability")
            if (m is None and level.get("u_probability")) or (m is not None and m < m_floor):
                level["m_probability"] = m_floor
            if level.get("u_probability") == 0:
                level["u_probability"] = u_floor
    return settings
