"""`crossroads report seed-figures` on a seeded demo."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Q

from crossroads.registry.models import ExploitationRecord
from crossroads.statistics.figures import PublishedFigures, comparison, seed_figures


@pytest.fixture
def demo(db, tmp_path):
    call_command("demo", seed=4, cases=300, logins=str(tmp_path / "logins.json"), stdout=io.StringIO())


def test_seed_figures_match_the_records(demo):
    figures = seed_figures()
    in_period = ExploitationRecord.objects.filter(year_of_registration__range=(2018, 2023))
    labour = Q(form_forced_labour=True) | Q(form_forced_begging=True) | Q(form_forced_criminality=True)
    for year in range(2018, 2024):
        victims = (in_period.filter(labour, year_of_registration=year)
                   .values("person").distinct().count())
        assert figures.labour_per_year[year] == victims
    assert figures.labour_total == sum(figures.labour_per_year.values()) > 0
    assert figures.labour_min <= figures.labour_mean <= figures.labour_max
    assert figures.victims == in_period.values("year_of_registration", "person").distinct().count()
    assert figures.begging == in_period.filter(form_forced_begging=True).values(
        "year_of_registration", "person").distinct().count()
    assert figures.minors == in_period.filter(is_minor=True).values(
        "year_of_registration", "person").distinct().count()
    # The demo draws forms with the paper's shares: the recomputed shares come near them.
    assert abs(figures.share(figures.sexual) - 49) < 10
    assert abs(figures.share(figures.begging) - 27) < 10
    assert abs(figures.share(figures.other_labour) - 16.5 - 3) < 10   # + forced criminality 3 %


def test_report_prints_node_and_paper_values(demo):
    out = io.StringIO()
    call_command("report", "seed-figures", stdout=out)
    text = out.getvalue()
    figures = seed_figures()
    assert re.search(rf"total\s+{figures.labour_total}\s+n/p\s+767", text)
    span = f"{figures.labour_min}-{figures.labour_max}"
    assert re.search(rf"range \(lowest-highest year\)\s+{span}\s+n/p\s+83-173", text)
    assert re.search(rf"mean per year\s+{figures.labour_mean:.1f}\s+n/p\s+128", text)
    assert re.search(rf"sexual exploitation\s+{figures.share(figures.sexual):.1f}%\s+n/p\s+49.0%",
                     text)
    assert re.search(r"forced begging\s+[\d.]+%\s+n/p\s+27.0%", text)
    assert re.search(r"other labour exploitation\s+[\d.]+%\s+n/p\s+16.5%", text)
    assert re.search(r"share of minors\s+[\d.]+%", text)
    for year in range(2018, 2024):
        assert re.search(rf"^\s+{year}\s+{figures.labour_per_year[year]}\s+n/p$", text, re.M)


def test_report_for_one_jurisdiction_and_other_years(demo):
    out = io.StringIO()
    call_command("report", "seed-figures", "--from", "2020", "--to", "2021", "--jurisdiction", "rs",
                 stdout=out)
    figures = seed_figures(2020, 2021, "RS")
    assert list(figures.labour_per_year) == [2020, 2021]
    text = out.getvalue()
    assert re.search(rf"total\s+{figures.labour_total}\s+n/p\s+-$", text, re.M)
    assert figures.victims < seed_figures(2020, 2021).victims
    # Serbia published 48 victims for 2020 and nothing for 2021; one jurisdiction is not compared
    # with the paper's regional figures.
    assert re.search(rf"^\s+2020\s+{figures.victims_per_year[2020]}\s+48$", text, re.M)
    assert re.search(rf"^\s+2021\s+{figures.victims_per_year[2021]}\s+-$", text, re.M)
    assert "a single jurisdiction is not compared" in text
    assert "RS 2020: 48 (officially identified victims" in text and "RS 2019" not in text


def test_the_published_column_sums_the_shipped_figures_with_their_sources(demo):
    out = io.StringIO()
    call_command("report", "seed-figures", stdout=out)
    text = out.getvalue()
    figures = seed_figures()
    # From the shipped jurisdictions.yaml: 2019 and 2020 published by all six; 2018 by five
    # (Serbia missing), 2021 by four, 2022 by three, 2023 by none.
    expected = {2018: "159 \\(5/6\\)", 2019: "356", 2020: "286", 2021: "245 \\(4/6\\)",
                2022: "157 \\(3/6\\)", 2023: "-"}
    for year, cell in expected.items():
        assert re.search(rf"^\s+{year}\s+{figures.victims_per_year[year]}\s+{cell}$", text, re.M)
    assert figures.victims == sum(figures.victims_per_year.values())
    assert re.search(r"^figure\s+node\s+published\s+seed paper$", text, re.M)
    assert "no jurisdiction published a figure for 2023" in text
    assert "321 victims a year on average" in text and "agrees within 25 %" in text
    assert "ME 2019: 124 (39 official + 85 potential; TIP 2020) https://www.state.gov/" in text
    assert "jurisdictions.yaml sha256:" in text


def test_a_published_year_below_the_papers_labour_minimum_is_called_a_disagreement():
    published = PublishedFigures(jurisdictions=["AL", "BA", "XK", "ME", "MK", "RS"],
                                 victims_per_year={2018: 40, 2019: 300, 2020: None},
                                 reporting={2018: ["AL", "BA", "XK", "ME", "MK", "RS"],
                                            2019: ["AL", "BA", "XK", "ME", "MK", "RS"], 2020: []})
    lines = "\n".join(comparison(published))
    assert "DISAGREES: 2018: 40 victims of all forms published, fewer than the paper's lowest" in lines
    assert "2019" not in lines.split("DISAGREES: 2018")[1].split("\n")[0]
    assert "no jurisdiction published a figure for 2020, 2021, 2022, 2023" in lines
    assert "170 victims a year on average" in lines and "DISAGREES by more than 25 %" in lines
