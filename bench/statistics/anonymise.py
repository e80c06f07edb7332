"""k-anonymisation of 200k synthetic victim records (target < 30 s), with the suppression
rate and an independent k check, against anonypy (Mondrian) on the same records in the same
run; then a differentially private synthetic release of the same records.

    PYTHONPATH=src python bench/statistics/anonymise.py [--records 200000] [--k 11]
        [--epsilon 1] [--peer-records N] [--no-peer]

Prints its figures; RESULTS.md records them. Records are seeded synthetic rows with the
shares the seed paper reports for the region and the dependencies of the field (nationality
and country of exploitation, sex and age with the form; no person, no name).
"""

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossroads.settings.test")
import django  # noqa: E402

django.setup()

from crossroads.statistics import dp  # noqa: E402
from crossroads.statistics.disclosure import is_k_anonymous, k_anonymise  # noqa: E402
from crossroads.statistics.domains import clamp, domains  # noqa: E402
from crossroads.statistics.releases import MICRODATA_COLUMNS, SYNTHETIC_CENTRE  # noqa: E402

FORMS = {"sexual": 49, "forced_begging": 27, "forced_labour": 16.5, "forced_criminality": 3,
         "forced_marriage": 3, "other": 1.5}
SEX = {"F": 70, "M": 28, "U": 2}
AGES = {"0--8": 4, "9--17": 22, "18--20": 16, "21--23": 14, "24--26": 11, "27--29": 8,
        "30--38": 13, "39--47": 6, "48+": 2, "Unknown": 4}
CITIZENSHIP = {"AL": 30, "XK": 12, "RS": 14, "MK": 9, "BA": 10, "ME": 4, "UA": 3, "MD": 3,
               "RO": 2, "NG": 2, "PH": 2, "BD": 2, "TR": 2, "SY": 1, "Unknown": 4}
EXPLOITATION = {"AL": 18, "XK": 8, "RS": 12, "MK": 7, "BA": 8, "ME": 4, "IT": 9, "DE": 9,
                "GR": 8, "FR": 3, "AT": 3, "CH": 2, "TR": 2, "GB": 2, "Unknown": 5}


# Dependencies as in the field: victims are mostly exploited at home or on their nationality's
# usual route, sexual exploitation is mostly of women and girls, forced begging of children.
ROUTES = {"AL": ["AL", "IT", "GR"], "XK": ["XK", "DE", "CH"], "RS": ["RS", "DE", "AT"],
          "MK": ["MK", "GR", "DE"], "BA": ["BA", "AT", "DE"], "ME": ["ME", "RS"],
          "UA": ["DE", "TR"], "MD": ["IT", "TR"], "RO": ["IT", "FR"]}


def records(n: int, seed: int = 2024) -> list[dict]:
    rng = random.Random(seed)

    def draw(weights, k=1):
        return rng.choices(list(weights), list(weights.values()), k=k)

    rows = []
    for _ in range(n):
        citizenship, sex, age = draw(CITIZENSHIP)[0], draw(SEX)[0], draw(AGES)[0]
        route = ROUTES.get(citizenship)
        country = rng.choice(route) if route and rng.random() < 0.8 else draw(EXPLOITATION)[0]
        forms = dict(FORMS)
        if sex == "F":
            forms["sexual"] *= 2
        elif sex == "M":
            forms["forced_labour"] *= 3
        if age in {"0--8", "9--17"}:
            forms["forced_begging"] *= 3
        rows.append({"year": str(rng.randrange(2015, 2025)), "sex": sex, "age_band": age,
                     "citizenship": citizenship, "country_of_exploitation": country,
                     "form": draw(forms)[0]})
    return rows


def crossroads(rows, k):
    start = time.perf_counter()
    result = k_anonymise(rows, MICRODATA_COLUMNS, k=k)
    seconds = time.perf_counter() - start
    ok = is_k_anonymous(result.rows, MICRODATA_COLUMNS, k)
    classes = Counter(tuple(r[c] for c in MICRODATA_COLUMNS) for r in result.rows)
    print(f"crossroads k_anonymise: {len(rows):,} records, k={k}: {seconds:.2f} s; "
          f"suppressed {result.suppressed:,} ({result.suppression_rate:.2%}); "
          f"levels {result.levels}; {len(classes):,} classes, smallest {min(classes.values())}; "
          f"independent k check: {'pass' if ok else 'FAIL'}")
    return seconds


def anonypy(rows, k):
    """Mondrian (multidimensional local recoding, no suppression) over the same six columns,
    every one a quasi-identifier; anonypy needs a sensitive column, so a constant one is added
    (its rows then stay whole partitions)."""
    import anonypy as peer
    import pandas as pd

    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype(int)
    for column in MICRODATA_COLUMNS:
        if column != "year":
            frame[column] = frame[column].astype("category")
    frame["released"] = "yes"
    start = time.perf_counter()
    out = peer.Preserver(frame, MICRODATA_COLUMNS, "released").anonymize_k_anonymity(k=k)
    seconds = time.perf_counter() - start
    classes = Counter()
    for row in out:
        classes[tuple(str(row[c]) for c in MICRODATA_COLUMNS)] += row["count"]
    released = sum(classes.values())
    print(f"anonypy 0.2.1 (Mondrian): {len(rows):,} records, k={k}: {seconds:.2f} s; "
          f"released {released:,} (suppression {1 - released / len(rows):.2%}); "
          f"{len(classes):,} classes, smallest {min(classes.values())}; k check: "
          f"{'pass' if min(classes.values()) >= k else 'FAIL'}")
    return seconds


def _distance(rows, made, columns) -> float:
    """Total variation distance of the joint distribution of `columns`, synthetic to truth."""
    truth = Counter(tuple(r[c] for c in columns) for r in rows)
    fake = Counter(tuple(r[c] for c in columns) for r in made)
    return sum(abs(truth[v] - fake[v]) for v in truth | fake) / 2 / len(rows)


def synthetic(rows, epsilon):
    """The release's synthesiser (a tree of two-way marginals chosen privately) beside the
    previous one (a public star on the form), on the same records at the same ε."""
    domain = {c: v for c, v in domains().items() if c in MICRODATA_COLUMNS}
    clamped = [clamp(r, domain) for r in rows]
    pairs = [(a, b) for i, a in enumerate(MICRODATA_COLUMNS) for b in MICRODATA_COLUMNS[i + 1:]]
    for method in ("tree", "star"):
        start = time.perf_counter()
        if method == "tree":
            tree = dp.choose_tree(clamped, MICRODATA_COLUMNS, domain, SYNTHETIC_CENTRE,
                                  one_way_epsilon=epsilon * dp.ONE_WAY_SHARE,
                                  selection_epsilon=epsilon * dp.SELECTION_SHARE)
            edges, spent = tree.edges, tree.epsilon
        else:
            edges, spent = dp.star_marginals(MICRODATA_COLUMNS, SYNTHETIC_CENTRE), 0.0
        measured = dp.measure(clamped, edges, domain, epsilon - spent)
        made = dp.synthesise(measured, domain, len(rows))
        with (tempfile.TemporaryDirectory() as folder,
              open(Path(folder) / "synthetic.csv", "w", newline="", encoding="utf-8") as handle):
            writer = csv.DictWriter(handle, MICRODATA_COLUMNS)
            writer.writeheader()
            writer.writerows(made)
        seconds = time.perf_counter() - start
        one_way = {c: _distance(clamped, made, (c,)) for c in MICRODATA_COLUMNS}
        two_way = {pair: _distance(clamped, made, pair) for pair in pairs}
        worst = max(two_way, key=two_way.get)
        print(f"DP synthetic release ({method}): {len(rows):,} rows at "
              f"ε={spent + measured.epsilon:g} (scale {measured.scale:g}), marginals "
              f"{', '.join('×'.join(e) for e in edges)}: {seconds:.2f} s (choose, measure, sample, "
              f"write CSV); total variation distance, one-way: "
              + ", ".join(f"{c} {d:.4f}" for c, d in one_way.items())
              + f"; two-way over {len(pairs)} pairs: mean {sum(two_way.values()) / len(pairs):.4f}, "
              f"worst {two_way[worst]:.4f} ({'×'.join(worst)})", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--k", type=int, default=11)
    parser.add_argument("--epsilon", type=float, default=1.0)
    parser.add_argument("--peer-records", type=int, help="records given to anonypy (default all)")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args(argv)
    rows = records(args.records)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; {len(rows):,} seeded records")
    ours = crossroads(rows, args.k)
    print(f"target < 30 s: {'met' if ours < 30 else 'MISSED'}")
    if not args.no_peer:
        peer_rows = rows[:args.peer_records] if args.peer_records else rows
        if len(peer_rows) != len(rows):
            ours = crossroads(peer_rows, args.k)
        theirs = anonypy(peer_rows, args.k)
        print(f"anonypy / crossroads time on {len(peer_rows):,} records: {theirs / ours:.1f}×")
    synthetic(rows, args.epsilon)


if __name__ == "__main__":
    main()
