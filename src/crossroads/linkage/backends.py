"""The SQL engines a batch runs on: DuckDB in process (the default) or Spark.

Spark is the region-wide batch path, for a hub-side or national batch that outgrows
one machine: the same comparisons (written for Spark's dialect, see `comparisons`)
through Splink's SparkAPI. Without a cluster it runs in local mode; the master is
taken from CROSSROADS_SPARK_MASTER (default `local[*]`). pyspark and a Java runtime
are an optional extra (`pip install 'crossroads[spark]'`).
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from crossroads.linkage.database import connect

BACKENDS = ("duckdb", "spark")


class BackendUnavailable(RuntimeError):
    """The chosen backend cannot run here (pyspark or Java missing)."""


class Backend:
    """One run's database API, its input tables and how rows come back out."""

    def __init__(self, name: str = "duckdb"):
        if name not in BACKENDS:
            raise ValueError(f"unknown backend {name!r} (one of {', '.join(BACKENDS)})")
        self.name = name
        self._spill: Path | None = None
        if name == "duckdb":
            self.api: DatabaseAPISubClass = DuckDBAPI(connect())
        else:
            # One private directory (mode 0700) per run for the inputs as Parquet and
            # Splink's checkpoints (intermediate tables of record pairs); `close` removes it.
            self._spill = Path(tempfile.mkdtemp(prefix="crossroads-spark-"))
            try:
                self.api = _spark_api(self._spill / "checkpoints")
            except BaseException:
                self.close()
                raise

    @property
    def dialect(self) -> str:
        return self.name

    def register(self, table: pa.Table, name: str) -> SplinkDataFrame:
        if self.name == "duckdb":
            return self.api.register(table, table_name=name)
        # Through Parquet: Spark reads it in parallel with its types (ints stay ints,
        # lists stay arrays), which a Python-side conversion would not keep.
        path = self._spill / f"{name}.parquet"
        pq.write_table(table, path)
        return self.api.register(self.api.spark.read.parquet(str(path)), table_name=name)

    def rows(self, frame: SplinkDataFrame, columns: list[str]) -> list[tuple]:
        if self.name == "duckdb":
            return frame.as_duckdbpyrelation().select(*columns).fetchall()
        return [tuple(row) for row in frame.as_spark_dataframe().select(*columns).collect()]

    def close(self) -> None:
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)
            self._spill = None


def _spark_api(checkpoints: Path) -> DatabaseAPISubClass:
    try:
        from pyspark.sql import SparkSession
        from splink.backends.spark import SparkAPI, similarity_jar_location
    except ImportError as error:
        message = "the spark backend needs pyspark: pip install 'crossroads[spark]'"
        raise BackendUnavailable(message) from error
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise BackendUnavailable("the spark backend needs a Java runtime (java on PATH or JAVA_HOME)")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this interpreter
    session = (
        SparkSession.builder.master(os.environ.get("CROSSROADS_SPARK_MASTER", "local[*]"))
        .appName("crossroads-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", os.environ.get("CROSSROADS_SPARK_PARTITIONS", "8"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(checkpoints))
    return SparkAPI(spark_session=session)
