"""`crossroads link` and `crossroads dedupe`: batch linkage of CSV files.

Exit codes: 0 success, 2 usage or input errors (messages name file, line and field),
1 if linkage itself failed (the message says why). Output files are written only
when the run succeeds.
"""

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa

from crossroads.linkage.backends import BACKENDS
from crossroads.linkage.blocking import BlockingPlan, plan
from crossroads.linkage.columnar import read_feature_table
from crossroads.linkage.csv_io import CsvLayoutError, check_input, write_clusters, write_pairs
from crossroads.linkage.engine import dedupe_table, link_tables
from crossroads.linkage.model import LinkageModel, default_model, train
from crossroads.linkage.records import RecordError

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _parser(
    prog: str, inputs: list[tuple[str, str]], with_clusters: bool, one_to_one: bool
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    for name, help_text in inputs:
        parser.add_argument(name, type=Path, help=help_text)
    parser.add_argument("--out", type=Path, required=True, help="pairs CSV to write")
    parser.add_argument(
        "--threshold",
        type=_probability,
        default=0.5,
        help="lowest match probability written (default 0.5)",
    )
    parser.add_argument(
        "--on-bad-row",
        choices=("skip", "reject"),
        default="skip",
        help="skip: report bad rows and go on; reject: report them all and write nothing",
    )
    parser.add_argument("--model", type=Path, help="model JSON (default: the shipped model)")
    parser.add_argument(
        "--train",
        action="store_true",
        help="re-estimate the model by EM on the input first (needs thousands of records)",
    )
    parser.add_argument("--save-model", type=Path, help="write the model used to this JSON file")
    parser.add_argument(
        "--one-to-one",
        action=argparse.BooleanOptionalAction,
        default=one_to_one,
        help="pair each record with at most one other, strongest pair first"
        f" (default {'on' if one_to_one else 'off'})",
    )
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        default="duckdb",
        help="SQL engine: duckdb in process (default) or spark (needs the [spark] extra and Java)",
    )
    if with_clusters:
        parser.add_argument("--clusters", type=Path, help="write id,cluster_id to this CSV")
    parser.add_argument("--quiet", action="store_true", help="print errors only")
    return parser


class _Run:
    """State of one CLI run: reporting, reading inputs, choosing the model."""

    def __init__(self, prog: str, options: argparse.Namespace):
        self.prog = prog
        self.options = options
        self.bad_rows = 0
        self.started = time.monotonic()

    def say(self, message: str) -> None:
        if not self.options.quiet:
            print(f"{self.prog}: {message}", file=sys.stderr)

    def read(self, path: Path) -> pa.Table:
        check_input(path)
        table, errors = read_feature_table(path)
        for error in errors:
            self._report(path, error)
        if table.num_rows == 0:
            raise CsvLayoutError(f"{path}: no record to link ("
                                 + ("every row is bad)" if errors else "the file has a header only)"))
        self.say(f"{path}: {table.num_rows} records read")
        return table

    def _report(self, path: Path, error: RecordError) -> None:
        self.bad_rows += 1
        print(
            f"{self.prog}: {path}: line {error.position}: {error.field}: {error.message}",
            file=sys.stderr,
        )

    def blocking(self, tables: list[pa.Table]) -> BlockingPlan:
        chosen = plan(tables)
        self.say(f"blocking: {chosen.description}")
        return chosen

    def model(self, tables: list[pa.Table]) -> LinkageModel:
        model = LinkageModel.load(self.options.model) if self.options.model else default_model()
        if self.options.train:
            self.say("training the model by EM on the input")
            model = train(pa.concat_tables(tables), backend=self.options.backend)
        if self.options.save_model:
            model.save(self.options.save_model)
        return model


def _main(
    prog: str,
    inputs: list[tuple[str, str]],
    argv: list[str] | None,
    work: Callable[[_Run], None],
    with_clusters: bool = False,
    one_to_one: bool = False,
) -> int:
    options = _parser(prog, inputs, with_clusters, one_to_one).parse_args(argv)
    run = _Run(prog, options)
    try:
        work(run)
    except (CsvLayoutError, OSError, UnicodeDecodeError) as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return EXIT_INPUT
    except _Rejected:
        print(f"{prog}: {run.bad_rows} bad row(s); nothing written (--on-bad-row reject)", file=sys.stderr)
        return EXIT_INPUT
    except Exception as error:  # noqa: BLE001 - report any failure instead of a traceback
        print(f"{prog}: linkage failed: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if run.bad_rows:
        run.say(f"{run.bad_rows} bad row(s) skipped")
    run.say(f"done in {time.monotonic() - run.started:.1f} s")
    return EXIT_OK


class _Rejected(Exception):
    pass


def _check_rejection(run: _Run) -> None:
    if run.bad_rows and run.options.on_bad_row == "reject":
        raise _Rejected


def link_main(argv: list[str] | None = None) -> int:
    def work(run: _Run) -> None:
        left, right = run.read(run.options.left), run.read(run.options.right)
        _check_rejection(run)
        model = run.model([left, right])
        pairs = link_tables(
            left,
            right,
            model,
            run.options.threshold,
            run.options.one_to_one,
            run.blocking([left, right]),
            adapt=not run.options.train,
            backend=run.options.backend,
        )
        write_pairs(run.options.out, pairs)
        run.say(f"{len(pairs)} pairs at or above {run.options.threshold} -> {run.options.out}")

    inputs = [("left", "first CSV of records"), ("right", "second CSV of records")]
    return _main("crossroads link", inputs, argv, work, one_to_one=True)


def dedupe_main(argv: list[str] | None = None) -> int:
    def work(run: _Run) -> None:
        table = run.read(run.options.input)
        _check_rejection(run)
        model = run.model([table])
        pairs, clusters = dedupe_table(
            table,
            model,
            run.options.threshold,
            run.options.one_to_one,
            run.blocking([table]),
            adapt=not run.options.train,
            backend=run.options.backend,
        )
        write_pairs(run.options.out, pairs)
        run.say(f"{len(pairs)} pairs at or above {run.options.threshold} -> {run.options.out}")
        if run.options.clusters:
            write_clusters(run.options.clusters, clusters)
            run.say(f"{len(set(clusters.values()))} clusters -> {run.options.clusters}")

    inputs = [("input", "CSV of records")]
    return _main("crossroads dedupe", inputs, argv, work, with_clusters=True)


if __name__ == "__main__":
    commands = {"link": link_main, "dedupe": dedupe_main}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print("usage: python -m crossroads.linkage.cli {link,dedupe} ...", file=sys.stderr)
        sys.exit(EXIT_INPUT)
    sys.exit(commands[sys.argv[1]](sys.argv[2:]))
