"""Retrain the model shipped in src/crossroads/linkage/data/ by EM on synthetic data.

    python bench/linkage/train_default_model.py [--records 30000] [--seed 99]

The training set is a seeded synthetic Balkan deduplication set (different seed from
the benchmark sets), so no real person's data goes into the shipped model.
"""

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from balkan_data import write_dedupe_set  # noqa: E402

from crossroads.linkage.csv_io import read_records  # noqa: E402
from crossroads.linkage.database import feature_table  # noqa: E402
from crossroads.linkage.model import DEFAULT_MODEL_FILE, train  # noqa: E402
from crossroads.linkage.records import RecordError, features_with_errors  # noqa: E402

TARGET = HERE.parents[1] / "src" / "crossroads" / "linkage" / "data" / DEFAULT_MODEL_FILE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30000)
    parser.add_argument("--seed", type=int, default=99)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        paths = write_dedupe_set(Path(directory), options.records, seed=options.seed)
        rows = (
            item
            for item in features_with_errors(read_records(paths["input"]))
            if not isinstance(item, RecordError)
        )
        model = train(feature_table(rows))
    model.save(TARGET)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
