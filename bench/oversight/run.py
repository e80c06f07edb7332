"""`python bench/oversight/run.py [--tune-seed 1] [--test-seed 2] [--users 1000]`: build the
insider scenario on each seed, run the alert rules with the default thresholds, print per kind
the recall (insiders of that kind caught by an alert of that kind), the precision (alerts of
that kind whose subject did that kind's behaviour) and the false alerts (alerts about an
account that did nothing of any kind) per 1,000 users per month. The thresholds were tuned on
the tune seed only; the test seed is held out."""

import argparse
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crossroads.settings.test")
django.setup()

from bench.oversight.scenario import DAYS, KINDS, build  # noqa: E402
from crossroads.oversight import detection  # noqa: E402


def evaluate(seed: int, users: int) -> dict:
    started = time.perf_counter()
    world = build(seed, users=users)
    built = time.perf_counter() - started
    started = time.perf_counter()
    found = detection.run(world.entries, world.ctx, detection.thresholds())
    ran = time.perf_counter() - started
    rows = {}
    for kind in KINDS:
        alerts = [f for f in found if f.kind == kind]
        if kind == "many_readers":
            caught = {f.person_id for f in alerts}
            truth = set(world.targets)
            true_alerts = [f for f in alerts if f.person_id in truth]
        else:
            caught = {f.actor_id for f in alerts}
            truth = {u for u, kinds in world.labels.items() if kind in kinds}
            true_alerts = [f for f in alerts if f.actor_id in truth]
        cast = set(world.cast[kind])
        rows[kind] = {
            "insiders": len(cast), "caught": len(cast & caught),
            "recall": len(cast & caught) / len(cast) if cast else float("nan"),
            "alerts": len(alerts),
            "precision": len(true_alerts) / len(alerts) if alerts else float("nan"),
        }
    innocent = [f for f in found if f.kind != "many_readers" and not world.labels.get(f.actor_id)]
    normal_users = users - len(world.labels)
    months = DAYS / 30
    return {"rows": rows, "false_per_1000": len(innocent) / (normal_users / 1000) / months,
            "false": len(innocent), "entries": len(world.entries), "normal": normal_users,
            "build_s": built, "rules_s": ran, "alerts": len(found)}


def show(name: str, seed: int, result: dict) -> None:
    print(f"\n## {name} (seed {seed}): {result['entries']:,} entries, "
          f"{result['normal']} ordinary users, {result['alerts']} alerts; "
          f"scenario {result['build_s']:.1f} s, rules {result['rules_s']:.1f} s")
    print("| kind | insiders | caught | recall | alerts | precision |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, r in result["rows"].items():
        print(f"| {kind} | {r['insiders']} | {r['caught']} | {r['recall']:.2f} | {r['alerts']} "
              f"| {r['precision']:.2f} |")
    print(f"\nfalse alerts (about accounts that did nothing of any kind): {result['false']}, "
          f"{result['false_per_1000']:.2f} per 1,000 users per month")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tune-seed", type=int, default=1)
    parser.add_argument("--test-seed", type=int, default=2)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--only-tune", action="store_true")
    args = parser.parse_args()
    print("thresholds:", detection.thresholds())
    show("tuning set", args.tune_seed, evaluate(args.tune_seed, args.users))
    if not args.only_tune:
        show("held-out set", args.test_seed, evaluate(args.test_seed, args.users))


if __name__ == "__main__":
    main()
