"""Smoke test of the benchmark harness (the full runs live in benchmarks/)."""

import importlib
import json
import re
import shlex
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from sktime_patches.baselines import LastValueRidge

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
for folder in ("reference", "studies", "."):  # the scripts of each kind
    sys.path.insert(0, str(BENCH / folder))

protocol = importlib.import_module("protocol")
baselines = importlib.import_module("baselines")
run = importlib.import_module("run")
make_table = importlib.import_module("make_table")
linear_variants = importlib.import_module("linear_variants")
seed_ensemble = importlib.import_module("seed_ensemble")
cost = importlib.import_module("cost")


def test_benchmark_data_is_the_packaged_copy_by_default(monkeypatch):
    """A clone runs the benchmarks with nothing beside it: the CSV files are
    read from inside the package unless --data-dir says otherwise."""
    monkeypatch.delenv("SKTIME_PATCHES_DATA", raising=False)
    folder = protocol.data_dir()
    assert folder.parts[-3:] == ("sktime_patches", "datasets", "data")
    assert (folder / "ETTh1.csv").is_file()


def test_data_dir_argument_points_the_harness_elsewhere(tmp_path, monkeypatch):
    import argparse

    # set first, so that monkeypatch restores the variable's absence afterwards
    monkeypatch.setenv("SKTIME_PATCHES_DATA", "unset-by-teardown")
    parser = argparse.ArgumentParser()
    protocol.add_data_dir_argument(parser)
    parser.parse_args(["--data-dir", str(tmp_path)])
    assert protocol.data_dir() == tmp_path.resolve()
    with pytest.raises(SystemExit):
        parser.parse_args(["--data-dir", str(tmp_path / "missing")])


@pytest.mark.parametrize("name", ["etth1", "ili"])
def test_window_counts_match_the_protocol(name):
    assert protocol.check_window_counts(name) == protocol.EXPECTED_TEST_WINDOWS[name]


def test_splits_are_scaled_with_train_statistics_only():
    split = protocol.prepare("etth1")
    train = split.segments["train"]
    np.testing.assert_allclose(train.mean(0), 0, atol=1e-9)
    np.testing.assert_allclose(train.std(0), 1, atol=1e-9)
    assert split.bounds == {
        "train": (0, 8640),
        "val": (8640 - 336, 11520),
        "test": (11520 - 336, 14400),
    }


def test_run_cell_writes_a_complete_record_and_the_table_shows_it(tmp_path):
    ridge = run.run_cell("ili", 24, "ridge", [0], {}, 1, "default", tmp_path)
    patch = run.run_cell(
        "ili",
        24,
        "patch",
        [0],
        {"max_epochs": 1, "d_model": 8, "hidden_size": 8},
        1,
        "default",
        tmp_path,
    )
    assert ridge["n_test_windows"] == 170
    # the package's closed-form baseline: RESULTS.md's floor on ILI-24
    assert ridge["summary"]["test_mse"]["mean"] == pytest.approx(2.0905, abs=1e-4)
    assert ridge["runs"][0]["selected"] == {"alpha": 1e4}
    for key in (
        "test_mse",
        "test_mae",
        "fit_seconds",
        "epochs_run",
        "train_windows_per_second",
        "predict_windows_per_second",
    ):
        assert np.isfinite(patch["summary"][key]["mean"])
    saved = json.loads((tmp_path / "ili_L104_H24_patch_default.json").read_text())
    assert saved["versions"]["torch"] and saved["machine"]["torch_threads"] == 1
    text = make_table.render(make_table.load(tmp_path))
    row = next(
        line for line in text.splitlines() if line.startswith("| ili L=104 H=24")
    )
    assert f"{patch['summary']['test_mse']['mean']:.4f}" in row
    assert f"{ridge['summary']['test_mse']['mean']:.4f}" in row
    assert "crossfit" not in saved
    # the README's summary: the default and the floor, each with its fit time
    (line,) = [
        line
        for line in make_table.summary_table(make_table.load(tmp_path))
        if line.startswith("| ILI H=24")
    ]
    cells = line.strip("| ").split(" | ")
    assert cells[0] == "ILI H=24 (L=104)"
    assert cells[1].startswith(f"{patch['summary']['test_mse']['mean']:.4f} ± ")
    assert cells[3] == f"{ridge['summary']['test_mse']['mean']:.4f}"
    assert float(cells[2]) == pytest.approx(
        patch["summary"]["fit_seconds"]["median"], abs=0.05
    )


def test_readme_summary_replaces_only_what_lies_between_the_markers():
    readme = "intro\n<!-- results:start -->\nold table\n<!-- results:end -->\nrest\n"
    out = make_table.readme_with_summary(readme, [])
    head, rest = out.split("<!-- results:start -->")
    body, tail = rest.split("<!-- results:end -->")
    assert (head, tail) == ("intro\n", "\nrest\n")
    assert "old table" not in body
    assert "| ETTh1 H=96 (L=?) | n/a | n/a | n/a | n/a |" in body
    with pytest.raises(ValueError, match="lacks the markers"):
        make_table.readme_with_summary("no markers", [])


def test_committed_results_table_is_up_to_date():
    assert make_table.main(["--check"]) == 0


def test_transfer_scores_val_as_a_pseudo_test_beside_the_linear_start():
    search = importlib.import_module("search")
    split = protocol.prepare("ili")
    tiny = {
        "max_epochs": 2,
        "d_model": 8,
        "hidden_size": 8,
        "validation_fraction": 0.25,
    }
    result = search.score_transfer(split, 24, tiny, seed=0, threads=1)
    # the linear start is the ridge on the train windows (penalty chosen on
    # their latest quarter), so it forecasts val about as well as the ridge
    # baseline does (val MSE 0.264 at ILI-24, its penalty chosen on val itself)
    assert 0.2 < result["start_pseudo_test_mse"] < 0.4
    assert np.isfinite(result["pseudo_test_mse"])
    assert result["epochs_run"] == len(result["inner_val_loss_curve"]) <= 2


def test_seasonal_prior_repeats_the_mean_of_the_last_periods():
    lags = np.array([[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]])
    last_period = linear_variants.seasonal_prior(period=2, n_periods=1, horizon=5)
    np.testing.assert_array_equal(last_period(lags), [[4.0, 5.0, 4.0, 5.0, 4.0]])
    two_periods = linear_variants.seasonal_prior(period=2, n_periods=2, horizon=3)
    np.testing.assert_array_equal(two_periods(lags), [[3.0, 4.0, 3.0]])


def test_weighted_ridge_with_equal_weights_is_the_ridge_path():
    rng = np.random.default_rng(0)
    coef = rng.normal(size=(6, 3))
    X, X_val = rng.normal(size=(200, 6)), rng.normal(size=(50, 6))
    y = X @ coef + rng.normal(size=(200, 3))
    y_val = X_val @ coef + rng.normal(size=(50, 3))
    mse, alpha = linear_variants.weighted_val_mse(X, y, X_val, y_val, np.full(200, 3.0))
    path = baselines.RidgePath(X, y).mse_path(X_val, y_val, linear_variants.ALPHAS)
    assert mse == pytest.approx(min(path))
    assert alpha == linear_variants.ALPHAS[int(np.argmin(path))]


def test_ridge_path_sample_weight_counts_as_copies_of_the_sample():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(30, 4)), rng.normal(size=(30, 2))
    copies = rng.integers(1, 4, size=30)
    weighted = baselines.RidgePath(X, y, sample_weight=copies.astype(float))
    repeated = baselines.RidgePath(np.repeat(X, copies, 0), np.repeat(y, copies, 0))
    for alpha in (0.1, 10.0):
        coef = weighted.coef(alpha)
        np.testing.assert_allclose(coef, repeated.coef(alpha), atol=1e-10)
        np.testing.assert_allclose(
            weighted.intercept(coef), repeated.intercept(coef), atol=1e-10
        )


def test_seed_ensemble_never_scores_worse_than_its_members_on_average(tmp_path):
    params = (
        '{"validation_fraction": 0.25, "max_epochs": 2, "d_model": 8, "hidden_size": 8}'
    )
    argv = ["--dataset", "ili", "--horizon", "24", "--seeds", "0", "1"]
    argv += ["--params", params, "--threads", "1", "--out-dir", str(tmp_path)]
    assert seed_ensemble.main(argv) == 0
    record = json.loads((tmp_path / "seed_ensemble_ili_H24.json").read_text())
    first, both = record["ensembles"]
    assert first["ensemble_mse"] == pytest.approx(record["member_mse"][0])
    assert both["members_mean_mse"] == pytest.approx(np.mean(record["member_mse"]))
    assert both["ensemble_mse"] <= both["members_mean_mse"]


def test_predict_batch_compares_the_chosen_size_with_others(tmp_path):
    predict_batch = importlib.import_module("predict_batch")
    argv = ["--dataset", "ili", "--horizon", "24", "--rounds", "1", "--threads", "1"]
    assert predict_batch.main([*argv, "--out-dir", str(tmp_path)]) == 0
    record = json.loads((tmp_path / "predict_batch_ili_H24.json").read_text())
    # 7168 row-steps // (7 channels x 5 patches of ILI's 104 weeks)
    assert record["chosen_batch"] == 204
    rates = record["median_windows_per_second"]
    assert set(rates) == {"204", *map(str, predict_batch.OTHERS)}
    assert all(rate > 0 for rate in rates.values())
    assert record["speedup_over_2048"] == rates["204"] / rates["2048"]


@pytest.mark.parametrize("n_windows", [0, 5, 16, 134, 170, 2785])
@pytest.mark.parametrize("batch_size", [16, 128])
def test_drop_last_kept_counts_what_a_drop_last_loader_yields(n_windows, batch_size):
    loader = torch.utils.data.DataLoader(
        range(n_windows), batch_size=batch_size, drop_last=True
    )
    yielded = sum(len(batch) for batch in loader)
    assert protocol.drop_last_kept(n_windows, batch_size) == yielded


# A stand-in for the reference code's experiment class: "training" leaves a
# model that repeats each window's last value, so the scores are known.
FAKE_EXP_MAIN = """
import torch
import sys
sys.path.insert(0, {bench!r})
import protocol


class _RepeatLast(torch.nn.Module):
    def __init__(self, horizon):
        super().__init__()
        self.horizon = horizon

    def forward(self, x):
        return x[:, -1:, :].repeat(1, self.horizon, 1)


class _Data:
    def __init__(self, data_x, n_windows):
        self.data_x, self.n_windows = data_x, n_windows

    def __len__(self):
        return self.n_windows


class Exp_Main:
    def __init__(self, args):
        self.args = args

    def train(self, setting):
        if {shift}:
            raise AssertionError("trained before the test split was checked")
        return _RepeatLast(self.args.pred_len)

    def _get_data(self, flag):
        split = protocol.prepare("ili")
        X, _ = split.windows(flag, self.args.pred_len)
        return _Data(split.segments[flag] + {shift}, len(X)), None
"""


def _fake_reference_code(root, shift=0.0):
    bench = str(Path(__file__).resolve().parents[1] / "benchmarks")
    exp = root / "PatchTST_supervised" / "exp"
    exp.mkdir(parents=True)
    (exp / "__init__.py").write_text("")
    (exp / "exp_main.py").write_text(FAKE_EXP_MAIN.format(bench=bench, shift=shift))
    return root


def _forget_reference_code():
    for name in [m for m in sys.modules if m == "exp" or m.startswith("exp.")]:
        del sys.modules[name]


def test_patchtst_reference_scores_every_window_and_the_drop_last_ones(tmp_path):
    reference = importlib.import_module("patchtst_reference")
    root = _fake_reference_code(tmp_path / "PatchTST")
    out = tmp_path / "results"
    argv = ["--patchtst-dir", str(root), "--dataset", "ili", "--horizon", "24"]
    try:
        reference.main([*argv, "--seeds", "7", "--threads", "1", "--out", str(out)])
    finally:
        _forget_reference_code()
        sys.path.remove(str(root / "PatchTST_supervised"))
    record = json.loads((out / "patchtst_reference_ili_H24.json").read_text())
    (run,) = record["runs"]
    X, y = protocol.prepare("ili").windows("test", 24)
    pred = np.repeat(X[:, -1:, :], 24, axis=1)
    assert run["seed"] == 7
    assert (run["n_test_windows"], run["n_test_windows_drop_last"]) == (170, 160)
    assert run["test_mse"] == pytest.approx(protocol.mse(y, pred), rel=1e-6)
    assert run["test_mse_drop_last"] == pytest.approx(
        protocol.mse(y[:160], pred[:160]), rel=1e-6
    )
    assert run["test_mse_drop_last"] != pytest.approx(run["test_mse"], rel=1e-3)
    assert record["config"]["patch_len"] == 24 and record["config"]["stride"] == 2
    lines = make_table.reference_table(make_table.reference_records(out))
    assert lines[-1].startswith("| ili H=24 | 1.522 / 0.814 | ")  # PatchTST/42
    assert f"| {run['test_mse']:.4f} ± 0.0000 / {run['test_mae']:.4f} | " in lines[-1]
    kept = f"| {run['test_mse_drop_last']:.4f} ± 0.0000 / {run['test_mae_drop_last']:.4f} |"
    assert kept in lines[-1]
    assert lines[-1].endswith(f"| 7 | {run['fit_seconds']:.0f} |")


def test_patchtst_reference_refuses_a_split_that_differs_from_the_protocol(tmp_path):
    reference = importlib.import_module("patchtst_reference")
    root = _fake_reference_code(tmp_path / "PatchTST", shift=1.0)
    try:
        with pytest.raises(RuntimeError) as excinfo:
            reference.fit_and_score(
                root / "PatchTST_supervised", "ili", 24, 0, tmp_path
            )
    finally:
        _forget_reference_code()
        sys.path.remove(str(root / "PatchTST_supervised"))
    assert str(excinfo.value) == (
        "The reference code's test split differs from this protocol's; the "
        "figures would not be comparable."
    )


def test_patchtst_reference_names_the_missing_checkout(tmp_path, capsys):
    reference = importlib.import_module("patchtst_reference")
    with pytest.raises(SystemExit):
        reference.main(
            ["--patchtst-dir", str(tmp_path), "--dataset", "ili", "--horizon", "24"]
        )
    assert capsys.readouterr().err.endswith(
        f"error: --patchtst-dir '{tmp_path}': no PatchTST_supervised/exp/"
        "exp_main.py there; pass the root of a checkout of "
        "https://github.com/yuqinie98/PatchTST.\n"
    )


def test_commands_reproduce_each_group_of_records_once():
    def record(horizon, model="patch", tag="default", params=None, **extra):
        seeds = [0, 1, 2] if model == "patch" else []
        return {"dataset": "etth1", "horizon": horizon, "model": model, "tag": tag,
                "params": params or {}, "seeds": seeds, **extra}  # fmt: skip

    records = [
        record(192, tag="pooled", params={"pool_size": 2}),
        record(96, tag="pooled", params={"pool_size": 2}),
        record(96, model="ridge"),
        record(96, tag="crossfit", crossfit=5),
    ]
    reference = [{"dataset": "ili", "horizon": 24, "runs": [{"seed": 2021}]}]
    lines = make_table.commands(records, reference)
    block = lines[
        lines.index("```bash") + 1 : lines.index("```", lines.index("```bash") + 1)
    ]
    assert block[0] == (
        "# retired option, run at commit 8725d6e: python benchmarks/run.py "
        "--dataset etth1 --horizon 96 --seeds 0 1 2 --tag crossfit --crossfit 5"
    )
    assert [shlex.split(line) for line in block[1:]] == [
        ["python", "benchmarks/run.py", "--dataset", "etth1", "--horizon", "96",
         "--model", "ridge"],
        ["python", "benchmarks/run.py", "--dataset", "etth1", "--horizon", "96", "192",
         "--seeds", "0", "1", "2", "--tag", "pooled", "--params", '{"pool_size": 2}'],
        ["python", "benchmarks/reference/patchtst_reference.py", "--patchtst-dir",
         "PATCHTST_CHECKOUT", "--dataset", "ili", "--horizon", "24", "--seeds", "2021"],
    ]  # fmt: skip
    assert make_table.commands([]) == []


def test_recorded_commands_name_the_scripts_where_they_lie_now():
    """Records keep the command as it was run; the tables show where the
    script lies today."""
    now = make_table.command_now
    assert now("python benchmarks/intervals.py --seeds 0 1") == (
        "python benchmarks/studies/intervals.py --seeds 0 1"
    )
    assert now("python benchmarks/segrnn_reference.py --segrnn-dir x") == (
        "python benchmarks/reference/segrnn_reference.py --segrnn-dir x"
    )
    for unchanged in (
        "python benchmarks/run.py --dataset ili --horizon 24",
        "python benchmarks/studies/lookback.py --dataset ili",
        "sktime-patches forecast <tmp> --horizon 24",
    ):
        assert now(unchanged) == unchanged


@pytest.mark.parametrize(
    "script", sorted(BENCH.glob("**/*.py")), ids=lambda p: str(p.relative_to(BENCH))
)
def test_every_script_names_its_own_path_in_its_usage(script):
    """A script's docstring tells how to run it from the repository root."""
    doc = script.read_text().split('"""')[1]
    named = set(re.findall(r"python (benchmarks/\S+\.py)", doc))
    assert named <= {script.relative_to(BENCH.parent).as_posix()}


def test_lookback_sweep_records_each_lookback_and_picks_the_lowest_val_mse(tmp_path):
    lookback = importlib.import_module("lookback")
    argv = ["--dataset", "ili", "--horizon", "24", "--lookbacks", "36", "52"]
    assert lookback.main([*argv, "--out-dir", str(tmp_path)]) == 0
    record = json.loads((tmp_path / "lookback_ridge_ili.json").read_text())
    assert record["dataset"] == "ili"
    assert record["lookbacks"] == [36, 52] and record["horizons"] == [24]
    assert {"versions", "date", "command"} <= set(record)
    cell = record["results"]["24"]
    assert [row["lookback"] for row in cell["rows"]] == [36, 52]
    for row in cell["rows"]:
        assert {"alpha", "val_mse", "test_mse", "test_mae"} <= set(row)
        # the package's ridge, its penalty chosen on val, fitted on train only
        split = protocol.prepare("ili", row["lookback"])
        (X_va, y_va), (X_te, y_te) = split.windows("val", 24), split.windows("test", 24)
        model = LastValueRidge().fit(
            *split.windows("train", 24), X_val=X_va, y_val=y_va
        )
        assert row["alpha"] == model.alpha_
        assert row["val_mse"] == pytest.approx(protocol.mse(y_va, model.predict(X_va)))
        assert row["test_mse"] == pytest.approx(protocol.mse(y_te, model.predict(X_te)))
        assert row["n_test_windows"] == len(X_te)
    best = min(cell["rows"], key=lambda row: row["val_mse"])
    assert cell["picked_lookback"] == best["lookback"]


# A stand-in for SegRNN's experiment module: the data are the protocol's
# (shifted by ``shift``), "training" reports three val losses to the module's
# EarlyStopping and leaves a model that repeats each window's last value.
FAKE_SEGRNN_EXP_MAIN = """
import sys

import torch

sys.path.insert(0, {bench!r})
import protocol


class EarlyStopping:
    def __init__(self, patience=7, verbose=False, delta=0):
        self.best = None

    def __call__(self, val_loss, model, path):
        if self.best is None or val_loss <= self.best:
            self.best = val_loss
            self.save_checkpoint(val_loss, model, path)

    def save_checkpoint(self, val_loss, model, path):
        pass


class _RepeatLast(torch.nn.Module):
    def __init__(self, horizon):
        super().__init__()
        self.horizon = horizon

    def forward(self, x):
        return x[:, -1:, :].repeat(1, self.horizon, 1)


class _Data:
    def __init__(self, data_x, lookback, horizon):
        self.data_x, self.lookback, self.horizon = data_x, lookback, horizon

    def __len__(self):
        return len(self.data_x) - self.lookback - self.horizon + 1

    def __getitem__(self, i):
        end = i + self.lookback
        return self.data_x[i:end], self.data_x[end : end + self.horizon], None, None


class Exp_Main:
    def __init__(self, args):
        self.args = args

    def train(self, setting):
        if {shift}:
            raise AssertionError("trained before the test split was checked")
        stopping = EarlyStopping(self.args.patience)
        for loss in (0.5, 0.3, 0.4):
            stopping(loss, None, self.args.checkpoints)
        return _RepeatLast(self.args.pred_len)

    def _get_data(self, flag):
        split = protocol.prepare("ili", self.args.seq_len)
        data_x = split.segments[flag] + (1 if flag == "test" else 0) * {shift}
        return _Data(data_x, self.args.seq_len, self.args.pred_len), None
"""


def _fake_segrnn_code(root, shift=0.0):
    bench = str(Path(__file__).resolve().parents[1] / "benchmarks")
    exp = root / "exp"
    exp.mkdir(parents=True)
    (exp / "__init__.py").write_text("")
    (exp / "exp_main.py").write_text(
        FAKE_SEGRNN_EXP_MAIN.format(bench=bench, shift=shift)
    )
    return root


def test_segrnn_reference_scores_every_window_and_the_drop_last_ones(tmp_path):
    reference = importlib.import_module("segrnn_reference")
    root = _fake_segrnn_code(tmp_path / "SegRNN")
    out = tmp_path / "results"
    argv = ["--segrnn-dir", str(root), "--dataset", "ili", "--lookback", "104"]
    argv += ["--seg-len", "8", "--horizon", "24", "--seeds", "7", "--out", str(out)]
    try:
        reference.main(argv)
    finally:
        _forget_reference_code()
        sys.path.remove(str(root))
    record = json.loads((out / "segrnn_reference_ili_L104_H24.json").read_text())
    (run,) = record["runs"]
    X, y = protocol.prepare("ili").windows("test", 24)
    pred = np.repeat(X[:, -1:, :], 24, axis=1)
    # ill.sh's batch of 16: a drop_last loader keeps 160 of the 170 windows
    assert (run["n_test_windows"], run["n_test_windows_drop_last"]) == (170, 160)
    assert run["test_mse"] == pytest.approx(protocol.mse(y, pred), rel=1e-6)
    assert run["test_mae"] == pytest.approx(protocol.mae(y, pred), rel=1e-6)
    assert run["test_mse_drop_last"] == pytest.approx(
        protocol.mse(y[:160], pred[:160]), rel=1e-6
    )
    assert run["test_mae_drop_last"] == pytest.approx(
        protocol.mae(y[:160], pred[:160]), rel=1e-6
    )
    assert run["test_mse_drop_last"] != pytest.approx(run["test_mse"], rel=1e-3)
    # the checkpoint kept is the best on val, the second of three epochs
    assert (run["epochs_run"], run["kept_epoch"], run["val_loss_kept"]) == (3, 2, 0.3)
    assert len(run["epoch_seconds"]) == 3
    assert record["summary"]["test_mse"]["mean"] == run["test_mse"]
    assert (record["lookback"], record["config"]["seg_len"]) == (104, 8)
    assert record["config"]["revin"] == 1 and record["script"].endswith("ill.sh")
    assert record["deviations_from_script"] == {
        "seq_len": {"script": 60, "used": 104},
        "seg_len": {"script": 12, "used": 8},
        "num_workers": {"script": 10, "used": 0},
        "use_gpu": {"script": True, "used": False},
    }
    assert record["ridge_same_lookback"]["test_mse"] == pytest.approx(2.0905, abs=1e-4)
    assert record["command"].startswith(
        "python benchmarks/reference/segrnn_reference.py "
    )
    # make_table reads it as a reference record, not as one of run.py's
    assert make_table.reference_records(out, "segrnn_reference_") == [record]


def test_segrnn_reference_refuses_a_split_that_differs_from_the_protocol(tmp_path):
    reference = importlib.import_module("segrnn_reference")
    root = _fake_segrnn_code(tmp_path / "SegRNN", shift=1.0)
    try:
        with pytest.raises(RuntimeError) as excinfo:
            reference.fit_and_score(root, "ili", 104, 24, 0, tmp_path, seg_len=8)
    finally:
        _forget_reference_code()
        sys.path.remove(str(root))
    assert str(excinfo.value) == (
        "The reference code's test split differs from this protocol's (ili, "
        "L=104, H=24): its scaled rows differ from protocol.prepare's (rows "
        "[669, 966) of the file, scaled with train statistics) by up to 1; the "
        "figures would not be comparable."
    )


def test_segrnn_reference_names_the_missing_checkout(tmp_path, capsys):
    reference = importlib.import_module("segrnn_reference")
    with pytest.raises(SystemExit):
        reference.main(
            ["--segrnn-dir", str(tmp_path), "--dataset", "ili", "--horizon", "24"]
        )
    assert capsys.readouterr().err.endswith(
        f"error: --segrnn-dir '{tmp_path}': no exp/exp_main.py there; pass the "
        "root of a checkout of https://github.com/lss-1138/SegRNN.\n"
    )


def test_segrnn_reference_asks_for_a_segment_that_divides_both_lengths(
    tmp_path, capsys
):
    reference = importlib.import_module("segrnn_reference")
    root = _fake_segrnn_code(tmp_path / "SegRNN")
    with pytest.raises(SystemExit):
        reference.main(
            ["--segrnn-dir", str(root), "--dataset", "ili", "--horizon", "24"]
        )
    assert capsys.readouterr().err.endswith(
        "error: seg_len 12 does not divide both L=104 and H=24, as SegRNN's code "
        "needs; pass --seg-len, one of [1, 2, 4, 8].\n"
    )


def test_the_floor_is_the_ridge_at_the_same_lookback():
    """Beat the ridge on ETTh1-96; within 0.5% of it on ETTh1-336."""

    def record(horizon, model, mse, tag="default", val=None):
        summary = {
            "test_mse": {"mean": mse, "std": 0.0},
            "test_mae": {"mean": 0.4, "std": 0.0},
        }
        if val is not None:
            summary["val_mse_best"] = {"mean": val, "std": 0.0}
        return {"dataset": "etth1", "horizon": horizon, "model": model, "tag": tag,
                "lookback": 336, "summary": summary}  # fmt: skip

    records = [
        record(96, "patch", 0.3700, val=0.64),
        record(96, "ridge", 0.3696),
        record(96, "patch", 0.3650, tag="other", val=0.63),
        record(336, "patch", 0.4270, val=1.15),
        record(336, "ridge", 0.4261),
    ]
    rows = {
        line.split(" | ")[0]: line.split(" | ")
        for line in make_table.accuracy_table(records)[2:]
    }
    assert rows["| etth1 L=336 H=96"][4] == "**no**"  # 0.3700 does not beat 0.3696
    assert rows["| etth1 L=336 H=96"][5] == "other: 0.3650"  # lowest val MSE
    assert rows["| etth1 L=336 H=336"][4] == "yes (within 0.5%)"
    assert rows["| etth1 L=? H=192"][4] == "not run"


def test_lookback_table_marks_what_val_picks(tmp_path):
    rows = [
        {"lookback": lb, "val_mse": val, "test_mse": test}
        for lb, val, test in ((96, 0.70, 0.383), (512, 0.66, 0.365))
    ]
    record = {"dataset": "etth1", "lookbacks": [96, 512],
              "results": {"96": {"rows": rows, "picked_lookback": 512}}}  # fmt: skip
    (tmp_path / "lookback_ridge_etth1.json").write_text(json.dumps(record))
    lines = make_table.lookback_table(tmp_path)
    assert "| H=96 | 0.7000 / 0.3830 | *0.6600 / 0.3650 |" in lines


def test_long_series_runs_the_command_line_and_records_it(tmp_path):
    long_series = importlib.import_module("long_series")
    assert (
        long_series.main(
            ["--rows", "3000", "--threads", "1", "--out-dir", str(tmp_path)]
        )
        == 0
    )
    record = json.loads((tmp_path / "long_series_3000.json").read_text())
    assert record["exit_code"] == 0 and record["rows"] == 3000
    assert record["printed"][0].startswith("Fitting PatchForecaster on")
    assert record["forecast_seconds"] > 0 and record["peak_rss_mb"] > 0


def test_interval_stream_gives_each_value_once_when_it_is_observed():
    """Step s (0-based) of test window j is the value at row j + s + 1: it is
    given then, once; a forecast's intervals use no value after its row."""
    intervals = importlib.import_module("intervals")
    rng = np.random.default_rng(0)
    n, horizon = 30, 4
    y = rng.normal(size=(n, horizon, 2))
    given = {}
    for t in range(n):
        made, seen = intervals.stream(y, t)
        for row, window in zip(seen, made, strict=True):
            (step,) = np.flatnonzero(~np.isnan(row[:, 0]))
            assert (window, step) not in given
            given[window, step] = t
            assert np.array_equal(row[step], y[window, step])
    assert all(t == j + s + 1 for (j, s), t in given.items())
    assert len(given) == sum(max(n - s - 1, 0) for s in range(horizon))

    # the tracked intervals of window 10 do not change with later values
    from sktime_patches.conformal import ConformalForecaster

    X = rng.normal(size=(n, 6, 2))
    point = rng.normal(size=y.shape)
    cached = intervals.Cached(np.concatenate([point, point])).fit(
        intervals.indexed(X, 0)
    )

    def run(values):
        model = ConformalForecaster(cached, adapt="tracking", step_size=0.5)
        model.calibrate(intervals.indexed(X, 0), y)
        return intervals.online_intervals(model, intervals.indexed(X, n), values)

    later = y.copy()
    later[9:] *= 5  # the values of row 10 on (window 9's first step, ...)
    a, b = run(y), run(later)
    assert np.array_equal(a[:10], b[:10]) and not np.array_equal(a[10], b[10])
    pid = intervals.pid_intervals(point, y, point, y)
    assert pid.shape == (*y.shape, 2, 2) and np.isfinite(pid).all()


@pytest.mark.parametrize("cell", ["lstm", "gru"])
@pytest.mark.parametrize("head", ["flatten", "recurrent"])
def test_the_flops_by_hand_are_the_flop_counters(cell, head):
    """The cost study's FLOP formula against torch's counter, on a small
    network of each cell and head (an LSTM counted step by step)."""
    from sktime_patches.nn import PatchLSTMNet

    module = PatchLSTMNet(
        lookback=48, horizon=12, n_channels=3, patch_len=8, d_model=16,
        hidden_size=12, cell=cell, head=head, linear_skip="ridge",
    )  # fmt: skip
    X = torch.randn(5, 48, 3)
    assert cost.counted_flops(module, X, False) == cost.network_flops(module, False)


def test_the_stepwise_lstm_is_the_lstm():
    lstm = torch.nn.LSTM(5, 7, batch_first=True)
    x = torch.randn(3, 4, 5)
    (out, (h, c)), (out2, (h2, c2)) = lstm(x), cost.StepwiseLSTM(lstm)(x)
    for a, b in ((out, out2), (h, h2), (c, c2)):
        torch.testing.assert_close(a, b)
