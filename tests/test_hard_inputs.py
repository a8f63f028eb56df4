"""Hard inputs on the new surfaces (issue 28): panels, time zones, covariates,
the arguments of predict, warm starts, quantiles, pipelines, the intervals'
input side. Each case asserts the message or the result."""

import re
import warnings

import numpy as np
import pandas as pd
import pytest
from helpers import raises, seasonal, tiny
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sktime_patches import PatchForecaster, make_windows
from sktime_patches.conformal import ConformalForecaster
from sktime_patches.exceptions import UnboundedIntervalWarning
from sktime_patches.series import SeriesForecaster

DAYS = pd.date_range("2024-01-01", periods=40, freq="D", name="ds")


def panel_frame(ids=("a", "b"), n=40, order=("id", "ds")):
    parts = {
        sid: pd.DataFrame({"y": seasonal(n, seed=k)[:, 0]}, index=DAYS[:n])
        for k, sid in enumerate(ids)
    }
    frame = pd.concat(parts, names=["id", "ds"])
    return frame if order == ("id", "ds") else frame.swaplevel().sort_index()


def ridge(**kwargs):
    return SeriesForecaster(Ridge(), lookback=4, horizon=2, **kwargs)


# ---------------------------------------------------------------------------
# Panels
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [np.nan, None, pd.NA])
def test_a_multiindex_with_missing_ids_is_refused(missing):
    frame = panel_frame()
    ids = frame.index.get_level_values(0).astype(object).to_numpy().copy()
    ids[40:45] = missing
    frame.index = pd.MultiIndex.from_arrays(
        [ids, frame.index.get_level_values(1)], names=["id", "ds"]
    )
    with raises(
        ValueError,
        "df has 5 row(s) without a series id (a missing value in the first level of "
        "its index, 'id'); give every row a series id, or drop those rows, e.g. "
        "df[df.index.get_level_values(0).notna()].",
    ):
        ridge().fit(frame)


def test_a_multiindex_ordered_time_then_id_is_refused():
    with raises(
        ValueError,
        "df has a MultiIndex ordered (time, id): its first level 'ds' holds time "
        "stamps, its second 'id' does not; a panel is indexed by (series id, time): "
        "pass df.swaplevel().sort_index().",
    ):
        ridge().fit(panel_frame(order=("ds", "id")))


def test_the_advice_for_a_swapped_panel_works():
    fixed = panel_frame(order=("ds", "id")).swaplevel().sort_index()
    model = ridge().fit(fixed)
    assert model.series_ids_ == ["a", "b"]
    expected = ridge().fit(panel_frame()).predict()
    pd.testing.assert_frame_equal(model.predict(), expected)


def test_a_panel_of_periods_in_id_time_order_is_read():
    frame = panel_frame()
    frame.index = frame.index.set_levels(frame.index.levels[1].to_period("D"), level=1)
    assert ridge().fit(frame).series_ids_ == ["a", "b"]


def test_text_time_stamps_in_a_multiindex_get_advice_that_works():
    frame = panel_frame()
    frame.index = frame.index.set_levels(
        frame.index.levels[1].strftime("%Y-%m-%d"), level=1
    )
    with raises(
        ValueError,
        "the time level of df.index holds time stamps as text (first: "
        "'2024-01-01'); convert them first, e.g. df.index = "
        "df.index.set_levels(pd.to_datetime(df.index.levels[1]), level=1).",
    ):
        ridge().fit(frame)
    frame.index = frame.index.set_levels(pd.to_datetime(frame.index.levels[1]), level=1)
    assert ridge().fit(frame).cutoff_ == DAYS[-1]


def test_a_panel_series_with_other_columns_is_refused():
    frame = {
        "a": pd.DataFrame({"y": np.arange(20.0)}, index=DAYS[:20]),
        "b": pd.DataFrame({"z": np.arange(20.0)}, index=DAYS[:20]),
    }
    with raises(
        ValueError,
        "series 'b' of df has columns ['z'], but series 'a' has ['y']; every series "
        "needs the same columns, in the same order.",
    ):
        ridge().fit(frame)


@settings(max_examples=15, deadline=None)
@given(
    lengths=st.lists(st.integers(6, 30), min_size=1, max_size=4),
    missing=st.integers(0, 3),
)
def test_every_series_of_a_long_panel_is_kept_or_named(lengths, missing):
    """Whatever the lengths, a long panel's series all come back, or the one
    too short is named; no row is lost silently."""
    rows = []
    for k, n in enumerate(lengths):
        rows += [(f"s{k}", DAYS[i], float(i % 5)) for i in range(n)]
    long = pd.DataFrame(rows, columns=["id", "ds", "y"])
    long.loc[: missing - 1, "id"] = None
    model = ridge(id_col="id", time_col="ds")
    if missing:
        with raises(
            ValueError, "df['id'] has missing ids; give every row a series id."
        ):
            model.fit(long)
        return
    short = [f"s{k}" for k, n in enumerate(lengths) if n < 6]
    if short:
        with pytest.raises(ValueError, match=f"series '{short[0]}' of df has"):
            model.fit(long)
        return
    out = model.fit(long).predict()
    assert sorted(out["id"].unique()) == sorted(f"s{k}" for k in range(len(lengths)))
    assert len(out) == 2 * len(lengths)


# ---------------------------------------------------------------------------
# Time zones
# ---------------------------------------------------------------------------


def hourly(tz=None, n=60, start="2024-03-30"):
    index = pd.date_range(start, periods=n, freq="h", tz=tz)
    return pd.Series(seasonal(n)[:, 0], index=index, name="y")


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (None, "UTC", "series 'b' of df has time zone 'UTC', but series 'a' has "
         "naive time stamps"),
        ("UTC", None, "series 'b' of df has naive time stamps, but series 'a' has "
         "time zone 'UTC'"),
        ("Europe/Paris", "America/New_York", "series 'b' of df has time zone "
         "'America/New_York', but series 'a' has time zone 'Europe/Paris'"),
    ],
)  # fmt: skip
def test_a_panel_mixing_time_zones_is_refused(a, b, message):
    with raises(
        ValueError,
        f"{message}; every series of a panel needs one time zone: convert them "
        "first, e.g. index.tz_localize('UTC') for naive stamps and "
        "index.tz_convert('UTC') for aware ones.",
    ):
        ridge().fit({"a": hourly(a), "b": hourly(b)})


def long_hours(zones):
    rows = []
    for sid, tz in zones.items():
        for t in pd.date_range("2024-01-01", periods=30, freq="h", tz=tz):
            rows.append((sid, t, float(t.hour)))
    return pd.DataFrame(rows, columns=["id", "ds", "y"])


def test_a_long_frame_mixing_time_zones_is_refused_and_the_advice_works():
    long = long_hours({"a": "Europe/Paris", "b": "America/New_York"})
    with raises(
        ValueError,
        "df['ds'] mixes time zones (Europe/Paris and America/New_York, first); a "
        "time axis needs one: convert them first, e.g. df['ds'] = "
        "pd.to_datetime(df['ds'], utc=True).",
    ):
        ridge(id_col="id", time_col="ds").fit(long)
    long["ds"] = pd.to_datetime(long["ds"], utc=True)
    out = ridge(id_col="id", time_col="ds").fit(long).predict()
    assert str(out["ds"].dt.tz) == "UTC" and len(out) == 4


def test_text_with_several_utc_offsets_is_refused_and_the_advice_works():
    long = long_hours({"a": "Europe/Paris", "b": "America/New_York"})
    long["ds"] = [t.isoformat() for t in long["ds"]]
    with raises(
        ValueError,
        "df['ds'] holds time stamps with several UTC offsets (+01:00 and -05:00, "
        "first), as daylight saving time writes them; a time axis needs one time "
        "zone: convert them first, e.g. df['ds'] = pd.to_datetime(df['ds'], "
        "utc=True).",
    ):
        ridge(id_col="id", time_col="ds").fit(long)
    long["ds"] = pd.to_datetime(long["ds"], utc=True)
    assert ridge(id_col="id", time_col="ds").fit(long).series_ids_ == ["a", "b"]


def test_text_dates_in_a_long_frame_get_advice_that_works():
    long = long_hours({"a": None, "b": None})
    long["ds"] = long["ds"].dt.strftime("%Y-%m-%d %H:%M")
    with raises(
        ValueError,
        "df['ds'] holds time stamps as text (first: '2024-01-01 00:00'); convert "
        "them first, e.g. df['ds'] = pd.to_datetime(df['ds']).",
    ):
        ridge(id_col="id", time_col="ds").fit(long)
    long["ds"] = pd.to_datetime(long["ds"])
    assert ridge(id_col="id", time_col="ds").fit(long).freq_ == pd.offsets.Hour()


def test_text_dates_in_the_index_of_a_long_frame_are_named():
    long = long_hours({"a": None, "b": None}).set_index("ds")
    long.index = long.index.strftime("%Y-%m-%d %H:%M")
    with raises(
        ValueError,
        "df.index holds time stamps as text (first: '2024-01-01 00:00'); convert "
        "them first, e.g. df.index = pd.to_datetime(df.index).",
    ):
        ridge(id_col="id").fit(long)


@pytest.mark.parametrize(
    ("fit_tz", "predict_tz", "fix"),
    [
        (None, "UTC", "index.tz_localize(None)"),
        ("UTC", None, "index.tz_localize('UTC')"),
        ("Europe/Paris", "UTC", "index.tz_convert('Europe/Paris')"),
    ],
)
def test_predict_from_a_history_in_another_time_zone_is_refused(
    fit_tz, predict_tz, fix
):
    model = ridge().fit(hourly(fit_tz))

    def said(tz):
        return "naive time stamps" if tz is None else f"time zone {tz!r}"

    with raises(
        ValueError,
        f"df has {said(predict_tz)}, but SeriesForecaster was fitted on "
        f"{said(fit_tz)}; pass a history in the time zone of fit, e.g. {fix}.",
    ):
        model.predict(hourly(predict_tz))


def test_an_aware_series_across_daylight_saving_forecasts_in_its_zone():
    series = hourly("Europe/Paris", n=72, start="2024-03-29")
    out = ridge().fit(series).predict()
    assert str(out.index.tz) == "Europe/Paris"
    assert out.index[0] == series.index[-1] + pd.Timedelta(hours=1)


def test_a_panel_label_is_not_written_as_python_in_advice():
    frame = {"a": pd.DataFrame({"y": [1.0, 2.0, 3.0]}, index=["x", "y", "z"])}
    with raises(
        TypeError,
        "series 'a' of df has an index of type Index with dtype str; pass a "
        "DatetimeIndex, PeriodIndex or RangeIndex, convert its time stamps with "
        "pd.to_datetime (utc=True when they mix time zones), or number its steps "
        "0, 1, 2, ...",
    ):
        ridge().fit(frame)


# ---------------------------------------------------------------------------
# Covariates, and the arguments of predict
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def with_past():
    y = pd.Series(seasonal(100)[:, 0], index=pd.RangeIndex(100), name="y")
    X = pd.DataFrame(
        {"past": np.cos(np.arange(110.0)), "known": np.sin(np.arange(110.0) / 5)}
    )
    model = ridge(future_covariates=["known"]).fit(y, X=X.iloc[:100])
    only_past = ridge().fit(y, X=X[["past"]].iloc[:100])
    return y, X, model, only_past


def test_past_covariates_without_the_history_are_refused(with_past):
    _, X, model, only_past = with_past
    with raises(
        ValueError,
        "X holds the past covariates ['past'], which predict() without df does not "
        "read: it forecasts from the history seen in fit, its covariates included. "
        "To forecast from new values, pass the history too, predict(df, X=X) with X "
        "over the rows of df; or pass X with the future covariates only, "
        "X[['known']].",
    ):
        model.predict(X=X.iloc[100:])
    with raises(
        ValueError,
        "X holds the past covariates ['past'], which predict() without df does not "
        "read: it forecasts from the history seen in fit, its covariates included. "
        "To forecast from new values, pass the history too, predict(df, X=X) with X "
        "over the rows of df; or pass X=None.",
    ):
        only_past.predict(X=X[["past"]])


def test_the_advice_for_past_covariates_works(with_past):
    y, X, model, only_past = with_past
    from_fit = model.predict(X=X[["known"]])
    pd.testing.assert_series_equal(model.predict(y, X=X), from_fit)
    changed = X.copy()
    changed.loc[96:99, "past"] += 5.0
    assert not model.predict(y, X=changed).equals(from_fit)  # read, not ignored
    pd.testing.assert_series_equal(only_past.predict(), only_past.predict(y, X=X))


@pytest.mark.parametrize(
    ("method", "arg", "hint"),
    [
        ("predict", 6, "predict(horizon=6)"),
        ("predict", np.int64(2), "predict(horizon=np.int64(2))"),
        ("predict_interval", 0.9, "predict_interval(coverage=0.9)"),
        ("predict_interval", 2, "predict_interval(horizon=2)"),
        ("predict_quantiles", 0.1, "predict_quantiles(alpha=0.1)"),
        ("predict", 0.5, "predict(horizon=0.5)"),
    ],
)
def test_a_number_passed_as_the_history_names_its_keyword(method, arg, hint):
    y = pd.Series(seasonal(200)[:, 0], index=pd.RangeIndex(200))
    model = SeriesForecaster(ConformalForecaster(Ridge()), 4, 2).fit(y)
    with raises(
        TypeError,
        f"df is {arg!r}, a number, but {method}'s first argument is the history to "
        f"forecast from (None: the one seen in fit); pass the number by name, e.g. "
        f"{hint}.",
    ):
        getattr(model, method)(arg)
    assert len(model.predict(horizon=2)) == 2


# ---------------------------------------------------------------------------
# make_windows on empty input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "shape"),
    [
        (np.array([]), "(0,)"),
        ([], "(0,)"),
        (np.zeros((0, 3)), "(0, 3)"),
        (np.zeros((5, 0)), "(5, 0)"),
        (pd.Series([], dtype=float), "(0, 1)"),
        (pd.DataFrame({"a": [], "b": []}), "(0, 2)"),
    ],
)
def test_make_windows_on_empty_input_says_so(series, shape):
    with raises(
        ValueError,
        f"series is empty (shape {shape}); pass at least one time step and one "
        "channel.",
    ):
        make_windows(series, 4, 2)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(0, 30),
    channels=st.integers(1, 3),
    lookback=st.integers(1, 10),
    horizon=st.integers(0, 5),
    stride=st.integers(1, 4),
)
def test_make_windows_of_any_shape_cuts_or_says_why(
    n, channels, lookback, horizon, stride
):
    series = np.arange(n * channels, dtype=float).reshape(n, channels)
    if n == 0:
        with pytest.raises(ValueError, match=r"^series is empty \(shape"):
            make_windows(series, lookback, horizon, stride)
        return
    if n < lookback + horizon:
        with pytest.raises(ValueError, match="fewer than one window needs"):
            make_windows(series, lookback, horizon, stride)
        return
    X, _ = make_windows(series, lookback, horizon, stride)
    assert X.shape == ((n - lookback - horizon) // stride + 1, lookback, channels)
    np.testing.assert_array_equal(
        X[-1, -1], series[(len(X) - 1) * stride + lookback - 1]
    )


# ---------------------------------------------------------------------------
# Pipelines
# ---------------------------------------------------------------------------


def test_a_scaler_before_patchforecaster_on_several_channels_is_refused():
    frame = pd.DataFrame(seasonal(80, channels=2), columns=["a", "b"])
    model = SeriesForecaster(
        make_pipeline(StandardScaler(), PatchForecaster(**tiny(max_epochs=1))), 8, 2
    )
    with raises(
        ValueError,
        "estimator is a Pipeline whose first step (StandardScaler) takes 2-D input, "
        "so windows of 2 channels would reach PatchForecaster flattened, their "
        "channels read as time steps. PatchForecaster takes 3-D windows and scales "
        "each window itself (RevIN-style), so drop StandardScaler: pass "
        "PatchForecaster(...) alone, or begin the Pipeline with a step that takes "
        "3-D windows.",
    ):
        model.fit(frame)


def test_a_scaler_before_a_plain_regressor_still_works():
    frame = pd.DataFrame(seasonal(80, channels=2), columns=["a", "b"])
    out = SeriesForecaster(make_pipeline(StandardScaler(), Ridge()), 8, 2).fit(frame)
    assert out.predict().shape == (2, 2)


def test_the_user_guide_points_from_the_scaler_error_to_the_fix():
    from pathlib import Path

    guide = (Path(__file__).parent.parent / "docs" / "user_guide.rst").read_text()
    assert "No scaler in front of PatchForecaster" in guide
    assert "Found array with dim 3" in guide


# ---------------------------------------------------------------------------
# Warm starts and quantiles
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def windows():
    return make_windows(seasonal(160), lookback=16, horizon=4)


@pytest.fixture(scope="module")
def warm(windows):
    X, y = windows
    return PatchForecaster(**tiny(max_epochs=1), warm_start=True).fit(X, y)


@pytest.mark.parametrize(
    ("change", "was", "got"),
    [
        ({"d_model": 16}, "d_model=8", "d_model=16"),
        ({"hidden_size": 4}, "hidden_size=8", "hidden_size=4"),
        ({"d_model": 16, "hidden_size": 16}, "d_model=8, hidden_size=8",
         "d_model=16, hidden_size=16"),
        ({"encoder": "mlp"}, "encoder='linear'", "encoder='mlp'"),
        ({"num_layers": 2}, "num_layers=1", "num_layers=2"),
        ({"pool_size": 2}, "pool_size=1", "pool_size=2"),
        ({"head": "recurrent"}, "head='flatten'", "head='recurrent'"),
        ({"cell": "gru"}, "cell='lstm'", "cell='gru'"),
        ({"patch_len": 8}, "patch_len=None", "patch_len=8"),
        ({"linear_skip": "none"}, "linear_skip='ridge'", "linear_skip='none'"),
        ({"norm": "standard"}, "norm='last'", "norm='standard'"),
    ],
)  # fmt: skip
def test_a_warm_start_refuses_a_changed_architecture(windows, warm, change, was, got):
    from sklearn.base import clone

    X, y = windows
    model = clone(warm).set_params(warm_start=False).fit(X, y)
    model.set_params(warm_start=True, **change)
    before = model.predict(X[:2])
    with raises(
        ValueError,
        "warm_start=True continues training the fitted network, which was built "
        f"with {was}; got {got}. The fitted model is unchanged. Pass the same values "
        "(or 'auto' where the parameter takes it), or warm_start=False to train a "
        "new network.",
    ):
        model.fit(X, y)
    np.testing.assert_array_equal(model.predict(X[:2]), before)


@pytest.mark.parametrize(
    "same",
    [{}, {"d_model": 8}, {"head": "auto"}, {"patch_len": 4}, {"max_epochs": 2}],
    ids=["nothing", "same value", "auto", "the patch length None chose", "epochs"],
)
def test_a_warm_start_continues_when_the_network_is_the_same(windows, warm, same):
    from sklearn.base import clone

    X, y = windows
    model = clone(warm).fit(X, y)
    epochs = model.n_epochs_
    model.set_params(**same).fit(X, y)
    assert model.n_epochs_ > epochs


def test_quantiles_of_the_median_alone_forecast_the_median(windows):
    X, y = windows
    model = PatchForecaster(**tiny(max_epochs=2), quantiles=(0.5,)).fit(X, y)
    assert model.quantiles_.tolist() == [0.5]
    q = model.predict_quantiles(X[:3])
    assert q.shape == (3, 4, 1, 1)
    np.testing.assert_array_equal(q[..., 0], model.predict(X[:3]))
    with raises(
        ValueError,
        "coverage=0.9 needs the quantiles 0.05 and 0.95, but the estimator "
        "forecasts [0.5]; refit with quantiles that include both, or wrap the model "
        "in sktime_patches.conformal.ConformalForecaster.",
    ):
        model.predict_interval(X[:3])


# ---------------------------------------------------------------------------
# Intervals' input side
# ---------------------------------------------------------------------------


class Crossing(Ridge):
    """A regressor whose quantiles cross: 0.9 below 0.1, far from the point."""

    def predict_quantiles(self, X, quantiles=None):
        point = self.predict(X)
        return np.stack([point + 3.0, point, point - 3.0], axis=-1)

    @property
    def quantiles_(self):
        return np.array([0.1, 0.5, 0.9])


@pytest.fixture(scope="module")
def cqr():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 5))
    y = X @ np.ones((5, 2)) + 0.1 * rng.normal(size=(300, 2))
    return X, y, ConformalForecaster(Crossing(), method="cqr").fit(X, y)


def test_cqr_bounds_contain_the_point_forecast_when_quantiles_cross(cqr):
    X, _, model = cqr
    point = model.predict(X)
    bounds = model.predict_interval(X, coverage=0.8)
    assert (bounds[..., 0] <= point).all() and (point <= bounds[..., 1]).all()


def test_cqr_median_is_the_point_forecast(cqr):
    X, _, model = cqr
    q = model.predict_quantiles(X, quantiles=[0.1, 0.5, 0.9])
    np.testing.assert_array_equal(q[..., 1], model.predict(X))
    assert (np.diff(q, axis=-1) >= 0).all()


@pytest.mark.parametrize(
    ("coverage", "needed", "most"),
    [(0.99, 99, "0.857"), (0.95, 19, "0.857"), (0.9, 9, "0.857")],
)
def test_infinite_bounds_warn_with_the_windows_needed(coverage, needed, most):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(30, 4)), rng.normal(size=(30, 1))
    model = ConformalForecaster(Ridge(), calibration="split").fit(X, y)
    assert model.n_calibration_ == 6
    with pytest.warns(
        UnboundedIntervalWarning,
        match=re.escape(
            f"coverage={coverage:g} needs at least {needed} calibration windows, but "
            "there are 6: its intervals are infinite; calibrate on every window "
            "(ConformalForecaster(..., calibration='cv')), pass more history, or ask "
            f"a coverage of at most {most}."
        ),
    ):
        bounds = model.predict_interval(X[:2], coverage=coverage)
    assert np.isinf(bounds).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(model.predict_interval(X[:2], coverage=0.8)).all()


def test_the_epoch_table_shows_the_last_epoch_before_stopping(capsys):
    X, y = make_windows(np.random.default_rng(0).normal(size=400), 24, 4)
    model = PatchForecaster(
        **tiny(max_epochs=30, patience=1, verbose=1, lr=0.05),
        lr_schedule="constant",
        linear_skip="learned",
    ).fit(X, y)
    out = capsys.readouterr().out
    stop = out.index("Stopping since valid_loss has not improved")
    rows = re.findall(r"^\s+(\d+)\s", out[:stop], flags=re.MULTILINE)
    assert model.n_epochs_ < 30
    assert int(rows[-1]) == model.n_epochs_
