"""Run one tool on one benchmark input and write its pairs.

run.py starts this in a child process per tool, so that each tool's wall time and
peak memory are its own.

    python tool.py TOOL OUT.csv INPUT.csv [RIGHT.csv] [--tight] [--threshold P]

TOOL is `crossroads` (EM-trained on the input), `crossroads-shipped` (the model
shipped with the package), `crossroads-spark` (the shipped model on `--backend
spark`), `splink` or `recordlinkage` (see peers.py). Crossroads
writes its pairs at or above P (default 0.5) with their probabilities, so that run.py
can measure calibration; the peers write theirs at 0.5.
"""

import atexit
import runpy
import sys
from pathlib import Path

from layout import write_truth
from peers import recordlinkage_pairs, splink_pairs

SRC = Path(__file__).resolve().parents[2] / "src"


def crossroads(out: str, inputs: list[str], train: bool, threshold: str, spark: bool = False) -> int:
    """The `crossroads link` / `crossroads dedupe` CLI, run in this process."""
    sys.path.insert(0, str(SRC))
    command = "link" if len(inputs) == 2 else "dedupe"
    sys.argv = ["crossroads.linkage.cli", command, *inputs, "--out", out, "--quiet", "--threshold", threshold]
    if train:
        sys.argv.append("--train")
    if spark:
        sys.argv += ["--backend", "spark"]
    try:
        runpy.run_module("crossroads.linkage.cli", run_name="__main__")
    except SystemExit as finished:
        return int(finished.code or 0)
    return 0


def _report_peak_memory() -> None:
    """Print this process's peak RSS. VmHWM starts afresh at exec, unlike ru_maxrss,
    which keeps the high-water mark of the parent it was forked from."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                print(f"PEAK_KIB {line.split()[1]}", flush=True)


def main() -> int:
    atexit.register(_report_peak_memory)
    tool, out, *inputs = sys.argv[1:]
    tight = "--tight" in inputs
    inputs = [path for path in inputs if path != "--tight"]
    threshold = "0.5"
    if "--threshold" in inputs:
        at = inputs.index("--threshold")
        threshold = inputs[at + 1]
        del inputs[at : at + 2]
    if tool.startswith("crossroads"):
        return crossroads(out, inputs, tool == "crossroads", threshold, spark=tool == "crossroads-spark")
    pairs = (splink_pairs if tool == "splink" else recordlinkage_pairs)(inputs, tight=tight)
    write_truth(Path(out), pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
