"""SeriesWindows: lazy windows of one or many series, its split and collation."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
import torch
from helpers import many, raises, seasonal, windows_of
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.utils.data import DataLoader, Subset

from sktime_patches import SeriesWindows, make_windows, n_windows
from sktime_patches.windows import collate_windows, time_ordered_indices


class TestOffsetTable:
    @settings(max_examples=60, deadline=None)
    @given(
        lengths=st.lists(st.integers(1, 40), min_size=1, max_size=5),
        lookback=st.integers(1, 12),
        horizon=st.integers(1, 6),
        stride=st.integers(1, 7),
        channels=st.integers(1, 3),
    )
    def test_every_window_is_make_windows_window(
        self, lengths, lookback, horizon, stride, channels
    ):
        span = lookback + horizon
        lengths = [n + span - 1 for n in lengths]  # every series has a window
        rng = np.random.default_rng(sum(lengths))
        series = [rng.normal(size=(n, channels)) for n in lengths]
        ds = SeriesWindows(series, lookback, horizon, stride=stride)
        assert len(ds) == sum(n_windows(n, lookback, horizon, stride) for n in lengths)
        X, y = windows_of(series, lookback, horizon, stride)
        for i in range(len(ds)):
            Xi, yi = ds[i]
            assert Xi.dtype == yi.dtype == torch.float32
            np.testing.assert_array_equal(Xi.numpy(), X[i])
            np.testing.assert_array_equal(yi.numpy(), y[i])
        idx = rng.integers(-len(ds), len(ds), size=17).tolist()
        batch = ds.__getitems__(idx)
        np.testing.assert_array_equal(batch.X.numpy(), X[idx])
        np.testing.assert_array_equal(batch.y.numpy(), y[idx])
        assert len(batch) == 17

    @settings(max_examples=40, deadline=None)
    @given(
        lengths=st.lists(st.integers(1, 60), min_size=1, max_size=4),
        horizon=st.integers(1, 5),
        stride=st.integers(1, 4),
        fraction=st.sampled_from([0.0, 0.1, 0.25, 0.5]),
    )
    def test_time_split_takes_the_latest_windows_of_each_series(
        self, lengths, horizon, stride, fraction
    ):
        lookback = 4
        lengths = [n + lookback + horizon - 1 for n in lengths]
        series = [np.arange(n, dtype=float) + 1000 * k for k, n in enumerate(lengths)]
        ds = SeriesWindows(series, lookback, horizon, stride=stride)
        gap = -(-horizon // stride)
        train, valid = ds.time_split(fraction, gap=gap)
        X, _ = windows_of(series, lookback, horizon, stride)
        expected_train, expected_valid, offset = [], [], 0
        for n in lengths:
            count = n_windows(n, lookback, horizon, stride)
            tr, va = time_ordered_indices(count, fraction, gap)
            expected_train += (tr + offset).tolist()
            expected_valid += (va + offset).tolist()
            offset += count
        assert len(train) == len(expected_train)
        assert len(valid) == len(expected_valid)
        if len(train):
            np.testing.assert_array_equal(train.to_arrays()[0], X[expected_train])
        if len(valid):
            np.testing.assert_array_equal(valid.to_arrays()[0], X[expected_valid])
            # no training target overlaps a validation target of the same series
            last_train = train.locate().groupby("series_id")["start"].max()
            first_valid = valid.locate().groupby("series_id")["start"].min()
            both = last_train.index.intersection(first_valid.index)
            assert (first_valid[both] - last_train[both] >= horizon).all()

    def test_one_series_split_equals_time_ordered_indices(self):
        ds = SeriesWindows(seasonal(200), lookback=24, horizon=8)
        train, valid = ds.time_split(0.1)
        tr, va = time_ordered_indices(len(ds), 0.1, gap=8)
        assert (len(train), len(valid)) == (len(tr), len(va))
        assert valid.locate()["start"].tolist() == va.tolist()

    def test_views_share_the_values_and_pickle_small(self):
        ds = SeriesWindows(many(), lookback=48, horizon=8)
        train, valid = ds.time_split(0.2)
        assert np.shares_memory(train._values, ds._values)
        assert np.shares_memory(valid._values, ds._values)
        ds.__getitems__([0, 1])  # caches strided views, which must not be pickled
        blob = pickle.dumps(ds)
        assert len(blob) < 2 * ds.nbytes
        again = pickle.loads(blob)
        np.testing.assert_array_equal(again.to_arrays()[0], ds.to_arrays()[0])

    def test_negative_index_and_out_of_range(self):
        ds = SeriesWindows(np.arange(20.0), lookback=4, horizon=2)
        np.testing.assert_array_equal(ds[-1][1].numpy()[:, 0], [18.0, 19.0])
        with pytest.raises(
            IndexError,
            match=re.escape(
                "window index 15 is out of range for a SeriesWindows of 15 windows."
            ),
        ):
            ds[15]
        with pytest.raises(TypeError, match="SeriesWindows index must be an int"):
            ds[1.0]


class TestInputForms:
    def test_array_series_dataframe_list_dict_and_long_format_agree(self):
        a, b = seasonal(60, seed=1, channels=2), seasonal(75, seed=2, channels=2)
        expected = SeriesWindows([a, b], 12, 4).to_arrays()
        frames = [pd.DataFrame(s, columns=["x", "z"]) for s in (a, b)]
        long = pd.concat(
            [
                f.assign(id=k, t=np.arange(len(f)))
                for k, f in zip("ab", frames, strict=True)
            ]
        )
        interleaved = long.sort_values(["t", "id"], kind="stable")
        forms = [
            SeriesWindows(frames, 12, 4),
            SeriesWindows({"a": a, "b": b}, 12, 4),
            SeriesWindows(long, 12, 4, id_col="id", time_col="t"),
            SeriesWindows(interleaved, 12, 4, id_col="id", time_col="t"),
            SeriesWindows(long, 12, 4, id_col="id", value_cols=["x", "z"]),
        ]
        for ds in forms:
            for got, want in zip(ds.to_arrays(), expected, strict=True):
                np.testing.assert_array_equal(got, want)
        assert forms[2].series_ids == ["a", "b"]
        assert forms[2].channel_names == ["x", "z"]
        assert forms[0].channel_names == ["x", "z"]

    def test_one_series_forms(self):
        s = seasonal(50)[:, 0]
        X, _ = make_windows(s, 10, 3)
        for form in (s, s.tolist(), pd.Series(s, name="load"), s[:, None]):
            ds = SeriesWindows(form, 10, 3)
            assert ds.n_series == 1 and ds.n_channels == 1
            np.testing.assert_array_equal(ds.to_arrays()[0], X.astype(np.float32))
        assert SeriesWindows(pd.Series(s, name="load"), 10, 3).channel_names == ["load"]

    def test_targets_last_windows_locate_and_lookback_view(self):
        series = many((40, 55))
        ds = SeriesWindows(series, 12, 4, stride=3)
        X, y = windows_of(series, 12, 4, 3)
        np.testing.assert_array_equal(ds.targets(), y)
        np.testing.assert_array_equal(
            ds.last_windows(), np.stack([s[-12:] for s in series]).astype(np.float32)
        )
        where = ds.locate([0, len(ds) - 1])
        assert where["series_id"].tolist() == [0, 1]
        assert where["start"].tolist() == [0, 3 * (n_windows(55, 12, 4, 3) - 1)]
        short = ds.with_lookback(5)
        assert len(short) == len(ds)
        np.testing.assert_array_equal(short.to_arrays()[0], X[:, -5:])
        np.testing.assert_array_equal(short.to_arrays()[1], y)

    def test_dataloader_batches_with_one_gather(self, monkeypatch):
        ds = SeriesWindows(many(), lookback=48, horizon=8)
        X, y = ds.to_arrays()

        def no_single_calls(self, index):
            raise AssertionError("the DataLoader fetched windows one at a time")

        monkeypatch.setattr(SeriesWindows, "__getitem__", no_single_calls)
        loader = DataLoader(ds, batch_size=128, collate_fn=collate_windows)
        got = [b for b in loader]
        np.testing.assert_array_equal(torch.cat([b[0] for b in got]).numpy(), X)
        np.testing.assert_array_equal(torch.cat([b[1] for b in got]).numpy(), y)
        # torch's default_collate (no collate_fn) gives the same batches
        Xb, yb = next(iter(DataLoader(ds, batch_size=128)))
        np.testing.assert_array_equal(Xb.numpy(), X[:128])
        np.testing.assert_array_equal(yb.numpy(), y[:128])
        # torch's Subset passes whole batches through as well
        sub = Subset(ds, list(range(10, 60)))
        Xs, _ = next(iter(DataLoader(sub, batch_size=50, collate_fn=collate_windows)))
        np.testing.assert_array_equal(Xs.numpy(), X[10:60])


class TestBadInput:
    @pytest.mark.parametrize(
        ("series", "kwargs", "error", "message"),
        [
            (
                [np.zeros(40), np.zeros(11), np.zeros(5)],
                {},
                ValueError,
                "2 of 3 series are shorter than one window needs (lookback + horizon "
                "= 8 + 4 = 12 steps): series[1] (11 steps), series[2] (5 steps). Drop "
                "or pad those series, or pass a smaller lookback/horizon.",
            ),
            (
                {"north": np.zeros(40), "south": np.zeros(9)},
                {},
                ValueError,
                "1 of 2 series are shorter than one window needs (lookback + horizon "
                "= 8 + 4 = 12 steps): series 'south' (9 steps).",
            ),
            (
                [np.zeros(40), np.r_[np.zeros(20), np.nan, np.zeros(19)]],
                {},
                ValueError,
                "series[1] has 1 missing value(s) (first in column 0 at 20); fill "
                "them first, e.g. series[1].interpolate() or series[1].ffill().",
            ),
            (
                [np.zeros((40, 2)), np.zeros((40, 3))],
                {},
                ValueError,
                "series[1] has 3 channel(s) but series[0] has 2; every series must "
                "have the same channels, in the same order.",
            ),
            (
                [
                    pd.DataFrame(np.zeros((40, 2)), columns=["a", "b"]),
                    pd.DataFrame(np.zeros((40, 2)), columns=["b", "a"]),
                ],
                {},
                ValueError,
                "series[1] has columns ['b', 'a'] but series[0] has ['a', 'b']; every "
                "series must have the same channels, in the same order (e.g. "
                "frame[['a', 'b']]).",
            ),
            (
                [],
                {},
                ValueError,
                "series is empty (no series given); pass a series or a non-empty list "
                "of them.",
            ),
            (
                np.zeros((5, 12, 1)),
                {},
                ValueError,
                "series is a 3-D array (5, 12, 1), which looks like windows; pass the "
                "series themselves",
            ),
            (
                np.zeros(40),
                {"horizon": 0},
                ValueError,
                "horizon must be >= 1 for SeriesWindows (every window needs a target); "
                "got horizon=0.",
            ),
            (
                np.zeros(40),
                {"stride": 1.5},
                TypeError,
                "stride must be an int; got 1.5 of type float.",
            ),
            (
                np.zeros(40),
                {"id_col": "id"},
                TypeError,
                "id_col, time_col and value_cols describe a long-format DataFrame, but "
                "series is a ndarray;",
            ),
            (
                pd.DataFrame({"id": [1, 1], "v": [1.0, 2.0]}),
                {"id_col": "key"},
                ValueError,
                "id_col='key' is not a column of the DataFrame; its columns are ['id', "
                "'v'].",
            ),
            (
                pd.DataFrame({"id": [1] * 20, "t": [*range(10), *range(10)], "v": 0.0}),
                {"id_col": "id", "time_col": "t"},
                ValueError,
                "series 1 is not sorted by 't': its time goes back to 0 after 9. Sort "
                "the rows first, e.g. frame.sort_values(['id', 't']), and drop "
                "duplicates.",
            ),
            (
                pd.DataFrame({"id": ["a"] * 20, "t": [0, *range(19)], "v": 0.0}),
                {"id_col": "id", "time_col": "t"},
                ValueError,
                "series 'a' is not sorted by 't': its time repeats 0 after 0.",
            ),
            (
                pd.DataFrame({"id": ["a"] * 20, "v": 0.0, "kind": "x"}),
                {"id_col": "id"},
                TypeError,
                "Value column(s) ['kind'] are not numeric; pass value_cols=[...] naming "
                "only numeric columns, or drop the others.",
            ),
            (
                pd.DataFrame({"id": ["a"] * 20, "v": np.r_[np.zeros(19), np.inf]}),
                {"id_col": "id"},
                ValueError,
                "Input series 'a' contains 1 non-finite value(s) (inf first, at index "
                "(19, 0));",
            ),
            (
                [np.full(20, 1e39)],
                {},
                ValueError,
                "Values beyond float32's range (about 3.4e38) also become inf.",
            ),
        ],
    )
    def test_messages(self, series, kwargs, error, message):
        kwargs = {"lookback": 8, "horizon": 4, **kwargs}
        with pytest.raises(error, match=re.escape(message)):
            SeriesWindows(series, **kwargs)

    def test_short_series_list_is_cut_after_five(self):
        with pytest.raises(
            ValueError, match=re.escape("series[5] (3 steps) and 3 more.")
        ):
            SeriesWindows([np.zeros(40)] + [np.zeros(3)] * 8, 8, 4)


def test_the_old_home_of_series_windows_still_works_with_a_warning():
    import sktime_patches
    from sktime_patches import windows

    with pytest.warns(FutureWarning, match="moved to sktime_patches.windows"):
        from sktime_patches.data import SeriesWindows as Old
    assert Old is windows.SeriesWindows is sktime_patches.SeriesWindows
    with pytest.warns(FutureWarning):
        from sktime_patches.data import collate_windows as old_collate
    assert old_collate is windows.collate_windows


@settings(deadline=None, max_examples=60)
@given(
    lengths=st.lists(st.integers(8, 40), min_size=1, max_size=3),
    lookback=st.integers(1, 5),
    horizon=st.integers(1, 3),
    stride=st.integers(1, 3),
    gap_share=st.floats(0.0, 0.3),
    seed=st.integers(0, 1000),
)
def test_missing_skip_keeps_exactly_the_complete_windows(
    lengths, lookback, horizon, stride, gap_share, seed
):
    """With gaps, the windows are make_windows' windows of each series without
    the ones touching a NaN, in the same order; the split stays per series and
    in time order."""
    rng = np.random.default_rng(seed)
    series = [rng.normal(size=(n, 2)) for n in lengths]
    for s in series:
        s[rng.random(len(s)) < gap_share, rng.integers(0, 2)] = np.nan
    expected_X, expected_y = [], []
    for s in series:
        starts = np.arange(0, len(s) - lookback - horizon + 1, stride)
        X = np.stack([s[i : i + lookback] for i in starts])
        y = np.stack([s[i + lookback : i + lookback + horizon] for i in starts])
        keep = ~(np.isnan(X).any(axis=(1, 2)) | np.isnan(y).any(axis=(1, 2)))
        expected_X.append(X[keep])
        expected_y.append(y[keep])
    n_expected = [len(x) for x in expected_X]
    if min(n_expected) == 0:
        with pytest.raises(ValueError, match="no complete window"):
            SeriesWindows(series, lookback, horizon, stride, missing="skip")
        return
    ds = SeriesWindows(series, lookback, horizon, stride, missing="skip")
    X, y = ds.to_arrays()
    np.testing.assert_array_equal(X, np.concatenate(expected_X).astype(np.float32))
    np.testing.assert_array_equal(y, np.concatenate(expected_y).astype(np.float32))
    full = sum((n - lookback - horizon) // stride + 1 for n in lengths)
    assert ds.n_skipped == full - len(ds)
    train, valid = ds.time_split(0.3)
    where_train, where_valid = train.locate(), valid.locate()
    assert len(train) + len(valid) <= len(ds)
    for sid in range(len(series)):
        t = where_train[where_train["series_id"] == sid]["start"]
        v = where_valid[where_valid["series_id"] == sid]["start"]
        if len(v):  # every validation window after every training window
            assert t.max() + lookback + horizon <= v.min() + lookback
            n = n_expected[sid]
            assert len(v) == int(np.ceil(0.3 * n))


def test_missing_values_are_refused_by_default_and_inf_always():
    series = np.arange(20.0)
    series[4] = np.nan
    with pytest.raises(ValueError, match="missing"):
        SeriesWindows(series, 3, 1)
    series[4] = np.inf
    with pytest.raises(ValueError, match="inf"):
        SeriesWindows(series, 3, 1, missing="skip")
    gappy = np.arange(20.0)
    gappy[2:18:3] = np.nan
    with raises(
        ValueError,
        "1 of 1 series have no complete window (lookback + horizon = 4 steps "
        "without a missing value): series. Fill their gaps (e.g. interpolate()), "
        "drop them, or pass a smaller lookback/horizon.",
    ):
        SeriesWindows(gappy, 3, 1, missing="skip")
    with raises(
        ValueError,
        "missing='drop' is not one of ('raise', 'skip'); pass 'skip' to leave out "
        "the windows that touch a missing value.",
    ):
        SeriesWindows(gappy, 3, 1, missing="drop")
