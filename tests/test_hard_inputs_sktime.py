"""The sktime adapter under hard inputs (issue 28): X at predict, fh off the
grid, saved files that must not train."""

import json
import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest
from helpers import raises, seasonal

pytest.importorskip("sktime")

from sktime.forecasting.base import ForecastingHorizon

from sktime_patches import load
from sktime_patches.exceptions import InvalidModelFileError
from sktime_patches.sktime import PatchLSTMForecaster

SMALL = {"lookback": 8, "d_model": 8, "hidden_size": 8, "max_epochs": 1,
         "random_state": 0, "intervals": None}  # fmt: skip
DAYS = pd.date_range("2024-01-01", periods=86, freq="D")


@pytest.fixture(autouse=True)
def _quiet_sktime():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # sktime's remember_data
        yield


@pytest.fixture(scope="module")
def with_x():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        y = pd.Series(seasonal(80)[:, 0], index=DAYS[:80], name="y")
        X = pd.DataFrame({"x": np.cos(np.arange(86) / 3)}, index=DAYS)
        model = PatchLSTMForecaster(**SMALL).fit(y, X=X.iloc[:80], fh=[1, 2, 3])
    return y, X, model


def test_x_at_predict_with_a_renamed_column_is_refused(with_x):
    _, X, model = with_x
    with raises(
        ValueError,
        "X has columns ['z'], but PatchLSTMForecaster was fitted with X columns "
        "['x']; pass X with the same columns, in the same order, e.g. X[['x']].",
    ):
        model.predict(X=X.iloc[80:83].rename(columns={"x": "z"}))


def test_x_with_fewer_rows_than_fh_is_refused(with_x):
    _, X, model = with_x
    with raises(
        ValueError,
        "X has no row for 2 time stamp(s) of fh (first: 2024-03-22 00:00:00); the "
        "network reads the covariates at every step of fh: pass X on each of them.",
    ):
        model.predict(X=X.iloc[80:81])


def test_x_with_a_missing_value_at_predict_is_refused(with_x):
    _, X, model = with_x
    future = X.iloc[80:83].copy()
    future.iloc[1, 0] = np.nan
    with raises(
        ValueError,
        "X has 1 missing value(s) (first in column 'x' at 2024-03-22 00:00:00); the "
        "network reads the covariates at every step of fh: pass X without gaps "
        "there.",
    ):
        model.predict(X=future)


def test_x_is_read_not_filled(with_x):
    _, X, model = with_x
    base = model.predict(X=X.iloc[80:83])
    moved = X.iloc[80:83] + 10.0
    assert not model.predict(X=moved).equals(base)
    pd.testing.assert_series_equal(model.predict(X=X.iloc[80:86]), base)


def test_steps_between_those_of_fh_are_carried_forward_with_a_warning():
    y = pd.Series(seasonal(80)[:, 0], index=DAYS[:80], name="y")
    X = pd.DataFrame({"x": np.cos(np.arange(86) / 3)}, index=DAYS)
    model = PatchLSTMForecaster(**SMALL).fit(y, X=X.iloc[:80], fh=[1, 3])
    with pytest.warns(UserWarning, match=r"X has no row for 1 step\(s\) between"):
        out = model.predict(X=X.iloc[[80, 82]])
    assert list(out.index) == [DAYS[80], DAYS[82]]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        model.predict(X=X.iloc[80:83])


@pytest.mark.parametrize(
    ("index", "fh", "message"),
    [
        (pd.date_range("2024-01-01", periods=60, freq="D"),
         pd.DatetimeIndex(["2024-03-01 12:00", "2024-03-02 12:00"]),
         "fh holds 2024-03-01 12:00:00, 2024-03-02 12:00:00, off the grid of the "
         "series (its time stamps after the cutoff 2024-02-29 00:00:00 are "
         "2024-03-01 00:00:00, 2024-03-02 00:00:00, 2024-03-03 00:00:00, ...: a "
         "step of 'D'); pass fh on that grid, e.g. fh=[1, 2, 3] for the next three."),
        (pd.RangeIndex(0, 120, 2), pd.Index([121, 123]),
         "fh holds 121, 123, off the grid of the series (its time stamps after the "
         "cutoff 118 are 120, 122, 124, ...: a step of 2); pass fh on that grid, "
         "e.g. fh=[2, 4, 6] for the next three."),
        (pd.date_range("2024-01-05", periods=60, freq="W-FRI"),
         pd.DatetimeIndex(["2025-02-23"]),
         "fh holds 2025-02-23 00:00:00, off the grid of the series (its time stamps "
         "after the cutoff 2025-02-21 00:00:00 are 2025-02-28 00:00:00, 2025-03-07 "
         "00:00:00, 2025-03-14 00:00:00, ...: a step of 'W-FRI'); pass fh on that "
         "grid, e.g. fh=[1, 2, 3] for the next three."),
    ],
    ids=["noon of a daily series", "odd steps of a RangeIndex", "sunday of fridays"],
)  # fmt: skip
def test_fh_off_the_grid_is_refused_not_relabelled(index, fh, message):
    y = pd.Series(seasonal(60)[:, 0], index=index)
    with raises(ValueError, message):
        PatchLSTMForecaster(**SMALL).fit(
            y, fh=ForecastingHorizon(fh, is_relative=False)
        )


@pytest.mark.parametrize(
    ("index", "fh", "expected"),
    [
        (pd.RangeIndex(0, 120, 2), [2, 4], [120, 122]),
        (pd.RangeIndex(0, 120, 2), ForecastingHorizon([122], is_relative=False),
         [122]),
        (pd.period_range("2020-01", periods=60, freq="M"), [1, 3],
         list(pd.period_range("2025-01", periods=3, freq="M")[[0, 2]])),
        (pd.date_range("2024-01-01", periods=60, freq="D"),
         ForecastingHorizon(pd.DatetimeIndex(["2024-03-02"]), is_relative=False),
         [pd.Timestamp("2024-03-02")]),
    ],
    ids=["rangeindex relative", "rangeindex absolute", "periods", "dates absolute"],
)  # fmt: skip
def test_fh_on_the_grid_comes_back_at_its_own_stamps(index, fh, expected):
    y = pd.Series(seasonal(60)[:, 0], index=index)
    out = PatchLSTMForecaster(**SMALL).fit(y, fh=fh).predict()
    assert list(out.index) == expected


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        y = pd.Series(seasonal(60)[:, 0], index=DAYS[:60], name="y")
        model = PatchLSTMForecaster(**SMALL).fit(y, fh=[1, 2])
        path = tmp_path_factory.mktemp("sk") / "sk.skp"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no torch warning on saving
            model.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    return model, path, members


def test_loading_restores_without_training(saved, monkeypatch):
    model, path, _ = saved
    from sktime_patches import forecaster

    def no_training(*args, **kwargs):
        raise AssertionError("load() trained a network")

    monkeypatch.setattr(forecaster.PatchForecaster, "fit", no_training)
    loaded = load(path)
    pd.testing.assert_series_equal(loaded.predict(), model.predict())


def crafted(tmp_path, members, change):
    tree = json.loads(members["model.json"])
    change(tree["sktime"])
    out = tmp_path / "crafted.skp"
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in {**members, "model.json": json.dumps(tree)}.items():
            archive.writestr(name, data)
    return out


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda s: s.update(y_mtype="pd_multiindex_hier"),
         "the sktime forecaster's history is a DataFrame of layout "
         "'pd_multiindex_hier'; files hold one of ['pd.Series', 'pd.DataFrame', "
         "'pd-multiindex']"),
        (lambda s: s.update(fh=[0]), "the sktime forecaster's fh is [0]; it must be "
         "steps from 1 to the model's horizon, 2"),
        (lambda s: s.update(fh=[1, 9]), "the sktime forecaster's fh is [1, 9]; it "
         "must be steps from 1 to the model's horizon, 2"),
        (lambda s: s.update(fh=["1"]), "the sktime forecaster's fh is ['1']; it must "
         "be steps from 1 to the model's horizon, 2"),
        (lambda s: s.pop("y"), "the sktime forecaster's state lacks its model, "
         "history or fh"),
        (lambda s: s.update(y=[1, 2, 3]), "the sktime forecaster's history is a list "
         "of layout 'pd.Series'; files hold one of ['pd.Series', 'pd.DataFrame', "
         "'pd-multiindex']"),
        (lambda s: s.update(forecaster_=s["forecaster_"]["params"]["estimator"]),
         "the sktime forecaster holds a PatchForecaster, not a fitted "
         "SeriesForecaster"),
    ],
    ids=["hierarchical", "fh 0", "fh beyond", "fh text", "no y", "y a list",
         "not a series forecaster"],
)  # fmt: skip
def test_a_crafted_sktime_file_is_refused_without_training(
    tmp_path, saved, change, reason, monkeypatch
):
    from sktime_patches import forecaster

    monkeypatch.setattr(
        forecaster.PatchForecaster,
        "fit",
        lambda *a, **k: pytest.fail("load() trained a network"),
    )
    _, _, members = saved
    path = crafted(tmp_path, members, change)
    with raises(
        InvalidModelFileError,
        f"{str(path)!r} is not a valid sktime_patches file: {reason}.",
    ):
        load(path)
