"""The numpy patching, its torch twin, and the patch count."""

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from sktime_patches._patching import n_patches, padding_len, patch_numpy, patch_torch

sizes = st.integers(1, 40).flatmap(
    lambda lookback: st.tuples(
        st.just(lookback), st.integers(1, lookback), st.integers(1, lookback + 2)
    )
)


@given(sizes=sizes, padding=st.sampled_from(["end", "none"]))
def test_patch_count_matches_coverage(sizes, padding):
    lookback, patch_len, stride = sizes
    n = n_patches(lookback, patch_len, stride, padding)
    assert n >= 1
    span = (n - 1) * stride + patch_len  # steps from first patch start to last end
    if padding == "end":
        # every step covered, and the padding is shorter than one stride
        assert span == lookback + padding_len(lookback, patch_len, stride, padding)
        assert 0 <= span - lookback < stride
    else:
        # no padding: within the window, and one more patch would not fit
        assert span <= lookback < span + stride


@given(
    lookback=st.integers(1, 30),
    patch_len=st.integers(1, 10),
    n_channels=st.integers(1, 3),
)
def test_non_overlapping_patches_reassemble_the_window(lookback, patch_len, n_channels):
    if patch_len > lookback:
        return
    X = np.random.default_rng(0).normal(size=(2, lookback, n_channels))
    groups = [[c] for c in range(n_channels)]
    out = patch_numpy(X, patch_len, patch_len, "none", groups)
    n = out.shape[2]
    rebuilt = out.reshape(2, n_channels, n * patch_len).transpose(0, 2, 1)
    covered = n * patch_len
    np.testing.assert_array_equal(rebuilt, X[:, lookback - covered :])
    if lookback % patch_len == 0:
        np.testing.assert_array_equal(rebuilt, X)


@settings(deadline=None)
@given(
    sizes=sizes,
    padding=st.sampled_from(["end", "none"]),
    layout=st.sampled_from(["alone", "pairs", "shuffled", "all"]),
)
def test_numpy_and_torch_patching_agree(sizes, padding, layout):
    lookback, patch_len, stride = sizes
    X = np.random.default_rng(2).normal(size=(3, lookback, 4)).astype(np.float32)
    groups = {
        "alone": [[0], [1], [2], [3]],
        "pairs": [[0, 1], [2, 3]],
        "shuffled": [[3, 0], [1, 2]],
        "all": [[0, 1, 2, 3]],
    }[layout]
    expected = patch_numpy(X, patch_len, stride, padding, groups)
    index = None if layout == "alone" else torch.as_tensor(groups)
    got = patch_torch(torch.from_numpy(X), patch_len, stride, padding, index).numpy()
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_padding_repeats_the_last_value():
    X = np.arange(10.0).reshape(1, 10, 1)
    out = patch_numpy(X, 4, 4, "end", [[0]])
    np.testing.assert_array_equal(out[0, 0, -1], [8.0, 9.0, 9.0, 9.0])


def test_group_patch_layout_is_channel_major():
    X = np.stack([np.arange(6.0), 10 + np.arange(6.0)], axis=-1)[None]  # (1, 6, 2)
    out = patch_numpy(X, 3, 3, "none", [[0, 1]])
    np.testing.assert_array_equal(out[0, 0, 0], [0, 1, 2, 10, 11, 12])


@settings(deadline=None, max_examples=200)
@given(
    lookback=st.integers(1, 60),
    patch_frac=st.floats(0.01, 1.0),
    stride_frac=st.floats(0.01, 1.0),
)
def test_end_padding_covers_every_step(lookback, patch_frac, stride_frac):
    """padding='end' with stride <= patch_len (what the estimators accept): every
    step of the window lies in at least one patch."""
    patch_len = max(1, round(lookback * patch_frac))
    stride = max(1, round(patch_len * stride_frac))
    window = np.arange(lookback, dtype=np.float64)[None, :, None] + 1.0
    patches = patch_numpy(window, patch_len, stride, "end", [[0]])
    covered = set(patches.ravel().tolist())
    assert covered >= set(window.ravel().tolist())
