"""Exact tests and intervals for counts, without SciPy.

* `poisson_interval`: Garwood's exact interval for a Poisson count, from the chi-square
  (gamma) quantiles: lower = Gamma^-1(a/2; k), upper = Gamma^-1(1 - a/2; k + 1).
* `binomial_two_sided`: the exact two-sided binomial test (the sum of the probabilities of
  every outcome no more likely than the one observed). Conditioned on their sum, two Poisson
  counts compare as a binomial: this is the exact test of two rates.

The regularised incomplete gamma and beta functions follow the classical series and
continued-fraction forms (Numerical Recipes, 6.2 and 6.4), accurate to about 1e-12.
"""

from __future__ import annotations

import math

_EPS = 1e-14
_TINY = 1e-300
_MAX_ITER = 10_000


def _gamma_series(a: float, x: float) -> float:
    term = total = 1.0 / a
    n = a
    for _ in range(_MAX_ITER):
        n += 1
        term *= x / n
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_fraction(a: float, x: float) -> float:
    b = x + 1 - a
    c, d = 1 / _TINY, 1 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def gamma_p(a: float, x: float) -> float:
    """The regularised lower incomplete gamma function P(a, x)."""
    if x <= 0:
        return 0.0
    if x < a + 1:
        return _gamma_series(a, x)
    return 1.0 - _gamma_fraction(a, x)


def _invert(cdf, target: float, low: float, high: float) -> float:
    """The x in [low, high] where the increasing `cdf` reaches `target` (bisection)."""
    while cdf(high) < target:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if cdf(mid) < target:
            low = mid
        else:
            high = mid
        if high - low <= 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def poisson_interval(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Garwood's exact interval for the mean of a Poisson variable observed as `count`."""
    if count < 0:
        raise ValueError("count cannot be negative")
    alpha = 1 - confidence
    lower = 0.0 if count == 0 else _invert(lambda m: gamma_p(count, m), alpha / 2, 0.0,
                                           count + 10.0)
    upper = _invert(lambda m: gamma_p(count + 1, m), 1 - alpha / 2, 0.0, count + 10.0)
    return lower, upper


def _beta_fraction(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (_TINY if abs(d) < _TINY else d)
    h = d
    for m in range(1, _MAX_ITER):
        m2 = 2 * m
        for aa in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                   -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1 + aa * d
            d = 1 / (_TINY if abs(d) < _TINY else d)
            c = 1 + aa / c
            c = _TINY if abs(c) < _TINY else c
            h *= d * c
        if abs(d * c - 1) < _EPS:
            break
    return h


def beta_i(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return beta_i(n - k, k + 1, 1 - p)


def _log_pmf(k: int, n: int, p: float) -> float:
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
            + k * math.log(p) + (n - k) * math.log1p(-p))


def binomial_two_sided(k: int, n: int, p: float = 0.5) -> float:
    """Exact two-sided p-value of observing `k` of `n` under Binomial(n, p): the total
    probability of the outcomes no more likely than `k` (the "minimum likelihood" method)."""
    if not 0 <= k <= n:
        raise ValueError("k must lie between 0 and n")
    if n == 0:
        return 1.0
    observed = _log_pmf(k, n, p) + 1e-7  # tolerance for ties, as R's binom.test
    mode = int((n + 1) * p)
    if k <= mode:
        # the outcomes on the other side of the mode at most as likely as k: the first j
        # above the mode with pmf(j) <= pmf(k) (pmf decreases there), found by bisection
        low, high = max(mode, k), n + 1
        while low < high:
            mid = (low + high) // 2
            if _log_pmf(mid, n, p) <= observed:
                high = mid
            else:
                low = mid + 1
        tail = 1 - binomial_cdf(low - 1, n, p) if low <= n else 0.0
        return min(1.0, binomial_cdf(k, n, p) + tail)
    low, high = -1, min(mode, k)
    while low < high:
        mid = (low + high + 1) // 2
        if _log_pmf(mid, n, p) <= observed:
            low = mid
        else:
            high = mid - 1
    head = binomial_cdf(low, n, p) if low >= 0 else 0.0
    return min(1.0, head + 1 - binomial_cdf(k - 1, n, p))
