"""`crossroads report seed-figures` on a seeded demo."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Q

from crossroads.registry.models import ExploitationRecord
from crossroads.statistics.figures import seed_figures


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
    assert re.search(rf"total\s+{figures.labour_total}\s+767", text)
    span = f"{figures.labour_min}-{figures.labour_max}"
    assert re.search(rf"range \(lowest-highest year\)\s+{span}\s+83-173", text)
    assert re.search(rf"mean per year\s+{figures.labour_mean:.1f}\s+128", text)
    assert re.search(rf"sexual exploitation\s+{figures.share(figures.sexual):.1f}%\s+49.0%", text)
    assert re.search(r"forced begging\s+[\d.]+%\s+27.0%", text)
    assert re.search(r"other labour exploitation\s+[\d.]+%\s+16.5%", text)
    assert re.search(r"share of minors\s+[\d.]+%", text)
    for year in range(2018, 2024):
        assert re.search(rf"^\s+{year}\s+{figures.labour_per_year[year]}$", text, re.M)


def test_report_for_one_jurisdiction_and_other_years(demo):
    out = io.StringIO()
    call_command("report", "seed-figures", "--from", "2020", "--to", "2021", "--jurisdiction", "rs",
                 stdout=out)
    figures = seed_figures(2020, 2021, "RS")
    assert list(figures.labour_per_year) == [2020, 2021]
    assert re.search(rf"total\s+{figures.labour_total}\s+-$", out.getvalue(), re.M)
    assert figures.victims < seed_figures(2020, 2021).victims
