"""Regenerate ``benchmarks/RESULTS.md`` from the JSON files in ``benchmarks/results/``.

Usage::

    python benchmarks/make_table.py            # writes RESULTS.md and README's table
    python benchmarks/make_table.py --check    # exits 1 if either is stale

Nothing here is typed by hand: every figure comes from a result file written by
``run.py`` (accuracy, fit time, throughput). The targets are the issue's: the
lower of the closed-form ridge measured under this protocol and the best
published PatchTST figure.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
OUTPUT = HERE / "RESULTS.md"
#: Hand-written account of what was tried for unmet targets, appended verbatim.
TRIED = HERE / "TRIED.md"

#: Test MSE to beat, ``{(dataset, horizon): target}``.
TARGETS: dict[tuple[str, int], float] = {
    ("etth1", 96): 0.3696,
    ("etth1", 192): 0.4027,
    ("etth1", 336): 0.4220,
    ("etth1", 720): 0.4340,
    ("ili", 24): 1.319,
    ("ili", 36): 1.430,
    ("ili", 48): 1.553,
    ("ili", 60): 1.470,
}

#: Published test MSE / MAE (PROTOCOL.md; obtained with drop_last).
PUBLISHED: dict[tuple[str, int], dict[str, str]] = {
    ("etth1", 96): {"PatchTST/64": "0.370 / 0.400", "DLinear": "0.375 / 0.399"},
    ("etth1", 192): {"PatchTST/64": "0.413 / 0.429", "DLinear": "0.405 / 0.416"},
    ("etth1", 336): {"PatchTST/64": "0.422 / 0.440", "DLinear": "0.439 / 0.443"},
    ("etth1", 720): {"PatchTST/64": "0.447 / 0.468", "DLinear": "0.472 / 0.490"},
    ("ili", 24): {"PatchTST/64": "1.319 / 0.754", "DLinear": "2.215 / 1.081"},
    ("ili", 36): {"PatchTST/64": "1.579 / 0.870", "DLinear": "1.963 / 0.963"},
    ("ili", 48): {"PatchTST/64": "1.553 / 0.815", "DLinear": "2.130 / 1.024"},
    ("ili", 60): {"PatchTST/64": "1.470 / 0.788", "DLinear": "2.368 / 1.096"},
}

#: Published PatchTST/42 test MSE / MAE (PROTOCOL.md; drop_last): the model the
#: reference repository's scripts train ("The default model is PatchTST/42").
PUBLISHED_42: dict[tuple[str, int], str] = {
    ("etth1", 96): "0.375 / 0.399",
    ("etth1", 192): "0.414 / 0.421",
    ("etth1", 336): "0.431 / 0.436",
    ("etth1", 720): "0.449 / 0.466",
    ("ili", 24): "1.522 / 0.814",
    ("ili", 36): "1.430 / 0.834",
    ("ili", 48): "1.673 / 0.854",
    ("ili", 60): "1.529 / 0.862",
}

#: ETTh1-96 fit-time target on 2 CPU threads, seconds.
FIT_SECONDS_TARGET = 120.0
#: ETTh1-96 prediction throughput target, univariate windows per second.
PREDICT_TARGET = 20_000.0


def load(results: Path = RESULTS) -> list[dict[str, Any]]:
    """Every ``run.py`` record (search logs are skipped)."""
    return [
        json.loads(p.read_text())
        for p in sorted(results.glob("*.json"))
        if not p.name.startswith(
            (
                "search_",
                "memory_",
                "profile_",
                "gpu_",
                "drop_last_",
                "linear_variants_",
                "seed_ensemble_",
                "predict_batch_",
                "patchtst_reference_",
                "segrnn_reference_",
                "lookback_ridge_",
            )
        )
    ]


def _cell(records: list[dict[str, Any]], dataset: str, horizon: int) -> dict:
    return {
        (r["model"], r["tag"]): r
        for r in records
        if r["dataset"] == dataset and r["horizon"] == horizon
    }


def _fmt(record: dict[str, Any] | None, key: str) -> str:
    if record is None:
        return "n/a"
    s = record["summary"][key]
    if record["model"] == "patch":
        return f"{s['mean']:.4f} ± {s['std']:.4f}"
    return f"{s['mean']:.4f}"


def accuracy_table(records: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| cell | target MSE | PatchForecaster default: MSE (mean ± std, 3 seeds) "
        "| MAE | met | ridge MSE / MAE | patcher+ridge MSE / MAE "
        "| repeat-last MSE | PatchTST/64 | DLinear |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (dataset, horizon), target in TARGETS.items():
        cell = _cell(records, dataset, horizon)
        patch = cell.get(("patch", "default"))
        ridge = cell.get(("ridge", "default"))
        pridge = cell.get(("patcher_ridge", "default"))
        last = cell.get(("repeat_last", "default"))
        if patch is None:
            met = "not run"
        else:
            met = "yes" if patch["summary"]["test_mse"]["mean"] < target else "**no**"
        lookback = (patch or ridge or {}).get("lookback", "")
        lines.append(
            f"| {dataset} L={lookback} H={horizon} | {target} "
            f"| {_fmt(patch, 'test_mse')} | {_fmt(patch, 'test_mae')} | {met} "
            f"| {_fmt(ridge, 'test_mse')} / {_fmt(ridge, 'test_mae')} "
            f"| {_fmt(pridge, 'test_mse')} / {_fmt(pridge, 'test_mae')} "
            f"| {_fmt(last, 'test_mse')} "
            f"| {PUBLISHED[dataset, horizon]['PatchTST/64']} "
            f"| {PUBLISHED[dataset, horizon]['DLinear']} |"
        )
    return lines


def speed_table(records: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| cell | threads | fit wall time, s (median) | epochs (median) "
        "| train windows/s (median) | predict windows/s (median) "
        "| fit ≤ 120 s | predict ≥ 20k/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in sorted(records, key=lambda r: (r["dataset"], r["horizon"])):
        if r["model"] != "patch" or r["tag"] != "default":
            continue
        s = r["summary"]
        fit = s["fit_seconds"]["median"]
        pred = s["predict_windows_per_second"]["median"]
        fit_met = pred_met = "-"
        if r["dataset"] == "etth1" and r["horizon"] == 96:
            fit_met = "yes" if fit <= FIT_SECONDS_TARGET else "**no**"
            pred_met = "yes" if pred >= PREDICT_TARGET else "**no**"
        lines.append(
            f"| {r['dataset']} H={r['horizon']} | {r['machine']['torch_threads']} "
            f"| {fit:.1f} | {s['epochs_run']['median']:.0f} "
            f"| {s['train_windows_per_second']['median']:.0f} | {pred:.0f} "
            f"| {fit_met} | {pred_met} |"
        )
    return lines


def tuned_table(records: list[dict[str, Any]]) -> list[str]:
    rows = sorted(
        (r for r in records if r["model"] == "patch" and r["tag"] != "default"),
        key=lambda r: (r["dataset"], r["horizon"], r["tag"]),
    )
    if not rows:
        return []
    lines = [
        "",
        "Other PatchForecaster settings scored on test (chosen on train/val "
        "only; `params` on top of the defaults; see what was tried below):",
        "",
        "| cell | tag | params | test MSE (mean ± std) | test MAE | fit s (median) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        params = f"`{json.dumps(r['params'])}`"
        if r.get("crossfit"):  # a retired experiment: see commands()
            params += f", `--crossfit {r['crossfit']}` (retired)"
        lines.append(
            f"| {r['dataset']} H={r['horizon']} | {r['tag']} "
            f"| {params} | {_fmt(r, 'test_mse')} "
            f"| {_fmt(r, 'test_mae')} "
            f"| {r['summary']['fit_seconds']['median']:.1f} |"
        )
    return lines


def drop_last_table(results: Path = RESULTS) -> list[str]:
    """The ridge scored on every test window and on a drop_last loader's
    (``drop_last.py``); no lines when that file is absent."""
    path = results / "drop_last_ridge.json"
    if not path.is_file():
        return []
    rows = json.loads(path.read_text())["rows"]
    lines = [
        "",
        "How far apart the two kinds of figure can be: the ridge baseline scored on "
        "every test window (this protocol) and on the windows a `drop_last=True` "
        "loader with the reference scripts' test batch size keeps "
        "(`python benchmarks/drop_last.py`).",
        "",
        "| cell | test batch | windows kept | ridge MSE, all windows | "
        "ridge MSE, drop_last |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['dataset']} H={r['horizon']} | {r['batch_size']} | "
            f"{r['n_kept']} of {r['n_test_windows']} | {r['test_mse_all']:.4f} | "
            f"{r['test_mse_drop_last']:.4f} |"
        )
    return lines


def _mse_mae(runs: list[dict[str, Any]], suffix: str) -> str:
    """``"MSE mean ± std / MAE mean"`` of the runs' ``test_mse<suffix>`` and
    ``test_mae<suffix>``."""
    mse = [run[f"test_mse{suffix}"] for run in runs]
    mae = statistics.mean(run[f"test_mae{suffix}"] for run in runs)
    return f"{statistics.mean(mse):.4f} ± {statistics.pstdev(mse):.4f} / {mae:.4f}"


def reference_records(results: Path = RESULTS) -> list[dict[str, Any]]:
    """``patchtst_reference.py``'s records, by dataset and horizon."""
    return sorted(
        (json.loads(p.read_text()) for p in results.glob("patchtst_reference_*.json")),
        key=lambda r: (r["dataset"], r["horizon"]),
    )


def reference_table(records: list[dict[str, Any]]) -> list[str]:
    """PatchTST's own code scored both ways, from :func:`reference_records`; no
    lines when there are none."""
    if not records:
        return []
    commit = records[0].get("patchtst_commit") or "unknown commit"
    lines = [
        "",
        "Whether the published figures reproduce: PatchTST trained with its "
        f"reference code (yuqinie98/PatchTST at `{commit[:7]}`, the settings of "
        "its `scripts/PatchTST/illness.sh` and `etth1.sh`, which train "
        "PatchTST/42, checkpoint chosen on val as that code does; this "
        "machine's CPU) and scored on every test window (this protocol) and on "
        "the windows its `drop_last` loader keeps (the published scoring) "
        "(`python benchmarks/patchtst_reference.py --patchtst-dir <checkout>`).",
        "",
        "| cell | published PatchTST/42 MSE / MAE | reference code, all windows: "
        "MSE (mean ± std) / MAE | reference code, drop_last: MSE / MAE | seeds | "
        "fit s (median) |",
        "|---|---|---|---|---|---|",
    ]
    for r in records:
        runs = r["runs"]
        fit = statistics.median(run["fit_seconds"] for run in runs)
        published = PUBLISHED_42[(r["dataset"], r["horizon"])]
        lines.append(
            f"| {r['dataset']} H={r['horizon']} | {published} | "
            f"{_mse_mae(runs, '')} | {_mse_mae(runs, '_drop_last')} | "
            f"{', '.join(str(run['seed']) for run in runs)} | {fit:.0f} |"
        )
    return lines


def commands(
    records: list[dict[str, Any]], reference: list[dict[str, Any]] = ()
) -> list[str]:
    """The commands that reproduce every figure of the tables, one per group of
    records that differ only in their horizon."""
    groups: dict[tuple, list[int]] = {}
    for r in sorted(records, key=lambda r: (r["dataset"], r["tag"], r["horizon"])):
        key = (
            r["dataset"],
            r["model"],
            r["tag"],
            json.dumps(r["params"]),
            r.get("crossfit"),
            tuple(r["seeds"]),
        )
        groups.setdefault(key, []).append(r["horizon"])
    lines = []
    for (dataset, model, tag, params, crossfit, seeds), horizons in groups.items():
        parts = ["python", "benchmarks/run.py", "--dataset", dataset, "--horizon"]
        parts += [str(h) for h in horizons]
        if model == "patch":
            parts += ["--seeds", *map(str, seeds)]
        else:
            parts += ["--model", model]
        if tag != "default":
            parts += ["--tag", tag]
        if params != "{}":
            parts += ["--params", params]
        if crossfit:  # benchmarks/crossfit.py, removed after commit 8725d6e
            parts += ["--crossfit", str(crossfit)]
            lines.append(
                f"# retired option, run at commit 8725d6e: {shlex.join(parts)}"
            )
            continue
        lines.append(shlex.join(parts))
    by_dataset: dict[tuple, list[int]] = {}
    for r in reference:
        seeds = tuple(str(run["seed"]) for run in r["runs"])
        by_dataset.setdefault((r["dataset"], seeds), []).append(r["horizon"])
    for (dataset, seeds), horizons in by_dataset.items():
        parts = ["python", "benchmarks/patchtst_reference.py", "--patchtst-dir"]
        parts += ["PATCHTST_CHECKOUT", "--dataset", dataset, "--horizon"]
        parts += [*map(str, horizons), "--seeds", *seeds]
        lines.append(shlex.join(parts))
    if not lines:
        return []
    return [
        "## Commands",
        "",
        "Every figure in the tables above comes from one of these commands, run "
        "from the repository root (each writes its JSON under "
        "`benchmarks/results/`; the ridge rows of the drop_last table come from "
        "`python benchmarks/drop_last.py`; `PATCHTST_CHECKOUT` is a clone of "
        "yuqinie98/PatchTST), followed by `python benchmarks/make_table.py`:",
        "",
        "```bash",
        *lines,
        "```",
        "",
    ]


def render(
    records: list[dict[str, Any]],
    drop_last: list[str] = (),
    reference: list[str] = (),
    command_lines: list[str] = (),
) -> str:
    versions = next((r["versions"] for r in records), {})
    machine = next((r["machine"] for r in records), {})
    lines = [
        "# Benchmark results",
        "",
        "Generated by `python benchmarks/make_table.py` from "
        "`benchmarks/results/*.json`; do not edit by hand. Protocol: "
        "`benchmarks/PROTOCOL.md` (scaled data, stride-1 windows, no drop_last, "
        "selection on val, test touched once per figure).",
        "",
        f"Versions: {', '.join(f'{k} {v}' for k, v in versions.items())}. "
        f"Machine: {machine.get('cpu_count', '?')} CPUs, "
        f"{machine.get('processor', '?')}, no GPU.",
        "",
        "## Accuracy (test MSE, lower is better)",
        "",
        *accuracy_table(records),
        "",
        "Published figures were obtained with drop_last on the test loader, so they "
        "can differ in the third decimal on ETTh1, and by up to a quarter on ILI "
        "(the two tables below).",
        *drop_last,
        *reference,
        *tuned_table(records),
        "",
        "## Speed (CPU)",
        "",
        *speed_table(records),
        "",
        *command_lines,
    ]
    if TRIED.exists():
        lines += [TRIED.read_text().rstrip(), ""]
    return "\n".join(lines)


README = HERE.parent / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"


def readme_with_table(readme: str, records: list[dict[str, Any]]) -> str:
    """The README with the accuracy and speed tables between the markers."""
    if START not in readme or END not in readme:
        raise ValueError(f"README.md lacks the markers {START} ... {END}.")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    body = "\n".join(
        [
            "",
            *accuracy_table(records),
            "",
            *speed_table(records),
            "",
            "Generated by `python benchmarks/make_table.py`; details, tuned "
            "settings and the commands in "
            "[benchmarks/RESULTS.md](benchmarks/RESULTS.md).",
            "",
        ]
    )
    return head + START + body + END + tail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    records = load()
    reference = reference_records()
    outputs = {
        OUTPUT: render(
            records,
            drop_last_table(),
            reference_table(reference),
            commands(records, reference),
        ),
        README: readme_with_table(README.read_text(), records),
    }
    if args.check:
        stale = [p for p, text in outputs.items() if p.read_text() != text]
        for path in stale:
            print(f"{path} is stale; run python benchmarks/make_table.py")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
