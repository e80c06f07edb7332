"""The reference files shipped in the package (data/): the obligation catalogue and the
jurisdictions' published figures, copied from the shared reference by
scripts/monitor/refresh_reference.py. Read only from here: the node never reads outside its
package."""

import hashlib
from pathlib import Path

DATA = Path(__file__).parent / "data"
OBLIGATIONS = DATA / "obligations.yaml"
JURISDICTIONS = DATA / "jurisdictions.yaml"
SOURCES = DATA / "SOURCES.md"
REQUIRED = ("id", "instrument", "article", "pillar", "obligation", "check", "verification")
# The keys of jurisdictions.yaml by the codes the node uses.
CODES = {"AL": "albania", "BA": "bosnia_and_herzegovina", "XK": "kosovo", "ME": "montenegro",
         "MK": "north_macedonia", "RS": "serbia"}


def _load(path: Path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def obligations(path=None) -> tuple[list[dict], str]:
    """The entries of the catalogue file and a name of the source (file and digest)."""
    path = Path(path or OBLIGATIONS)
    entries = (_load(path) or {}).get("obligations") or []
    seen = set()
    for number, entry in enumerate(entries, 1):
        missing = [name for name in REQUIRED if not entry.get(name)]
        if missing:
            raise ValueError(f"{path.name}: entry {number} lacks {', '.join(missing)}")
        if entry["id"] in seen:
            raise ValueError(f"{path.name}: {entry['id']} appears twice")
        seen.add(entry["id"])
    return entries, f"{path.name} sha256:{digest(path)[:12]}"


def jurisdictions(path=None) -> dict:
    return (_load(Path(path or JURISDICTIONS)) or {}).get("jurisdictions") or {}
