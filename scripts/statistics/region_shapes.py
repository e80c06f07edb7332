"""Regenerate `src/crossroads/statistics/data/region.geojson`: the six jurisdictions' outlines,
taken from the npm package `world-atlas` (Natural Earth 1:50m admin-0 countries as TopoJSON;
the 1:50m set is the smallest that has Kosovo).

    python scripts/statistics/region_shapes.py                 # npm pack world-atlas@2.0.2
    python scripts/statistics/region_shapes.py --package DIR   # an unpacked package/ folder

The TopoJSON arcs are decoded here (delta-encoded, quantised), the six countries' rings are
assembled, and coordinates are rounded to 0.001 degree (about 100 m), which is finer than the
1:50m source.
"""

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

VERSION = "2.0.2"
# Natural Earth's names in world-atlas -> the jurisdiction codes of Crossroads.
NAMES = {"Albania": "AL", "Bosnia and Herz.": "BA", "Kosovo": "XK", "Montenegro": "ME",
         "Macedonia": "MK", "Serbia": "RS"}
OUT = Path(__file__).resolve().parents[2] / "src/crossroads/statistics/data/region.geojson"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes) -> list[list[float]]:
    """A ring from arc indexes (a negative index ~i is arc i reversed); shared end points once."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return [[round(x, 3), round(y, 3)] for x, y in points]


def extract(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = NAMES.get(geometry.get("properties", {}).get("name"))
        if code is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        features.append({"type": "Feature", "properties": {"code": code},
                         "geometry": {"type": "MultiPolygon", "coordinates": [
                             [ring(arcs, r) for r in polygon] for polygon in polygons]}})
    found = {f["properties"]["code"] for f in features}
    if found != set(NAMES.values()):
        raise SystemExit(f"missing shapes: {sorted(set(NAMES.values()) - found)}")
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection",
            "source": f"world-atlas {VERSION} countries-50m.json (Natural Earth 4.1.0, 1:50m)",
            "features": features}


def unpacked_package(tmp: Path) -> Path:
    subprocess.run(["npm", "pack", f"world-atlas@{VERSION}"], cwd=tmp, check=True,  # noqa: S603, S607 (fixed arguments)
                   capture_output=True)
    with tarfile.open(tmp / f"world-atlas-{VERSION}.tgz") as archive:
        archive.extractall(tmp, filter="data")
    return tmp / "package"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="an unpacked world-atlas package folder")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or unpacked_package(Path(tmp))
        topology = json.loads((package / "countries-50m.json").read_text())
    args.out.write_text(json.dumps(extract(topology), separators=(",", ":")) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
