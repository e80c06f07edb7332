"""A choropleth of the six jurisdictions drawn on the server as SVG (no script needed).

The outlines come from `data/region.geojson` (Natural Earth via world-atlas, see the data
README). The projection is equirectangular, with longitudes shrunk by the cosine of the
region's middle latitude so that the shapes keep their proportions at this size. Values fall
into at most five classes of equal width; a suppressed value is drawn hatched and a
jurisdiction without a value blank. The table next to the map is the truth; the map repeats it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from crossroads.access.choices import JURISDICTION_NAMES

SHAPES = Path(__file__).with_name("data") / "region.geojson"
WIDTH = 360
CLASSES = 5


@cache
def shapes() -> dict[str, list]:
    """Jurisdiction code -> polygons (lists of rings of (lon, lat))."""
    data = json.loads(SHAPES.read_text())
    return {f["properties"]["code"]: f["geometry"]["coordinates"] for f in data["features"]}


@dataclass
class LegendClass:
    css: str
    label: str


def _projection():
    points = [p for polygons in shapes().values() for polygon in polygons for ring in polygon
              for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = WIDTH / ((max(lons) - min(lons)) * shrink)
    height = (max(lats) - min(lats)) * scale

    def project(lon, lat):
        return (lon - min(lons)) * shrink * scale, (max(lats) - lat) * scale

    return project, height


def _path(polygons, project) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            xy = [project(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


def classes(values: dict[str, int | None]) -> tuple[dict[str, str], list[LegendClass]]:
    """CSS class per jurisdiction and the legend: classes of equal width, class i holding the
    values i * width + 1 to (i + 1) * width."""
    shown = [v for v in values.values() if v is not None]
    top = max(shown, default=0)
    width = max(1, math.ceil(top / CLASSES)) if top else 1
    n = min(CLASSES, max(1, math.ceil(top / width))) if top else 1
    legend = [LegendClass(f"map-c{i}", f"{i * width + 1}–{(i + 1) * width}") for i in range(n)]
    legend.append(LegendClass("map-suppressed", _("suppressed (small count)")))
    legend.append(LegendClass("map-none", _("no victims recorded")))
    css = {}
    for code in shapes():
        value = values.get(code, 0)
        if value is None:
            css[code] = "map-suppressed"
        elif value == 0:
            css[code] = "map-none"
        else:
            css[code] = f"map-c{min(n - 1, (value - 1) // width)}"
    return css, legend


def choropleth_svg(values: dict[str, int | None], title: str) -> tuple[SafeString, list[LegendClass]]:
    """The map (an <svg> with a <title> per jurisdiction) and its legend."""
    project, height = _projection()
    css, legend = classes(values)

    def label(code):
        value = values.get(code, 0)
        shown = _("suppressed") if value is None else str(value)
        return f"{JURISDICTION_NAMES.get(code, code)}: {shown}"

    paths = format_html_join("", '<path class="{}" d="{}"><title>{}</title></path>', (
        (css[code], _path(polygons, project), label(code)) for code, polygons in shapes().items()))
    svg = format_html(
        '<svg class="choropleth" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        '<defs><pattern id="map-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" class="map-hatch-ground"/>'
        '<line x1="0" y1="0" x2="0" y2="6" class="map-hatch-line"/></pattern></defs>{}</svg>',
        WIDTH, f"{height:.0f}", title, paths)
    return svg, legend
