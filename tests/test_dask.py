"""GridSearchCV of PatchForecaster on a dask cluster equals the same search run
in-process, and every worker limits torch to its share of threads."""

import joblib
import numpy as np
import pytest
from helpers import tiny
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sktime_patches import PatchForecaster, make_windows

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.dask

HORIZON = 8
GRID = {"patch_len": [4, 8]}


def _search() -> GridSearchCV:
    t = np.arange(360)
    rng = np.random.default_rng(0)
    series = np.sin(2 * np.pi * t / 24) + 0.05 * rng.normal(size=len(t))
    X, y = make_windows(series, lookback=48, horizon=HORIZON)
    model = PatchForecaster(
        **tiny(patch_len=8, d_model=16, hidden_size=16, batch_size=64, max_epochs=2),
        n_jobs=1,  # one torch thread per fit, in a worker or in this process
    )
    search = GridSearchCV(
        model, GRID, cv=TimeSeriesSplit(n_splits=2, gap=HORIZON), n_jobs=-1
    )
    return search, X.copy(), y.reshape(len(y), -1).copy()


def _torch_threads_in_a_fit() -> tuple[int, int]:
    """torch's thread count in a worker: as started, and inside a fit."""
    import torch

    from sktime_patches._training.runtime import torch_threads

    before = torch.get_num_threads()
    with torch_threads(1):
        during = torch.get_num_threads()
    return before, during


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_grid_search_on_dask_equals_in_process(client):
    threads = client.run(_torch_threads_in_a_fit)
    assert len(threads) == 2
    # dask's nanny starts workers with OMP_NUM_THREADS=threads_per_worker, and
    # PatchForecaster(n_jobs=1) holds torch to one thread inside fit and predict
    assert set(threads.values()) == {(1, 1)}

    search, X, y = _search()
    with distributed.get_task_stream(client) as stream:
        with joblib.parallel_backend("dask"):
            search.fit(X, y)
    workers = {task["worker"] for task in stream.data}
    assert workers and workers <= set(threads)  # the fits ran on the cluster

    reference, X, y = _search()
    reference.set_params(n_jobs=1).fit(X, y)

    assert search.best_params_ == reference.best_params_
    for key in ("mean_test_score", "split0_test_score", "split1_test_score"):
        np.testing.assert_allclose(
            search.cv_results_[key], reference.cv_results_[key], rtol=0, atol=0
        )
    np.testing.assert_array_equal(search.predict(X), reference.predict(X))
