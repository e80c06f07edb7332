"""A deduplication set with little diversity: the input that made dedupe memory unbounded.

One district's register: 12 given names, 8 family names, 3 places, birth years over
a decade and mostly recorded as the year only, no documents. Every blocking rule then
meets blocks of thousands of records (hundreds of millions of pairs under the tight
rules at 300,000 records); `crossroads dedupe` must cap them and stay within its pair
budget. People are recorded one to three times, exactly, so the truth is known.
"""

import random
from itertools import combinations
from pathlib import Path

from layout import write_records, write_truth

_GIVEN = {
    "M": ["Arben", "Ilir", "Besnik", "Driton", "Agron", "Luan"],
    "F": ["Drita", "Besa", "Teuta", "Vjosa", "Arta", "Hana"],
}
_FAMILY = ["Krasniqi", "Gashi", "Berisha", "Hoxha", "Shala", "Morina", "Bytyqi", "Hoti"]
_PLACES = ["Prizren", "Suharekë", "Rahovec"]


def write_low_diversity_set(directory: Path, size: int = 300_000, seed: int = 5) -> dict:
    rng = random.Random(seed)
    records, truth, person = [], [], 0
    while len(records) < size:
        sex = rng.choice("MF")
        year = rng.randint(1990, 1999)
        birth = (
            str(year) if rng.random() < 0.7 else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        base = {
            "given_name": rng.choice(_GIVEN[sex]),
            "family_name": rng.choice(_FAMILY),
            "father_name": rng.choice(_GIVEN["M"]) if rng.random() < 0.5 else "",
            "sex": sex,
            "birth_date": birth,
            "birth_place": rng.choice(_PLACES),
            "citizenship": "XK",
            "document_number": "",
        }
        ids = [f"D{len(records) + k:07d}" for k in range(rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0])]
        records.extend({**base, "id": record_id} for record_id in ids)
        truth.extend(combinations(ids, 2))
        person += 1
    paths = {
        "input": directory / f"low_diversity_{size}.csv",
        "truth": directory / f"low_diversity_{size}_truth.csv",
    }
    write_records(paths["input"], records)
    write_truth(paths["truth"], truth)
    return paths
