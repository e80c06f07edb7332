"""The exact intervals and tests against published values (Garwood 1936 tables, R's
poisson.test / binom.test)."""

import math

import pytest

from crossroads.statistics.exact import binomial_two_sided, poisson_interval


@pytest.mark.parametrize(("count", "low", "high"), [
    (0, 0.0, 3.688879),
    (1, 0.025318, 5.571643),
    (5, 1.623486, 11.668332),
    (10, 4.795389, 18.390356),
    (100, 81.363991, 121.626794),
])
def test_garwood_interval(count, low, high):
    got = poisson_interval(count)
    assert got == pytest.approx((low, high), abs=1e-5)


def test_interval_is_narrow_for_large_counts():
    low, high = poisson_interval(200_000)
    assert low < 200_000 < high and high - low == pytest.approx(2 * 1.959964 * 200_000 ** 0.5,
                                                               rel=1e-3)


@pytest.mark.parametrize(("k", "n", "p", "expected"), [
    (3, 10, 0.5, 0.34375),
    (7, 10, 0.5, 0.34375),
    (0, 10, 0.5, 0.001953125),
    (5, 10, 0.5, 1.0),
    (60, 100, 0.5, 0.05688793),
    (30, 40, 0.5, 0.00222143),
])
def test_binomial_two_sided(k, n, p, expected):
    assert binomial_two_sided(k, n, p) == pytest.approx(expected, abs=1e-7)


@pytest.mark.parametrize(("n", "p"), [(20, 0.3), (37, 0.5), (50, 0.8)])
def test_binomial_matches_summing_the_probabilities(n, p):
    pmf = [math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(n + 1)]
    for k in range(n + 1):
        brute = sum(q for q in pmf if q <= pmf[k] * (1 + 1e-7))
        assert binomial_two_sided(k, n, p) == pytest.approx(min(1.0, brute), abs=1e-9)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        poisson_interval(-1)
    with pytest.raises(ValueError):
        binomial_two_sided(11, 10)
