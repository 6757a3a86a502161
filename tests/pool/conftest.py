"""Fixtures of the pool tests: the bundled Seattle sample and small pools closed after each test."""

import pandas as pd
import pytest

from app.pool import TrainingPool
from data_sources.samples import load_sample


@pytest.fixture(scope="module")
def seattle() -> pd.DataFrame:
    return load_sample("seattle-2012-2015")


@pytest.fixture
def make_pool():
    pools = []

    def make(workers: int, **kwargs) -> TrainingPool:
        pools.append(TrainingPool(workers=workers, **kwargs))
        return pools[-1]

    yield make
    for pool in pools:
        pool.close()
