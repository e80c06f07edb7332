"""The DuckDB connection and the tables Splink reads."""

import os
import tempfile
from collections.abc import Iterable
from itertools import islice

import duckdb
import pyarrow as pa

from crossroads.linkage.records import FEATURE_COLUMNS

_STRING_COLUMNS = {
    "unique_id",
    "given",
    "given_spelling",
    "family",
    "father",
    "name_pair",
    "name_prefix",
    "family_prefix",
    "birth_date",
    "sex",
    "birth_place",
    "citizenship",
    "document",
    "address",
}
FEATURE_SCHEMA = pa.schema(
    [
        (
            column,
            pa.string()
            if column in _STRING_COLUMNS
            else pa.list_(pa.string())
            if column == "address_tokens"
            else pa.int32(),
        )
        for column in FEATURE_COLUMNS
    ]
)


def feature_table(rows: Iterable[dict], batch_size: int = 50_000) -> pa.Table:
    """Columnar table of feature rows, built in batches so that a million rows never
    live as a million dicts at once."""
    iterator = iter(rows)
    batches = []
    while batch := list(islice(iterator, batch_size)):
        batches.append(pa.RecordBatch.from_pylist(batch, schema=FEATURE_SCHEMA))
    return pa.Table.from_batches(batches, schema=FEATURE_SCHEMA)


def connect(memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that spills to a temporary directory instead of failing.

    `memory_limit` defaults to the CROSSROADS_DUCKDB_MEMORY environment variable or
    DuckDB's own default (80% of RAM).
    """
    connection = duckdb.connect(":memory:")
    limit = memory_limit or os.environ.get("CROSSROADS_DUCKDB_MEMORY")
    if limit:
        connection.execute(f"SET memory_limit = '{limit}'")
    connection.execute(f"SET temp_directory = '{tempfile.gettempdir()}/crossroads-duckdb'")
    connection.execute("SET preserve_insertion_order = false")
    return connection
