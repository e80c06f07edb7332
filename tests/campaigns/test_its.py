"""The interrupted time series on synthetic series: a known change is recovered, no change
shows none, and the comparison with areas without a campaign removes what both share."""

import random

import pytest

from crossroads.campaigns import its


def _series(n, start, *, base=20.0, trend=0.3, level=0.0, slope=0.0, noise=1.0, seed=1):
    rng = random.Random(seed)
    return [base + trend * t + (level + slope * (t - start) if t >= start else 0.0)
            + rng.gauss(0, noise) for t in range(n)]


def test_a_known_change_of_level_and_slope_is_recovered():
    fit = its.fit(_series(36, 18, level=8.0, slope=0.5), 18)
    assert fit.level_change.low < 8.0 < fit.level_change.high
    assert fit.slope_change.low < 0.5 < fit.slope_change.high
    assert fit.level_change.significant and fit.slope_change.significant
    assert abs(fit.trend.value - 0.3) < 0.15


def test_a_series_without_a_change_shows_none():
    found = 0
    for seed in range(40):
        fit = its.fit(_series(36, 18, seed=seed), 18)
        found += fit.level_change.significant
    # At the 5 % level about 2 of 40 may show a change by chance; HAC errors in short
    # series are a little liberal, so allow a few more, never most.
    assert found <= 8


def test_the_difference_removes_a_change_both_groups_share():
    """A shock at the start in every area (a holiday, a new hotline number) is no campaign
    effect: treated and controls both jump; their difference does not."""
    found, estimates = 0, []
    for seed in range(20):
        treated = _series(30, 15, level=6.0, seed=seed)
        controls = _series(30, 15, base=12.0, trend=0.1, level=6.0, seed=100 + seed)
        alone = its.fit(treated, 15)
        both = its.fit(its.difference(treated, controls), 15)
        assert alone.level_change.significant and alone.level_change.value > 3
        estimates.append(both.level_change.value)
        found += both.level_change.significant
    assert abs(sum(estimates) / len(estimates)) < 1  # unbiased: the shared jump is gone
    assert found <= 4  # chance at the 5 % level (Newey-West in 30 months is a little liberal)


def test_the_difference_recovers_the_campaign_s_own_change():
    treated = _series(30, 15, level=10.0, seed=5)
    controls = _series(30, 15, base=15.0, seed=6)
    both = its.fit(its.difference(treated, controls), 15)
    assert both.level_change.low < 10.0 < both.level_change.high
    assert both.level_change.significant


def test_a_constant_series_gives_finite_answers():
    fit = its.fit([3.0] * 24, 12)
    assert fit.level_change.value == pytest.approx(0, abs=1e-9)
    assert fit.level_change.p_value <= 1


def test_too_short_a_series_is_refused():
    with pytest.raises(its.TooShort):
        its.fit([1.0] * 10, 3)
    with pytest.raises(its.TooShort):
        its.fit([1.0] * 10, 9)


def test_newey_west_lags_follow_the_rule():
    assert its.newey_west_lags(24) == 2
    assert its.newey_west_lags(100) == 4
    assert its.newey_west_lags(3) == 1


def test_statsmodels_is_not_imported_at_start_up():
    import subprocess
    import sys
    code = "import crossroads.campaigns.its, sys; print('statsmodels' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
