"""Bundled datasets: shape, index, frequency, and equality with the source files."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sktime_patches.datasets import load_etth1, load_ili

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


@pytest.mark.parametrize(
    ("loader", "shape", "freq", "first", "last"),
    [
        (load_ili, (966, 7), "W-TUE", "2002-01-01", "2020-06-30"),
        (load_etth1, (17420, 7), "h", "2016-07-01 00:00", "2018-06-26 19:00"),
    ],
)
def test_loader_shape_and_index(loader, shape, freq, first, last):
    df = loader()
    assert df.shape == shape
    assert isinstance(df.index, pd.DatetimeIndex) and df.index.freqstr == freq
    assert df.index[0] == pd.Timestamp(first) and df.index[-1] == pd.Timestamp(last)
    assert df.index.is_monotonic_increasing and not df.index.has_duplicates
    assert all(dt == np.float64 for dt in df.dtypes)
    assert np.isfinite(df.to_numpy()).all()


@pytest.mark.parametrize(
    ("loader", "filename"),
    [(load_ili, "national_illness.csv"), (load_etth1, "ETTh1.csv")],
)
def test_bundled_files_equal_the_reference_copies(loader, filename):
    if not (SHARED / filename).exists():
        pytest.skip("../shared/data is not beside the repository")
    ref = pd.read_csv(SHARED / filename, parse_dates=["date"], index_col="date")
    pd.testing.assert_frame_equal(
        loader(), ref.astype("float64"), check_freq=False, check_names=False
    )
