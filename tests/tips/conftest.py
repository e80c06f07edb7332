import pytest

from crossroads.tips import limits


@pytest.fixture(autouse=True)
def _fresh_budgets():
    """Each test starts with the whole in-memory budget (it is per process)."""
    limits.LIMITER.reset()
    yield
    limits.LIMITER.reset()
