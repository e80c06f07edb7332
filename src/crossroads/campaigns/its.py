"""Interrupted time series of monthly counts: segmented regression with Newey-West standard
errors, for one series and for the difference between campaign areas and areas without a
campaign. Pure functions over lists of numbers; statsmodels is imported inside `fit` (start-up
time of every process that loads this module matters).

The model of one series y_t (t = 0..n-1 months, the campaign starting at month t0):

    y_t = b0 + b1 t + b2 D_t + b3 (t - t0) D_t + e_t,   D_t = 1 from t0 on

b2 is the change of level when the campaign starts, b3 the change of slope (per month) from
then on. The comparative model fits the same to d_t = y_t - c_t, where c_t is the mean count
per area of the areas without a campaign (y_t likewise the mean per campaign area): b2 and b3
are then the differences between the two groups' changes, exactly the interaction terms of the
fully interacted model of both series, with their own pre-campaign level and trend (b0, b1),
so the groups need not start alike, only move alike but for the campaign. Standard errors are
HAC (Newey-West, Bartlett kernel) with floor(4 (n/100)^(2/9)) lags, at least one (counts of
neighbouring months are correlated), with the small-sample correction, and the intervals and
p-values come from Student's t with n - 4 degrees of freedom: in series of a few dozen months
Newey-West errors are known to be too small, so the intervals are still somewhat narrow
(docs/campaigns.md)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_BEFORE = 6   # months before the start needed for a pre-campaign trend worth the name
MIN_AFTER = 3    # months from the start on


@dataclass(frozen=True)
class Estimate:
    value: float
    se: float
    p_value: float
    low: float    # the 95 % interval, from Student's t with n - 4 degrees of freedom
    high: float

    @property
    def significant(self) -> bool:
        """The 95 % interval excludes zero."""
        return self.p_value < 0.05


@dataclass(frozen=True)
class Fit:
    months: int
    start: int             # index of the first campaign month
    lags: int
    baseline: Estimate     # b0: level at t = 0
    trend: Estimate        # b1: slope before the campaign, per month
    level_change: Estimate
    slope_change: Estimate


class TooShort(ValueError):
    """The series gives too few months before or after the start for the model."""


def newey_west_lags(n: int) -> int:
    return max(1, math.floor(4 * (n / 100) ** (2 / 9)))


def fit(series: Sequence[float], start: int) -> Fit:
    """Segmented regression of `series` with the intervention at index `start`."""
    import numpy as np
    import statsmodels.api as sm

    n = len(series)
    if start < MIN_BEFORE or n - start < MIN_AFTER:
        raise TooShort(f"need {MIN_BEFORE} months before and {MIN_AFTER} from the start, "
                       f"got {start} and {n - start}")
    t = np.arange(n, dtype=float)
    after = (t >= start).astype(float)
    design = np.column_stack([np.ones(n), t, after, (t - start) * after])
    y = np.asarray(series, dtype=float)
    lags = newey_west_lags(n)
    # Student's t (use_t) and the small-sample correction: Newey-West errors are too small in
    # series of a few dozen months, and normal intervals would make that worse.
    result = sm.OLS(y, design).fit(cov_type="HAC", use_t=True,
                                   cov_kwds={"maxlags": lags, "use_correction": True})
    params, ses, ps = result.params, result.bse, result.pvalues
    intervals = result.conf_int(alpha=0.05)

    def estimate(i: int) -> Estimate:
        value, se, p = float(params[i]), float(ses[i]), float(ps[i])
        low, high = float(intervals[i][0]), float(intervals[i][1])
        if not math.isfinite(se) or not math.isfinite(p):  # a perfectly fitted series
            se, p, low, high = 0.0, (1.0 if abs(value) < 1e-9 else 0.0), value, value
        return Estimate(value, se, p, low, high)

    return Fit(n, start, lags, estimate(0), estimate(1), estimate(2), estimate(3))


def difference(treated: Sequence[float], controls: Sequence[float]) -> list[float]:
    return [a - b for a, b in zip(treated, controls, strict=True)]


def per_area(totals: Sequence[int], areas: int) -> list[float]:
    return [value / areas for value in totals] if areas else []
