import pytest

from crossroads.monitor import services


@pytest.fixture
def catalogue(db):
    """The shipped catalogue (src/crossroads/monitor/data/obligations.yaml), loaded."""
    return services.load_catalogue()
