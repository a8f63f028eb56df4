"""save/load: models that load again, identical, without running pickled code."""

import json
import pickle
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from helpers import raises, seasonal, tiny
from sklearn.linear_model import Ridge

import sktime_patches
from sktime_patches import PatchForecaster, load, make_windows
from sktime_patches.conformal import ConformalForecaster
from sktime_patches.exceptions import InvalidModelFileError
from sktime_patches.persistence import FORMAT_VERSION, save
from sktime_patches.series import SeriesForecaster

DATA = Path(__file__).parent / "data"
TINY = tiny(max_epochs=2)


@pytest.fixture(scope="module")
def windows():
    X, y = make_windows(seasonal(400, channels=2, noise=0.2), lookback=32, horizon=6)
    return X, y


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"quantiles": (0.1, 0.9)},
        {"head": "recurrent", "cell": "gru", "channel_groups": [[1], [0]]},
        {"target_channels": [1], "norm": "standard", "affine": True},
        {"linear_skip": "none", "encoder": "transformer", "pool_size": 2},
    ],
    ids=["default", "quantiles", "recurrent", "covariate", "transformer"],
)
def test_a_saved_network_predicts_identically(tmp_path, windows, params):
    X, y = windows
    if "target_channels" in params:
        y = y[:, :, 1:]
    model = PatchForecaster(**TINY, **params).fit(X, y)
    path = model.save(tmp_path / "model.skp")
    loaded = load(path)
    assert type(loaded) is PatchForecaster
    assert loaded.get_params() == model.get_params()
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    if "quantiles" in params:
        np.testing.assert_array_equal(
            loaded.predict_quantiles(X), model.predict_quantiles(X)
        )
    for name in ("lookback_", "horizon_", "patch_len_", "best_epoch_", "n_epochs_"):
        assert getattr(loaded, name) == getattr(model, name)
    assert list(loaded.history_[:, "train_loss"]) == list(
        model.history_[:, "train_loss"]
    )
    assert loaded.skip_alpha_ == model.skip_alpha_


def test_a_fresh_process_loads_and_predicts_the_same(tmp_path, windows):
    X, y = windows
    model = PatchForecaster(**TINY).fit(X, y)
    model.save(tmp_path / "model.skp")
    np.save(tmp_path / "X.npy", X)
    code = (
        "import numpy as np, sktime_patches;"
        f"m = sktime_patches.load({str(tmp_path / 'model.skp')!r});"
        f"np.save({str(tmp_path / 'pred.npy')!r}, m.predict(np.load({str(tmp_path / 'X.npy')!r})))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    np.testing.assert_array_equal(np.load(tmp_path / "pred.npy"), model.predict(X))


def test_series_forecasters_of_panels_covariates_and_intervals(tmp_path):
    rng = np.random.default_rng(0)
    frames = {}
    for sid in ("a", "b"):
        index = pd.date_range("2024-01-01", periods=200, freq="h", name="ds")
        price = rng.normal(size=200)
        frames[sid] = pd.DataFrame(
            {"load": np.sin(2 * np.pi * index.hour / 24) - price, "price": price},
            index=index,
        )
    y = {k: f[["load"]] for k, f in frames.items()}
    X = {k: f[["price"]] for k, f in frames.items()}
    model = SeriesForecaster(
        ConformalForecaster(PatchForecaster(**TINY), method="scaled"),
        lookback=24,
        horizon=6,
        future_covariates=["price"],
        calendar=True,
    ).fit(
        {k: v.iloc[:-6] for k, v in y.items()}, X={k: v.iloc[:-6] for k, v in X.items()}
    )
    loaded = load(model.save(tmp_path / "series.skp"))
    for key in ("a", "b"):
        pd.testing.assert_frame_equal(loaded.predict(X=X)[key], model.predict(X=X)[key])
        pd.testing.assert_frame_equal(
            loaded.predict_interval(X=X, coverage=[0.8, 0.9])[key],
            model.predict_interval(X=X, coverage=[0.8, 0.9])[key],
        )
    pd.testing.assert_series_equal(loaded.cutoffs_, model.cutoffs_)
    assert loaded.covariates_ == model.covariates_
    np.testing.assert_array_equal(loaded.estimator_.scores_, model.estimator_.scores_)


def test_a_single_series_with_a_period_index_and_an_unfitted_model(tmp_path):
    monthly = pd.Series(
        seasonal(120, period=12)[:, 0],
        index=pd.period_range("2010-01", periods=120, freq="M"),
        name="sales",
    )
    model = SeriesForecaster(PatchForecaster(**TINY), lookback="auto", horizon=3)
    model.fit(monthly)
    loaded = load(model.save(tmp_path / "m.skp"))
    pd.testing.assert_series_equal(loaded.predict(), model.predict())
    assert loaded.lookback_scores_ == model.lookback_scores_
    fresh = load(save(SeriesForecaster(PatchForecaster(), 24, 6), tmp_path / "u.skp"))
    assert not hasattr(fresh, "estimator_")
    assert (
        fresh.get_params()["estimator"].get_params() == PatchForecaster().get_params()
    )


def test_a_loaded_model_continues_training(tmp_path, windows):
    X, y = windows
    model = PatchForecaster(**TINY, warm_start=True).fit(X, y)
    loaded = load(model.save(tmp_path / "model.skp"))
    loaded.fit(X, y)
    # the saved epochs, then the new ones: training continued, not restarted
    assert loaded.n_epochs_ > model.n_epochs_
    saved = list(model.history_[:, "train_loss"])
    assert list(loaded.history_[: model.n_epochs_, "train_loss"]) == saved


def test_a_model_trained_on_a_gpu_loads_on_a_cpu(tmp_path, windows, monkeypatch):
    """The file records the device; without CUDA the net is built on the CPU
    (the weights are always read onto the CPU)."""
    X, y = windows
    model = PatchForecaster(**TINY).fit(X, y)
    path = model.save(tmp_path / "model.skp")
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    tree = json.loads(members["model.json"])
    tree["fitted"]["device_"] = "cuda"
    members["model.json"] = json.dumps(tree).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    loaded = load(path)
    assert loaded.device_ == "cpu"
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))


def test_the_file_of_the_first_format_version_loads():
    """A model saved by format version 1 (tests/data, written by
    sktime_patches 0.1.0) loads and forecasts what it forecast then."""
    model = load(DATA / "patch_forecaster_v1.skp")
    X = np.load(DATA / "patch_forecaster_v1_X.npy")
    expected = np.load(DATA / "patch_forecaster_v1_pred.npy")
    np.testing.assert_allclose(model.predict(X), expected, rtol=1e-6, atol=1e-6)


def test_files_it_cannot_or_must_not_read_are_refused(tmp_path, windows):
    X, y = windows
    path = PatchForecaster(**TINY).fit(X, y).save(tmp_path / "model.skp")
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}

    def rewrite(name, **changes):
        out = tmp_path / name
        with zipfile.ZipFile(out, "w") as archive:
            for member, data in {**members, **changes}.items():
                archive.writestr(member, data)
        return out

    manifest = json.loads(members["manifest.json"])
    newer = rewrite(
        "newer.skp",
        **{
            "manifest.json": json.dumps(
                {**manifest, "format_version": FORMAT_VERSION + 1}
            )
        },
    )
    with raises(
        ValueError,
        f"{str(newer)!r} was written in format version {FORMAT_VERSION + 1} (by "
        f"sktime_patches {sktime_patches.__version__}), newer than the version "
        f"{FORMAT_VERSION} this sktime_patches {sktime_patches.__version__} reads; "
        "upgrade sktime_patches to load it.",
    ):
        load(newer)

    class Boom:
        def __reduce__(self):
            return (print, ("this ran",))

    evil = rewrite(
        "evil.skp", **{"tensors.pt": pickle.dumps({"0": Boom()}, protocol=2)}
    )
    with raises(
        InvalidModelFileError,
        f"{str(evil)!r} is not a valid sktime_patches file: tensors.pt is not a "
        "file of torch.save's format (a plain pickle perhaps, which load() never "
        "unpickles).",
    ):
        load(evil)
    joblib_file = tmp_path / "model.pkl"
    joblib_file.write_bytes(pickle.dumps(Ridge()))
    with raises(
        ValueError,
        f"{str(joblib_file)!r} is not a valid sktime_patches file: not a zip "
        "archive; a pickle or joblib file loads with joblib.load.",
    ):
        load(joblib_file)
    with raises(
        TypeError,
        "estimator.estimator is a Ridge; this format saves PatchForecaster, "
        "ConformalForecaster and SeriesForecaster. Save the model with "
        "joblib.dump, or skops.io.dump for plain scikit-learn estimators.",
    ):
        SeriesForecaster(Ridge(), 4, 2).save(tmp_path / "ridge.skp")


def _expected_of_saved_files():
    """What the models of tests/data forecast when they were saved (written by
    sktime_patches 0.1.0 before the estimators saved their own state)."""
    with open(DATA / "saved_v1_expected.pkl", "rb") as f:  # our own test data
        return _text_as_inferred(pickle.load(f))


def _text_as_inferred(value):
    """The expected values with their text labels in the dtype this pandas
    infers (the pickle holds them as object, which pandas 2 and 3 both read;
    pandas 3 infers its string dtype, as loaded models do)."""
    if isinstance(value, dict):
        return {k: _text_as_inferred(v) for k, v in value.items()}

    def labels(index):
        if isinstance(index, pd.MultiIndex):
            return index.set_levels([labels(level) for level in index.levels])
        if index.dtype == object:
            return pd.Index(index.tolist(), name=index.name)
        return index

    if isinstance(value, (pd.DataFrame, pd.Series)):
        value = value.copy()
        value.index = labels(value.index)
        if isinstance(value, pd.DataFrame):
            value.columns = labels(value.columns)
    return value


def test_a_saved_panel_with_covariates_and_intervals_loads():
    expected = _expected_of_saved_files()["panel"]
    model = load(DATA / "series_panel_v1.skp")
    X = expected["X"]
    for key, frame in expected["predict"].items():
        pd.testing.assert_frame_equal(
            model.predict(X=X)[key], frame, rtol=1e-6, atol=1e-6
        )
    for key, frame in expected["interval"].items():
        pd.testing.assert_frame_equal(
            model.predict_interval(X=X, coverage=[0.8])[key],
            frame,
            rtol=1e-6,
            atol=1e-6,
        )


def test_a_saved_single_series_loads():
    expected = _expected_of_saved_files()["single"]
    model = load(DATA / "series_single_v1.skp")
    pd.testing.assert_series_equal(
        model.predict(), expected["predict"], rtol=1e-6, atol=1e-6
    )
    pd.testing.assert_series_equal(
        model.predict(expected["history"]),
        expected["predict_history"],
        rtol=1e-6,
        atol=1e-6,
    )


def test_a_saved_sktime_forecaster_loads():
    pytest.importorskip("sktime")
    expected = _expected_of_saved_files()["sktime"]
    model = load(DATA / "sktime_adapter_v1.skp")
    pd.testing.assert_series_equal(
        model.predict(), expected["predict"], rtol=1e-6, atol=1e-6
    )
    pd.testing.assert_frame_equal(
        model.predict_interval(coverage=0.9), expected["interval"], rtol=1e-6, atol=1e-6
    )


def test_the_format_module_imports_no_estimator():
    """persistence knows no estimator: they register with SaveMixin (it
    imports the package's exceptions, which import nothing)."""
    code = (
        "import sys, sktime_patches.persistence\n"
        "print(sorted(m for m in sys.modules if m.startswith('sktime_patches.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert (
        done.stdout.strip()
        == "['sktime_patches._version', 'sktime_patches.exceptions', "
        "'sktime_patches.persistence']"
    )


def test_a_registered_estimator_saves_its_own_state(tmp_path):
    """A new estimator saves and loads through the SaveMixin hooks, without a
    change to the format module; a subclass that does not register is refused."""
    from sklearn.base import BaseEstimator

    from sktime_patches.persistence import SaveMixin

    saved_as = f"tests.Scaled.{uuid.uuid4().hex}"  # once per class, per process

    class Scaled(SaveMixin, BaseEstimator, saved_as=saved_as):
        def __init__(self, factor=2.0):
            self.factor = factor

        def fit(self, X, y=None):
            self.table_ = np.asarray(X, dtype=np.float64) * self.factor
            self.names_ = ["a", "b"]
            return self

        def predict(self, X):
            return self.table_

    model = Scaled(factor=3.0).fit(np.arange(6.0).reshape(3, 2))
    loaded = load(model.save(tmp_path / "scaled.skp"))
    assert type(loaded) is Scaled and loaded.factor == 3.0
    np.testing.assert_array_equal(loaded.table_, model.table_)
    assert loaded.names_ == ["a", "b"]
    with zipfile.ZipFile(tmp_path / "scaled.skp") as archive:
        tree = json.loads(archive.read("model.json"))
    assert (tree["class"], tree["module"]) == (saved_as, Scaled.__module__)

    class Unregistered(Scaled):
        pass

    with raises(
        TypeError,
        "estimator is a Unregistered; this format saves PatchForecaster, "
        "ConformalForecaster and SeriesForecaster. Save the model with "
        "joblib.dump, or skops.io.dump for plain scikit-learn estimators.",
    ):
        Unregistered().save(tmp_path / "unregistered.skp")
    with raises(
        ValueError, f"{saved_as!r} is already the saved name of "
        "test_a_registered_estimator_saves_its_own_state.<locals>.Scaled; pass "
        "another saved_as.",
    ):  # fmt: skip

        class Again(SaveMixin, BaseEstimator, saved_as=saved_as):
            pass


def test_a_file_cannot_make_the_loader_import_or_build_other_classes(tmp_path):
    path = PatchForecaster(**TINY).save(tmp_path / "model.skp")
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    for name, module in [("Ridge", "sklearn.linear_model"), ("system", "os")]:
        tree = json.loads(members["model.json"])
        tree.update({"class": name, "module": module})
        out = tmp_path / f"{name}.skp"
        with zipfile.ZipFile(out, "w") as archive:
            for member, data in {**members, "model.json": json.dumps(tree)}.items():
                archive.writestr(member, data)
        with raises(
            ValueError,
            f"{str(out)!r} is not a valid sktime_patches file: it holds a {name!r}, "
            "which this version of sktime_patches does not know.",
        ):
            load(out)
