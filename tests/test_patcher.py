"""SpacetimePatcher: behaviour, feature names, channel groups and bad input."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from sktime_patches import SpacetimePatcher, make_windows
from sktime_patches._patching import patch_numpy


@pytest.fixture
def windows():
    return np.random.default_rng(0).normal(size=(5, 12, 4))


class TestSpacetimePatcher:
    def test_structured_output_is_the_network_patching(self, windows):
        patcher = SpacetimePatcher(patch_len=4, stride=2, flatten=False).fit(windows)
        out = patcher.transform(windows)
        assert out.shape == (5, 4, 5, 4)
        np.testing.assert_array_equal(
            out, patch_numpy(windows, 4, 2, "end", patcher.groups_)
        )

    def test_flat_output_and_feature_names_line_up(self, windows):
        patcher = SpacetimePatcher(patch_len=4, channel_names=["a", "b", "c", "d"])
        flat = patcher.fit_transform(windows)
        names = patcher.get_feature_names_out()
        assert flat.shape == (5, len(names)) == (5, 4 * 3 * 4)
        col = list(names).index("c__p1__t2")  # channel c, patch 1, step 2 -> step 6
        np.testing.assert_array_equal(flat[:, col], windows[:, 6, 2])

    def test_stats_features(self, windows):
        patcher = SpacetimePatcher(patch_len=6, features="stats").fit(windows)
        flat = patcher.transform(windows)
        names = list(patcher.get_feature_names_out())
        patch = windows[:, 6:12, 1]
        for stat, expected in [
            ("mean", patch.mean(1)),
            ("std", patch.std(1)),
            ("min", patch.min(1)),
            ("max", patch.max(1)),
            ("last", patch[:, -1]),
            ("slope", np.polyfit(np.arange(6), patch.T, 1)[0]),
        ]:
            np.testing.assert_allclose(
                flat[:, names.index(f"ch1__p1__{stat}")], expected
            )

    def test_channel_groups_by_int_and_by_name(self, windows):
        by_int = SpacetimePatcher(patch_len=4, channel_groups=2, flatten=False).fit(
            windows
        )
        assert by_int.groups_ == [[0, 1], [2, 3]]
        assert by_int.transform(windows).shape == (5, 2, 3, 8)
        by_name = SpacetimePatcher(
            patch_len=4,
            channel_groups=[["d", "a"], ["b", "c"]],
            channel_names=["a", "b", "c", "d"],
        ).fit(windows)
        assert by_name.groups_ == [[3, 0], [1, 2]]
        assert by_name.get_feature_names_out()[0] == "d__p0__t0"

    def test_univariate_2d_and_dataframe_windows(self):
        X = pd.DataFrame(
            np.arange(40.0).reshape(4, 10), columns=[f"lag{i}" for i in range(10)]
        )
        patcher = SpacetimePatcher(patch_len=5).fit(X)
        assert list(patcher.feature_names_in_) == list(X.columns)
        np.testing.assert_array_equal(patcher.transform(X), X.to_numpy())

    def test_pipeline_with_ridge_forecasts_a_seasonal_series(self):
        t = np.arange(600.0)
        series = np.sin(2 * np.pi * t / 24) + 0.1 * np.random.default_rng(0).normal(
            size=600
        )
        X, y = make_windows(series, 48, 12)
        y2 = y.reshape(len(y), -1)
        model = make_pipeline(
            SpacetimePatcher(patch_len=6, features="stats"), Ridge(1.0)
        )
        model.fit(X[:400], y2[:400])
        mse = np.mean((model.predict(X[400:]) - y2[400:]) ** 2)
        naive = np.mean((np.repeat(X[400:, -1:, 0], 12, axis=1) - y2[400:]) ** 2)
        assert mse < 0.3 * naive

    @pytest.mark.parametrize(
        ("params", "X", "error", "message"),
        [
            (
                {"patch_len": 20},
                np.zeros((3, 12)),
                ValueError,
                "patch_len=20 is longer than the lookback of the windows (lookback=12, "
                "i.e. 12 feature(s) per channel); pass patch_len <= 12 or longer windows.",
            ),
            (
                {"stride": 0},
                np.zeros((3, 12)),
                ValueError,
                "The 'stride' parameter of SpacetimePatcher must be an int in the range "
                "[1, inf) or None. Got 0 instead.",
            ),
            (
                {"padding": "start"},
                np.zeros((3, 12)),
                ValueError,
                "The 'padding' parameter of SpacetimePatcher must be a str among",
            ),
            (
                {"channel_groups": 3},
                np.zeros((3, 16, 4)),
                ValueError,
                "channel_groups=3 must divide the number of channels (4) into equal "
                "groups; pass a divisor of 4, or None to treat each channel alone.",
            ),
            (
                {"channel_groups": [[0, 1], [2]]},
                np.zeros((3, 16, 3)),
                ValueError,
                "channel_groups=[[0, 1], [2]] has groups of different sizes [1, 2]; "
                "every group must hold the same number of channels.",
            ),
            (
                {"channel_groups": [[0, 1], [1, 2]]},
                np.zeros((3, 16, 4)),
                ValueError,
                "channel_groups=[[0, 1], [1, 2]] must use every channel exactly once "
                "(missing: [3], repeated: [1]); add the missing channels to a group "
                "or pass None.",
            ),
            (
                {"channel_groups": [["x"]], "channel_names": ["a"]},
                np.zeros((3, 16, 1)),
                ValueError,
                "channel_groups names channel 'x', which is not a column of X; known "
                "columns: ['a'].",
            ),
            (
                {"channel_groups": [[5]]},
                np.zeros((3, 16, 1)),
                ValueError,
                "channel_groups names channel index 5, but X has 1 channel(s); use "
                "indices 0..0.",
            ),
            (
                {"channel_names": ["a", "b"]},
                np.zeros((3, 16, 1)),
                ValueError,
                "channel_names has 2 name(s) but X has 1 channel(s); pass one name per "
                "channel.",
            ),
            (
                {},
                np.zeros((3, 12, 2, 2)),
                ValueError,
                "X must be 2-D (n_windows, lookback) or 3-D (n_windows, lookback, "
                "n_channels); got an array with shape (3, 12, 2, 2).",
            ),
        ],
    )
    def test_bad_input_messages(self, params, X, error, message):
        with pytest.raises(error, match=re.escape(message)):
            SpacetimePatcher(**params).fit(X)

    def test_transform_checks_channels_and_lookback(self, windows):
        patcher = SpacetimePatcher(patch_len=4).fit(windows)
        with pytest.raises(
            ValueError,
            match=re.escape(
                "X has 3 channel(s), but SpacetimePatcher was fitted on 4 channel(s); "
                "pass windows with shape (n_windows, 12, 4)."
            ),
        ):
            patcher.transform(windows[:, :, :3])
        with pytest.raises(
            ValueError,
            match=re.escape(
                "X has 10 features, but SpacetimePatcher is expecting 12 features as "
                "input (the lookback: steps per window); pass windows of 12 steps."
            ),
        ):
            patcher.transform(windows[:, :10])

    def test_nan_is_located_in_the_message(self, windows):
        bad = windows.copy()
        bad[2, 5, 1] = np.nan
        with pytest.raises(
            ValueError,
            match=re.escape(
                "Input X contains 1 non-finite value(s) (NaN first, at index (2, 5, 1)); "
                "fill the gaps before windowing, e.g. series.interpolate() or an "
                "imputer, or drop the affected windows."
            ),
        ):
            SpacetimePatcher(patch_len=4).fit(bad)

    def test_column_names_must_match_at_transform(self):
        X = pd.DataFrame(np.zeros((3, 4)), columns=list("abcd"))
        patcher = SpacetimePatcher(patch_len=2).fit(X)
        with pytest.raises(ValueError, match="The feature names should match"):
            patcher.transform(X.rename(columns={"a": "z"}))


@pytest.mark.parametrize("estimator", ["patcher", "forecaster"])
def test_a_stride_longer_than_the_patch_is_refused_with_end_padding(estimator):
    """padding='end' promises every step in a patch; stride > patch_len would
    leave steps between patches."""
    from sktime_patches import PatchForecaster

    X, y = make_windows(np.arange(60.0), lookback=20, horizon=2)
    model = (
        SpacetimePatcher(patch_len=4, stride=6)
        if estimator == "patcher"
        else PatchForecaster(patch_len=4, stride=6, max_epochs=1)
    )
    with pytest.raises(
        ValueError,
        match=re.escape(
            "stride=6 is longer than patch_len=4: 2 step(s) between consecutive "
            "patches would be in no patch, but padding='end' covers every step; "
            "pass stride <= 4, or padding='none' to skip steps on purpose."
        ),
    ):
        model.fit(X, y)
    skipping = SpacetimePatcher(patch_len=4, stride=6, padding="none").fit(X)
    assert skipping.n_patches_ == 3  # steps between patches left out, as asked
