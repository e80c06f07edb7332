"""Shared fixtures for the linkage tests: synthetic people and a model loaded once."""

import random
import sys
from pathlib import Path

import pytest

try:
    import crossroads  # noqa: F401
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from crossroads.demo.names import random_name, record_variant  # noqa: E402
from crossroads.linkage.model import default_model  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def model():
    return default_model()


def synthetic_records(people: int, seed: int) -> tuple[list[dict], set[tuple[str, str]]]:
    """Each synthetic person recorded twice, by officers of two jurisdictions."""
    rng = random.Random(seed)
    records, truth = [], set()
    for person in range(people):
        home = rng.choice(("AL", "XK", "RS", "MK", "ME", "BA"))
        sex = rng.choice("MF")
        name = random_name(rng, home, sex)
        birth = f"{rng.randint(1960, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        passport = f"P{rng.randrange(10**7):07d}"
        ids = []
        for copy, recorder in enumerate((home, rng.choice(("AL", "XK", "RS", "MK")))):
            variant = record_variant(rng, name, recorder, sex, typo_rate=0.1)
            ids.append(f"p{person}-{copy}")
            records.append(
                {
                    "id": ids[-1],
                    "given_name": variant.given_name,
                    "family_name": variant.family_name,
                    "father_name": variant.father_name,
                    "sex": sex,
                    "birth_date": birth if rng.random() < 0.9 else birth[:4],
                    "birth_place": "",
                    "citizenship": home,
                    "document_number": passport if rng.random() < 0.6 else "",
                }
            )
        truth.add(tuple(ids))
    return records, truth
