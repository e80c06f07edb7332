"""The server-side choropleth: six shapes, classes that cover every value once, suppressed
values hatched."""

from crossroads.statistics.choropleth import choropleth_svg, classes, shapes


def test_the_six_jurisdictions_are_shipped():
    assert sorted(shapes()) == ["AL", "BA", "ME", "MK", "RS", "XK"]


def test_classes_cover_each_value_once():
    css, legend = classes({"AL": 15, "RS": 1, "XK": 3, "ME": None, "MK": 0})
    assert [item.label for item in legend[:5]] == ["1–3", "4–6", "7–9", "10–12", "13–15"]
    assert (css["AL"], css["RS"], css["XK"]) == ("map-c4", "map-c0", "map-c0")
    assert css["ME"] == "map-suppressed" and css["MK"] == "map-none" and css["BA"] == "map-none"


def test_svg_has_a_titled_path_per_jurisdiction():
    svg, _legend = choropleth_svg({"AL": 12, "RS": None}, "Victims")
    assert svg.count("<path ") == 6 and 'role="img" aria-label="Victims"' in svg
    assert "<title>Serbia: suppressed</title>" in svg and "<title>Albania: 12</title>" in svg
