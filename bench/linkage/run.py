"""Linkage benchmarks: Crossroads against plain Splink and recordlinkage, same input.

    python bench/linkage/run.py febrl4 febrl3 balkan family
    python bench/linkage/run.py scale --sizes 100000,300000,1000000

Each tool runs in its own child process (tool.py) on the same CSV files; wall time
and peak resident memory (the child's VmHWM) are measured per tool. Inputs are
generated into --data (default: $TMPDIR/crossroads-bench) and reused when present.

Precision, recall and F1 count pairs at probability >= 0.5. Crossroads writes its pairs
down to --calibration-floor with probabilities, and for it the run also prints a
reliability table (pairs per probability bin, the share of them that are true) and the
expected calibration error (ECE: the bins' gaps between mean probability and observed
share, weighted by their pairs).
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
import family_data  # noqa: E402
import febrl_data  # noqa: E402
import low_diversity  # noqa: E402
import registry_pair_data  # noqa: E402
from layout import read_pairs, read_scored_pairs  # noqa: E402

from crossroads.linkage.blocking import keys_of_features, plan  # noqa: E402
from crossroads.linkage.columnar import read_feature_table  # noqa: E402


@dataclass
class Outcome:
    tool: str
    seconds: float
    peak_mib: float
    cpu_seconds: float = 0.0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    ece: float | None = None
    note: str = ""


BINS = 10


def _run_tool(tool: str, inputs: list[Path], out: Path, tight: bool, timeout: float, floor: float) -> Outcome:
    command = [sys.executable, str(HERE / "tool.py"), tool, str(out), *map(str, inputs)]
    if tight:
        command.append("--tight")
    if tool.startswith("crossroads"):
        command += ["--threshold", str(floor)]
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
    cpu = usage.ru_utime + usage.ru_stime
    if code != 0:
        tail = output.strip().splitlines()[-3:]
        return Outcome(tool, seconds, peak_mib, cpu, note=f"exit {code}: {tail}")
    return Outcome(tool, seconds, peak_mib, cpu)


def _peak_mib(output: str, ru_maxrss_kib: int) -> float:
    """The child's own VmHWM as tool.py reports it; ru_maxrss (which may include the
    memory of this process, forked before exec) only if the report is missing."""
    for line in reversed(output.splitlines()):
        if line.startswith("PEAK_KIB "):
            return int(line.split()[1]) / 1024
    return ru_maxrss_kib / 1024


def _score(outcome: Outcome, scored: list, truth: set, ordered: bool) -> Outcome:
    found = {_key(a, b, ordered) for a, b, p in scored if p >= 0.5}
    hits = len(found & truth)
    outcome.precision = hits / len(found) if found else 0.0
    outcome.recall = hits / len(truth)
    total = outcome.precision + outcome.recall
    outcome.f1 = 2 * outcome.precision * outcome.recall / total if total else 0.0
    return outcome


def _key(a: str, b: str, ordered: bool) -> tuple[str, str]:
    return (a, b) if ordered else tuple(sorted((a, b)))


def _pairs(path: Path, ordered: bool) -> set:
    return {_key(a, b, ordered) for a, b in read_pairs(path)}


def reliability(scored: list, truth: set, ordered: bool) -> tuple[list[tuple], float]:
    """Per probability bin: (low, high, pairs, mean probability, share true); and the ECE."""
    bins = [[0, 0.0, 0] for _ in range(BINS)]
    for a, b, probability in scored:
        row = bins[min(int(probability * BINS), BINS - 1)]
        row[0] += 1
        row[1] += probability
        row[2] += _key(a, b, ordered) in truth
    total = sum(row[0] for row in bins) or 1
    table, ece = [], 0.0
    for index, (count, probabilities, true) in enumerate(bins):
        if count:
            table.append((index / BINS, (index + 1) / BINS, count, probabilities / count, true / count))
            ece += count / total * abs(probabilities / count - true / count)
    return table, ece


def blocking_recall(inputs: list[Path], truth: set) -> tuple[float, str]:
    """Share of true pairs that share a Crossroads blocking key, under the plan the
    engine makes for this input (wide, tight, or tight with capped blocks)."""
    tables = [read_feature_table(path)[0] for path in inputs]
    chosen = plan(tables)
    keys = {}
    for table in chosen.tables:
        columns = [f"block_{i}" for i in range(len(chosen.rules))] if chosen.cap else None
        for row in table.to_pylist():
            if columns:
                found = {f"{c}:{row[c]}" for c in columns if row[c] is not None}
            else:
                found = keys_of_features(row, chosen.rules)
            keys[row["unique_id"]] = found
    found = sum(1 for a, b in truth if keys[a] & keys[b]) / len(truth)
    return found, chosen.description


def compare(
    name: str,
    inputs: list[Path],
    truth_path: Path,
    tools: list[str],
    tight: bool = False,
    timeout: float = 1800,
    floor: float = 0.01,
) -> list[Outcome]:
    ordered = len(inputs) == 2
    truth = _pairs(truth_path, ordered)
    print(f"\n== {name}: {', '.join(p.name for p in inputs)}; {len(truth)} true pairs")
    recall, rules = blocking_recall(inputs, truth)
    print(f"   Crossroads blocking recall: {recall:.4f} ({rules})")
    outcomes = []
    with tempfile.TemporaryDirectory() as work:
        for tool in tools:
            out = Path(work) / f"{tool}.csv"
            outcome = _run_tool(tool, inputs, out, tight, timeout, floor)
            if not outcome.note:
                scored = read_scored_pairs(out)
                _score(outcome, scored, truth, ordered)
                if tool.startswith("crossroads"):
                    table, outcome.ece = reliability(scored, truth, ordered)
                    _print_reliability(table, outcome.ece, floor)
            outcomes.append(outcome)
            _print_row(outcome)
    _print_ratios(outcomes)
    return outcomes


def _print_reliability(table: list[tuple], ece: float, floor: float) -> None:
    print(f"   reliability of the pairs written (p >= {floor}): bin, pairs, mean p, share true")
    for low, high, count, mean, share in table:
        print(f"     [{low:.1f}, {high:.1f})  {count:8d}  {mean:.3f}  {share:.3f}")
    print(f"   ECE {ece:.4f}")


def _print_row(o: Outcome) -> None:
    if o.note:
        print(f"   {o.tool:<20} {o.seconds:8.1f} s {o.peak_mib:8.0f} MiB   {o.note}")
        return
    print(
        f"   {o.tool:<20} P {o.precision:.4f}  R {o.recall:.4f}  F1 {o.f1:.4f}"
        f"  {o.seconds:8.1f} s (CPU {o.cpu_seconds:.1f} s) {o.peak_mib:8.0f} MiB"
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
            f" ({ours.f1 - peer.f1:+.4f}), time x{ours.seconds / peer.seconds:.2f}"
            f" (CPU x{ours.cpu_seconds / max(peer.cpu_seconds, 1e-9):.2f}),"
            f" memory x{ours.peak_mib / peer.peak_mib:.2f}"
        )


ALL = ["crossroads", "crossroads-shipped", "splink", "recordlinkage"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "benchmarks",
        nargs="+",
        choices=("febrl4", "febrl3", "balkan", "family", "registry", "scale", "lowdiv"),
    )
    parser.add_argument("--sizes", default="100000,300000,1000000")
    parser.add_argument(
        "--scale-peers",
        default="splink,recordlinkage",
        help="peers to run at scale (comma-separated, may be empty)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per tool run")
    parser.add_argument(
        "--calibration-floor", type=float, default=0.01, help="lowest probability Crossroads writes"
    )
    parser.add_argument(
        "--spark",
        action="store_true",
        help="also run the shipped model on Spark (local mode) on the small sets",
    )
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "crossroads-bench")
    options = parser.parse_args()
    options.data.mkdir(parents=True, exist_ok=True)
    floor = options.calibration_floor
    tools = [*ALL, "crossroads-spark"] if options.spark else ALL
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for benchmark in options.benchmarks:
        if benchmark == "febrl4":
            paths = febrl_data.write_febrl4(options.data)
            compare("FEBRL4", [paths["left"], paths["right"]], paths["truth"], tools, floor=floor)
        elif benchmark == "febrl3":
            paths = febrl_data.write_febrl3(options.data)
            compare("FEBRL3", [paths["input"]], paths["truth"], tools, floor=floor)
        elif benchmark in ("balkan", "family", "registry"):
            if benchmark == "balkan":
                paths, name = balkan_data.write_cross_border(options.data), "Balkan cross-border"
            elif benchmark == "family":
                paths, name = family_data.write_family_registers(options.data), "family registers"
            else:
                paths, name = registry_pair_data.write_registry_pair(options.data), "registry pair"
            compare(name, [paths["left"], paths["right"]], paths["truth"], tools, floor=floor)
        elif benchmark == "lowdiv":
            paths = low_diversity.write_low_diversity_set(options.data)
            compare("low diversity", [paths["input"]], paths["truth"], ["crossroads-shipped"], floor=0.5)
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
                    floor=0.5,
                )


if __name__ == "__main__":
    csv.field_size_limit(1 << 20)
    main()
