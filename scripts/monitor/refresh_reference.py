#!/usr/bin/env python3
"""Refresh the monitor's shipped reference data from the shared reference folder.

    python scripts/monitor/refresh_reference.py [--from ../shared/reference] [--check]

Copies legal/obligations.yaml, legal/jurisdictions.yaml and legal/README.md into
src/crossroads/monitor/data/ and rewrites data/SOURCES.md (where each file came from, its
SHA-256, the entries' verification counts). The node and the tests read only the shipped copy;
run this when the shared reference changes, then `crossroads monitor load-obligations`.
With --check it changes nothing and exits 1 if the shipped copy differs from the source."""

import argparse
import hashlib
import shutil
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "crossroads" / "monitor" / "data"
FILES = ("obligations.yaml", "jurisdictions.yaml", "README.md")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sources_text(source: Path) -> str:
    import yaml

    entries = yaml.safe_load((DATA / "obligations.yaml").read_text(encoding="utf-8"))["obligations"]
    by_status = Counter(e["verification"] for e in entries)
    by_instrument = Counter(e["instrument"] for e in entries)
    lines = ["# Sources of the shipped reference data", "",
             "Copied by `scripts/monitor/refresh_reference.py` from the project's shared reference",
             f"(`{source.name}/legal/` beside the repository). Do not edit these files here: correct",
             "entries on the catalogue page (the history is kept in the database) or in the source.",
             "", "| file | SHA-256 |", "|---|---|"]
    lines += [f"| {name} | `{sha(DATA / name)}` |" for name in FILES]
    lines += ["", f"Obligations: {len(entries)}.", "", "| verification | entries |", "|---|---|"]
    lines += [f"| {status} | {n} |" for status, n in sorted(by_status.items())]
    lines += ["", "| instrument | entries |", "|---|---|"]
    lines += [f"| {name} | {n} |" for name, n in sorted(by_instrument.items())]
    lines += ["", "The verification sources of each entry are named in the header of "
              "`obligations.yaml`; every figure of `jurisdictions.yaml` carries its source URL.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = next((c for c in (ROOT.parent / "shared" / "reference",
                                ROOT.parent.parent / "shared" / "reference") if c.is_dir()),
                   ROOT.parent / "shared" / "reference")  # ../shared/reference (a worktree: ../../)
    parser.add_argument("--from", dest="source", default=str(default))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    source = Path(args.source)
    if not (source / "legal" / "obligations.yaml").is_file():
        parser.error(f"{source}/legal/obligations.yaml not found (use --from)")
    stale = [name for name in FILES
             if not (DATA / name).is_file() or sha(DATA / name) != sha(source / "legal" / name)]
    if args.check:
        for name in stale:
            print(f"differs: {name}")
        return 1 if stale else 0
    DATA.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(source / "legal" / name, DATA / name)
    (DATA / "SOURCES.md").write_text(sources_text(source), encoding="utf-8")
    print(f"refreshed {', '.join(stale) or 'nothing (already current)'}; SOURCES.md rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
