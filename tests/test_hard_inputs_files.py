"""Saved files are untrusted input: load() refuses crafted ones in its own words,
before it allocates, unpickles or trains anything (issue 28)."""

import io
import json
import pickle
import struct
import warnings
import zipfile

import numpy as np
import pandas as pd
import pytest
import torch
from helpers import raises, seasonal, tiny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sktime_patches import PatchForecaster, load, make_windows
from sktime_patches.exceptions import InvalidModelFileError
from sktime_patches.persistence import LIMITS, Limits
from sktime_patches.series import SeriesForecaster

INVALID = "is not a valid sktime_patches file: "


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A fitted tiny PatchForecaster's file, its members and its windows."""
    X, y = make_windows(seasonal(200), lookback=16, horizon=4)
    model = PatchForecaster(**tiny(max_epochs=1)).fit(X, y)
    path = model.save(tmp_path_factory.mktemp("saved") / "model.skp")
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    return {"path": path, "members": members, "X": X, "model": model}


def write(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def crafted(tmp_path, saved, name="crafted.skp", drop=(), **changes):
    members = {k: v for k, v in saved["members"].items() if k not in drop}
    members.update({k.replace("_", "."): v for k, v in changes.items()})
    return write(tmp_path / name, members)


def tree(saved):
    return json.loads(saved["members"]["model.json"])


def with_tree(tmp_path, saved, new_tree, name="tree.skp"):
    return crafted(tmp_path, saved, name, model_json=json.dumps(new_tree))


def refused(path, reason):
    return raises(InvalidModelFileError, f"{str(path)!r} {INVALID}{reason}.")


def refused_like(path, start):
    import re

    return pytest.raises(
        InvalidModelFileError, match="^" + re.escape(f"{str(path)!r} {INVALID}{start}")
    )


# ---------------------------------------------------------------------------
# Not a zip, members missing
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"not a model", pickle.dumps({"a": 1}), b"PK\x03\x04" + b"\0" * 40],
    ids=["empty", "text", "pickle", "zip header only"],
)
def test_a_file_that_is_not_a_zip_is_refused(tmp_path, content):
    path = tmp_path / "model.skp"
    path.write_bytes(content)
    with refused(
        path, "not a zip archive; a pickle or joblib file loads with joblib.load"
    ):
        load(path)


def test_a_missing_file_is_a_file_not_found_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        load(tmp_path / "nope.skp")


@pytest.mark.parametrize("member", ["manifest.json", "model.json", "tensors.pt"])
def test_a_missing_member_is_named(tmp_path, saved, member):
    path = crafted(tmp_path, saved, drop=(member,))
    with refused(path, f"it lacks [{member!r}]"):
        load(path)


# ---------------------------------------------------------------------------
# The manifest
# ---------------------------------------------------------------------------


def manifest(saved, **changes):
    return json.dumps({**json.loads(saved["members"]["manifest.json"]), **changes})


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        ("1", "manifest.json has format_version '1' (a str), not an integer"),
        (True, "manifest.json has format_version True (a bool), not an integer"),
        (1.0, "manifest.json has format_version 1.0 (a float), not an integer"),
        (None, "manifest.json has format_version None (a NoneType), not an integer"),
        ([1], "manifest.json has format_version [1] (a list), not an integer"),
        (0, "manifest.json has format_version 0; versions start at 1"),
        (-3, "manifest.json has format_version -3; versions start at 1"),
    ],
)
def test_a_mistyped_format_version_is_refused(tmp_path, saved, version, reason):
    path = crafted(
        tmp_path, saved, manifest_json=manifest(saved, format_version=version)
    )
    with refused(path, reason):
        load(path)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{", "manifest.json is not JSON (Expecting property name enclosed in "
               "double quotes: line 1 column 2 (char 1))"),
        (b"\xff\xfe", "manifest.json is not UTF-8 text"),
        (b"[1, 2]", "manifest.json holds [1, 2], not a mapping"),
        (b'"text"', "manifest.json holds 'text', not a mapping"),
        (b"{}", "manifest.json names the format None, not 'sktime_patches model'"),
        (b'{"format": "keras"}',
         "manifest.json names the format 'keras', not 'sktime_patches model'"),
    ],
    ids=["truncated", "not utf8", "list", "string", "empty", "other format"],
)  # fmt: skip
def test_a_malformed_manifest_is_refused(tmp_path, saved, content, reason):
    path = crafted(tmp_path, saved, manifest_json=content)
    with refused(path, reason):
        load(path)


# ---------------------------------------------------------------------------
# The model's JSON
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (b"", "model.json is not JSON"),
        (b'{"class": "PatchForecaster", ', "model.json is not JSON"),
        (b"\x80\x81", "model.json is not UTF-8 text"),
        (b"[]", "model.json holds [], not a model"),
        (b"42", "model.json holds 42, not a model"),
        (b"null", "model.json holds None, not a model"),
        (b"{}", "an estimator node is {}, without a class"),
        (b'{"class": 7, "params": {}}', "an estimator node is {'class': 7"),
        (b"[" * 100_000 + b"]" * 100_000, "model.json nests too deeply"),
        (b'{"a":' * 200 + b"1" + b"}" * 200, "model.json nests more than 64 levels"),
    ],
    ids=[
        "empty", "truncated", "not utf8", "list", "number", "null", "no class",
        "class not text", "recursion", "deep",
    ],
)  # fmt: skip
def test_malformed_model_json_is_refused(tmp_path, saved, content, start):
    path = crafted(tmp_path, saved, model_json=content)
    with refused_like(path, start):
        load(path)


@pytest.mark.parametrize(
    ("change", "start"),
    [
        ({"class": "Ridge"}, None),
        ({"params": None}, "the PatchForecaster node has params None, not a mapping"),
        ({"params": [1, 2]}, "the PatchForecaster node has params [1, 2], not a"),
        ({"params": {"no_such": 1}}, "the PatchForecaster node's parameters are not "
         "valid (PatchForecaster.__init__() got an unexpected keyword argument"),
        ({"params": {"max_epochs": "many"}}, "the PatchForecaster node's parameters "
         "are not valid (The 'max_epochs' parameter of PatchForecaster must be"),
        ({"params": {"d_model": -4}}, "the PatchForecaster node's parameters are not "
         "valid (The 'd_model' parameter"),
    ],
    ids=["unknown class", "params null", "params list", "unknown param",
         "param mistyped", "param out of range"],
)  # fmt: skip
def test_a_mistyped_estimator_node_is_refused(tmp_path, saved, change, start):
    node = tree(saved)
    if "params" in change and isinstance(change["params"], dict):
        node["params"] = {**node["params"], **change["params"]}
    else:
        node.update(change)
    path = with_tree(tmp_path, saved, node)
    if start is None:
        with refused(
            path,
            "it holds a 'Ridge', which this version of sktime_patches does not know",
        ):
            load(path)
        return
    with refused_like(path, start):
        load(path)


@pytest.mark.parametrize(
    ("attribute", "value", "start"),
    [
        ("lookback_", {"__array__": "999"}, "model.json names array '999', not in"),
        ("lookback_", {"__array__": 5}, "model.json names array 5, not in tensors"),
        ("lookback_", {"__tensor__": None}, "model.json names tensor None, not in"),
        ("lookback_", {"__float__": 5}, "a float is int 5, not text"),
        ("lookback_", {"__timestamp__": 5, "unit": "s"}, "a timestamp is int 5"),
        ("lookback_", {"__timestamp__": "soon", "unit": "s"}, "the value {'__timest"),
        ("lookback_", {"__dict__": "x"}, "a dict is 'x', not [key, value] pairs"),
        ("lookback_", {"__dict__": [[[1, []], 1]]}, "a dict key is (1, []), not"),
        ("lookback_", {"__dict__": [[{}, 1]]}, "model.json holds a value this"),
        ("lookback_", {"__tuple__": 3}, "3 stands where a list belongs"),
        ("lookback_", {"__offset__": "every other day"}, "the value {'__offset__'"),
        ("lookback_", {"__what__": 1}, "model.json holds a value this version cannot"),
        ("lookback_", {"__index__": [1], "name": None}, "it declares lookback=Index("),
        ("lookback_", 10**9, "it declares lookback=1000000000, outside 1 .. 16777216"),
        ("lookback_", 48, "its weights are not those of the network it declares"),
        ("lookback_", "16", "it declares lookback='16', not a size"),
        ("horizon_", 4000, "its weights are not those of the network it declares"),
        ("n_channels_in_", 2**30, "it declares n_channels=1073741824, outside"),
        ("patch_len_", 0, "it declares patch_len=0, outside 1 .. 16777216"),
        ("device_", 3, "the fitted state of the PatchForecaster node does not read"),
    ],
)  # fmt: skip
def test_a_crafted_fitted_value_is_refused(tmp_path, saved, attribute, value, start):
    node = tree(saved)
    node["fitted"][attribute] = value
    path = with_tree(tmp_path, saved, node)
    with refused_like(path, start):
        load(path)


@pytest.mark.parametrize(
    ("change", "start"),
    [
        ({"d_model": 4096}, "its weights are not those of the network it declares"),
        ({"hidden_size": 10**6}, "its weights are not those of the network"),
        ({"num_layers": 3}, "its weights are not those of the network it declares"),
        ({"encoder": "transformer"}, "its weights are not those of the network"),
    ],
)
def test_a_network_larger_than_its_weights_is_refused_before_it_is_built(
    tmp_path, saved, change, start, monkeypatch
):
    """The file's declared sizes are checked on the meta device: the real net
    is never built (build_net on the CPU would allocate it)."""
    from sktime_patches import forecaster

    node = tree(saved)
    node["params"].update(change)
    node["fitted"]["resolved_params_"]["__dict__"] = [
        [k, change.get(k, v)] for k, v in node["fitted"]["resolved_params_"]["__dict__"]
    ]
    path = with_tree(tmp_path, saved, node)

    def never(*args, **kwargs):
        raise AssertionError("the network was built")

    monkeypatch.setattr(forecaster, "build_net", never)
    with refused_like(path, start):
        load(path)


def test_a_weight_missing_from_the_file_is_refused(tmp_path, saved):
    node = tree(saved)
    last = list(node["weights"])[-1]
    del node["weights"][last]
    path = with_tree(tmp_path, saved, node)
    with refused_like(path, "its weights are not those of the network it declares"):
        load(path)


# ---------------------------------------------------------------------------
# The tensors: weights only, never a pickle
# ---------------------------------------------------------------------------


class Boom:
    def __reduce__(self):
        return (print, ("this ran",))


def torch_bytes(obj):
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (pickle.dumps({"0": Boom()}), "tensors.pt is not a file of torch.save's "
         "format (a plain pickle perhaps, which load() never unpickles)"),
        (pickle.dumps({"0": torch.zeros(2)}), "tensors.pt is not a file of "
         "torch.save's format"),
        (b"garbage", "tensors.pt is not a file of torch.save's format"),
        (torch_bytes({"0": Boom()}), "tensors.pt cannot be read (it holds Python "
         "objects besides tensors, which load() never unpickles)"),
        (torch_bytes([torch.zeros(2)]), "tensors.pt holds a list, not named tensors"),
        (torch_bytes({"0": 1}), "tensors.pt holds a dict, not named tensors"),
        (torch_bytes({0: torch.zeros(1)}), "tensors.pt holds a dict, not named"),
    ],
    ids=["pickle of code", "plain pickle", "garbage", "torch file with code",
         "list", "not tensors", "int keys"],
)  # fmt: skip
def test_tensors_that_are_not_weights_are_refused_unread(
    tmp_path, saved, content, start, capsys
):
    path = crafted(tmp_path, saved, tensors_pt=content)
    with refused_like(path, start):
        load(path)
    assert "this ran" not in capsys.readouterr().out


def test_a_compressed_record_inside_the_tensor_file_is_refused(tmp_path, saved):
    inner = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved["members"]["tensors.pt"])) as src:
        with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in src.namelist():
                dst.writestr(name, src.read(name))
    path = crafted(tmp_path, saved, tensors_pt=inner.getvalue())
    with refused_like(path, "tensors.pt holds a compressed record"):
        load(path)


# ---------------------------------------------------------------------------
# Size limits, before anything is read
# ---------------------------------------------------------------------------


def declare_size(path, member, size):
    """Rewrite the uncompressed size a zip's central directory declares for
    ``member`` (nothing else changes: what load() trusts before reading)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02" + b"\0" * 0)
    while at != -1:
        n = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + n] == name:
            data[at + 24 : at + 28] = struct.pack("<I", size)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    ("member", "size", "reason"),
    [
        ("manifest.json", 10**6, "manifest.json would inflate to 977 KiB, more than "
         "the 64 KiB load() reads of it"),
        ("model.json", 2**30, "model.json would inflate to 1.0 GiB, more than the "
         "256.0 MiB load() reads of it"),
        ("tensors.pt", 4 * 2**30 - 1, "its members would inflate to 4.0 GiB, more "
         "than the 2.0 GiB load() reads (if you trust the file, pass "
         "limits=Limits(max_bytes=...))"),
    ],
)  # fmt: skip
def test_declared_sizes_beyond_the_limits_are_refused_unread(
    tmp_path, saved, member, size, reason
):
    path = declare_size(crafted(tmp_path, saved), member, size)
    with refused(path, reason):
        load(path)


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path, saved):
    """256 KB that would inflate to 1 GiB (declared), and a real small bomb
    under scaled-down limits."""
    path = declare_size(crafted(tmp_path, saved, "b.skp"), "tensors.pt", 2**30)
    with refused_like(path, "its members would inflate from"):
        load(path)
    bomb = write(
        tmp_path / "bomb.skp",
        {**saved["members"], "model.json": b"{}" + b" " * 4_000_000},
    )
    with refused_like(bomb, "its members would inflate from"):
        load(bomb, limits=Limits(ratio_from=1_000_000))
    with refused_like(bomb, "an estimator node is {}"):  # trusted: read, refused
        load(bomb, limits=Limits(ratio_from=10**9))


def test_a_model_json_beyond_its_limit_is_refused(tmp_path, saved):
    path = saved["path"]
    with refused_like(path, "model.json would inflate to"):
        load(path, limits=Limits(max_json_bytes=100))


def test_a_compression_method_save_does_not_write_is_refused(tmp_path, saved):
    path = write(tmp_path / "bz.skp", saved["members"], zipfile.ZIP_BZIP2)
    with refused(
        path,
        "manifest.json is compressed by method 12, which sktime_patches.save "
        "does not write",
    ):
        load(path)


def test_the_default_limits_are_documented_values():
    assert LIMITS == Limits()
    assert (LIMITS.max_bytes, LIMITS.max_ratio, LIMITS.max_depth) == (2**31, 200, 64)


# ---------------------------------------------------------------------------
# Fuzzing: whatever the JSON, load() answers in its own words or loads
# ---------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["class", "params", "fitted", "__array__", "__dict__",
                         "__tuple__", "__index__", "name", "unit", "__timestamp__"])
        | st.text(max_size=6),
        children,
        max_size=4,
    ),
    max_leaves=12,
)  # fmt: skip


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=JSON)
def test_any_json_as_the_model_is_refused_in_words(tmp_path, saved, value):
    path = with_tree(tmp_path, saved, value, "fuzz.skp")
    with pytest.raises(InvalidModelFileError, match=INVALID):
        load(path)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    key=st.sampled_from(
        ["lookback_", "horizon_", "n_channels_in_", "patch_len_", "channel_groups_",
         "quantiles_", "seed_", "resolved_params_", "y_ndim_", "n_features_in_"]
    ),
    value=JSON,
)  # fmt: skip
def test_any_value_in_place_of_a_fitted_one_loads_or_is_refused_in_words(
    tmp_path, saved, key, value
):
    node = tree(saved)
    node["fitted"][key] = value
    path = with_tree(tmp_path, saved, node, "fuzz.skp")
    try:
        load(path)
    except InvalidModelFileError as exc:
        assert INVALID in str(exc)


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_as_the_file_are_refused_in_words(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "bytes.skp"
    path.write_bytes(data)
    with pytest.raises(InvalidModelFileError, match=INVALID):
        load(path)


# ---------------------------------------------------------------------------
# What a valid file still does
# ---------------------------------------------------------------------------


def test_a_valid_file_loads_under_the_checks(saved):
    loaded = load(saved["path"])
    np.testing.assert_array_equal(
        loaded.predict(saved["X"]), saved["model"].predict(saved["X"])
    )


def test_an_aware_series_keeps_its_time_zone_through_a_save(tmp_path):
    index = pd.date_range("2024-03-28", periods=120, freq="h", tz="Europe/Paris")
    sales = pd.Series(seasonal(120)[:, 0], index=index, name="sales")
    model = SeriesForecaster(PatchForecaster(**tiny(max_epochs=1)), 24, 4).fit(sales)
    loaded = load(model.save(tmp_path / "aware.skp"))
    assert str(loaded.cutoff_.tz) == "Europe/Paris"
    pd.testing.assert_series_equal(loaded.predict(), model.predict())
    pd.testing.assert_series_equal(loaded.predict(sales), model.predict(sales))


def test_quantiles_of_the_median_alone_save_and_load(tmp_path, saved):
    X = saved["X"]
    y = make_windows(seasonal(200), lookback=16, horizon=4)[1]
    model = PatchForecaster(**tiny(max_epochs=1), quantiles=(0.5,)).fit(X, y)
    loaded = load(model.save(tmp_path / "median.skp"))
    np.testing.assert_array_equal(
        loaded.predict_quantiles(X), model.predict_quantiles(X)
    )


def test_a_read_only_array_saves_without_torch_s_warning():
    from sktime_patches.persistence import Writer

    frozen = np.arange(6.0)
    frozen.flags.writeable = False
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ref = Writer().value(pd.DataFrame({"a": frozen}), "x")
    assert "__frame__" in ref
