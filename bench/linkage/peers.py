"""The peer tools, each with the configuration a practitioner would start from.

- `plain Splink`: Splink 5 (DuckDB) on the raw CSV fields, no normalisation; the
  library's standard comparisons, EM-trained, blocking on given name OR family name OR
  date of birth (or, with `tight=True`, on pairs of them, for large inputs).
- `recordlinkage`: recordlinkage 0.16 on the raw fields; the same blocking; Jaro-Winkler
  (0.85) or exact agreement per field; the unsupervised ECM classifier.
"""

import logging

import duckdb

NAME_FIELDS = ("given_name", "family_name", "father_name")
TEXT_FIELDS = ("birth_place", "address")
EXACT_FIELDS = ("birth_date", "sex", "citizenship", "document_number")


def _present(table_names: list[str], con: duckdb.DuckDBPyConnection) -> list[str]:
    """Columns with at least one value in some input (FEBRL has no father's name...)."""
    columns = NAME_FIELDS + TEXT_FIELDS + EXACT_FIELDS
    present = []
    for column in columns:
        for name in table_names:
            found = con.execute(
                f"SELECT count(*) FROM {name} WHERE coalesce({column}, '') <> ''"  # noqa: S608
            ).fetchall()[0][0]
            if found:
                present.append(column)
                break
    return present


def _load(con: duckdb.DuckDBPyConnection, name: str, path: str) -> None:
    con.read_csv(path, all_varchar=True, header=True).create(name)
    for column in NAME_FIELDS + TEXT_FIELDS + EXACT_FIELDS:
        con.execute(
            f"UPDATE {name} SET {column} = NULL WHERE trim({column}) = ''"  # noqa: S608
        ).fetchall()


def splink_pairs(paths: list[str], tight: bool = False) -> list[tuple[str, str]]:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect()
    names = [f"input_{i}" for i in range(len(paths))]
    for name, path in zip(names, paths, strict=True):
        _load(con, name, path)
    present = _present(names, con)
    comparisons = []
    for column in present:
        if column in ("given_name", "father_name"):
            comparisons.append(cl.NameComparison(column))
        elif column == "family_name":
            comparisons.append(cl.NameComparison(column).configure(term_frequency_adjustments=True))
        elif column == "birth_date":
            comparisons.append(cl.DateOfBirthComparison(column, input_is_string=True))
        elif column in TEXT_FIELDS:
            comparisons.append(cl.JaroWinklerAtThresholds(column, [0.9, 0.8]))
        else:
            comparisons.append(cl.ExactMatch(column))
    if tight:
        rules = [
            block_on("given_name", "family_name"),
            block_on("family_name", "birth_date"),
            block_on("given_name", "birth_date"),
        ]
    else:
        rules = [block_on("given_name"), block_on("family_name"), block_on("birth_date")]
    settings = SettingsCreator(
        link_type="link_only" if len(paths) == 2 else "dedupe_only",
        unique_id_column_name="id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
    )
    db_api = DuckDBAPI(con)
    tables = [db_api.register(name, table_name=f"t_{name}") for name in names]
    linker = Linker(tables, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "birth_date")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=7)
    for rule in (block_on("given_name", "family_name"), block_on("birth_date")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as error:  # noqa: BLE001 - report and go on, as a user would
            print(f"plain Splink: EM on {rule} failed: {error}")
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    columns = ["id_l", "id_r"]
    if len(paths) == 2:
        columns.append("source_dataset_l")
    rows = predictions.as_duckdbpyrelation().select(*columns).fetchall()
    if len(paths) == 2:
        return [(a, b) if source == "t_input_0" else (b, a) for a, b, source in rows]
    return [(a, b) for a, b in rows]


def recordlinkage_pairs(paths: list[str], tight: bool = False) -> list[tuple[str, str]]:
    import pandas as pd
    import recordlinkage

    frames = [
        pd.read_csv(path, dtype=str, keep_default_na=False).set_index("id").replace("", None)
        for path in paths
    ]
    present = [
        c
        for c in NAME_FIELDS + TEXT_FIELDS + EXACT_FIELDS
        if any(c in f.columns and f[c].notna().any() for f in frames)
    ]
    indexer = recordlinkage.Index()
    if tight:
        indexer.block(["given_name", "family_name"])
        indexer.block(["family_name", "birth_date"])
        indexer.block(["given_name", "birth_date"])
    else:
        indexer.block("given_name")
        indexer.block("family_name")
        indexer.block("birth_date")
    candidates = indexer.index(*frames)
    compare = recordlinkage.Compare()
    for column in present:
        if column in NAME_FIELDS + TEXT_FIELDS:
            compare.string(column, column, method="jarowinkler", threshold=0.85, label=column)
        else:
            compare.exact(column, column, label=column)
    features = compare.compute(candidates, *frames)
    matches = recordlinkage.ECMClassifier().fit_predict(features)
    return [(str(a), str(b)) for a, b in matches]
