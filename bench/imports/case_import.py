"""The import of a large NGO register (issue 15, part 8): rows per second, peak memory, and the
time of a second run of the same file (which must change nothing).

    .venv/bin/python bench/imports/case_import.py                  # 100,000 rows
    .venv/bin/python bench/imports/case_import.py --rows 5000

Seeds a small node (`crossroads demo --jurisdictions AL`, SQLite with WAL), generates a
synthetic register in the layout of the shipped sample mapping
(`src/crossroads/imports/data/ngo_register_mapping.yaml`; seeded names, dates, forms and
countries, every row valid), and runs `crossroads import cases` as `al_case_worker` twice. The
command queues the import as a job and runs it as the worker would; each row goes through the
register's services (policy, validation, encryption, blind index, duplicate detection queued
for the worker, audit). Prints rows/s, the peak RSS of the process and the second run's time.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.node import fresh_node_env  # noqa: E402
from bench.statistics.ctdc_import import high_water_mb  # noqa: E402

MAPPING = ROOT / "src" / "crossroads" / "imports" / "data" / "ngo_register_mapping.yaml"
SAMPLE = MAPPING.with_name("ngo_register_sample.csv")
GIVEN = {"Female": ["Arta", "Blerta", "Drita", "Jelena", "Marija", "Milica", "Elira", "Ajla",
                    "Sanja", "Vesna", "Teuta", "Amra", "Ivana", "Lejla", "Fjolla"],
         "Male": ["Emir", "Besnik", "Marko", "Nikola", "Arben", "Dino", "Luan", "Stefan"]}
FAMILY = ["Krasniqi", "Gashi", "Hoxha", "Marković", "Petrović", "Hodžić", "Stojanovska",
          "Vuković", "Berisha", "Kovačević", "Shala", "Jovanović", "Begić", "Popovska", "Leka"]
COUNTRIES = ["Albania", "Kosovo", "Serbia", "North Macedonia", "Bosnia and Herzegovina",
             "Montenegro"]
ABROAD = [*COUNTRIES, "Italy", "Germany", "Greece", "Turkey"]
FORMS = ["Sexual exploitation", "Forced labour", "Begging", "Forced marriage",
         "Sexual exploitation; Forced labour"]
STATUS = ["Open", "Open", "Police", "Court", "Closed"]


def generate(path: Path, rows: int, rng: random.Random) -> None:
    header = next(csv.reader(SAMPLE.open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for n in range(rows):
            sex = rng.choice(["Female", "Female", "Female", "Male"])
            form = rng.choice(FORMS)
            writer.writerow([
                f"NGO-{n:07d}", rng.choice(GIVEN[sex]), rng.choice(FAMILY), "", sex,
                f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(1970, 2007)}",
                rng.choice(COUNTRIES), "",
                f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2015, 2024)}",
                form, "Agriculture" if "labour" in form else "", rng.choice(["Threats", "Debt"]),
                rng.choice(["Boyfriend", "Friend", "Relative", "Stranger"]),
                rng.choice(COUNTRIES), rng.choice(ABROAD), "", rng.choice(["Yes", "Pending"]),
                rng.choice(STATUS), ""])


def run_import(cli, env, source: Path, said: Path) -> tuple[float, int, float, list[str]]:
    began = time.perf_counter()
    proc = subprocess.Popen([*cli, "import", "cases", str(source), "--mapping", str(MAPPING),
                             "--user", "al_case_worker"], env=env, stdout=said.open("w"),
                            stderr=subprocess.STDOUT)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, high_water_mb(proc.pid))
        time.sleep(0.2)
    return (time.perf_counter() - began, proc.returncode, peak,
            said.read_text().strip().splitlines()[-3:])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "crossroads-import-bench")  # noqa: S108
    args = parser.parse_args(argv)
    env = fresh_node_env(args.workdir)
    cli = [sys.executable, "-m", "crossroads.cli"]
    subprocess.run([*cli, "demo", "--jurisdictions", "AL", "--cases", "50", "--logins",
                    str(args.workdir / "logins.json")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    source = args.workdir / "register.csv"
    generate(source, args.rows, random.Random(15))
    print(f"register: {args.rows:,} rows, {source.stat().st_size / 1e6:.1f} MB (synthetic; "
          "SQLite node with WAL, 2 cores shared)")
    for attempt in ("first run", "same file again"):
        seconds, code, peak, lines = run_import(cli, env, source, args.workdir / "import.out")
        print(f"{attempt}: {seconds:.1f} s, {args.rows / seconds:,.0f} rows/s, exit {code}, "
              f"peak RSS {peak:.0f} MB")
        for line in lines:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
