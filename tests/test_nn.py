"""Torch modules: shapes over a grid of settings, pooling masks, normalisation."""

import math
import re

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from sktime_patches._patching import n_patches
from sktime_patches.nn import (
    CELLS,
    ENCODERS,
    HEADS,
    ForecastHead,
    PatchLSTMNet,
    RecurrentHead,
    TokenPool,
    WindowNorm,
    make_encoder,
    make_rnn,
)


@settings(deadline=None, max_examples=40)
@given(
    lookback=st.integers(1, 40),
    patch_frac=st.floats(0.05, 1.0),
    stride_frac=st.floats(0.1, 1.5),
    horizon=st.integers(1, 12),
    layout=st.sampled_from([(1, None), (3, None), (4, 2), (4, 4), (3, "shuffled")]),
    encoder=st.sampled_from(ENCODERS),
    pool=st.sampled_from(["mean", "max", "attention"]),
    pool_size=st.integers(1, 5),
    head=st.sampled_from(HEADS),
    cell=st.sampled_from(CELLS),
    num_layers=st.integers(1, 2),
    padding=st.sampled_from(["end", "none"]),
    n_quantiles=st.sampled_from([1, 2, 5]),
    affine=st.booleans(),
)
def test_network_shapes(
    lookback,
    patch_frac,
    stride_frac,
    horizon,
    layout,
    encoder,
    pool,
    pool_size,
    head,
    cell,
    num_layers,
    padding,
    n_quantiles,
    affine,
):
    n_channels, group = layout
    patch_len = max(1, round(lookback * patch_frac))
    stride = max(1, round(patch_len * stride_frac))
    if group is None:
        groups = None
    elif group == "shuffled":
        groups = [[2], [0], [1]]
    else:
        groups = [list(range(s, s + group)) for s in range(0, n_channels, group)]
    net = PatchLSTMNet(
        lookback,
        horizon,
        n_channels,
        patch_len=patch_len,
        stride=stride,
        padding=padding,
        channel_groups=groups,
        encoder=encoder,
        d_model=8,
        pool=pool,
        pool_size=pool_size,
        hidden_size=6,
        num_layers=num_layers,
        head=head,
        cell=cell,
        linear_skip=True,
        n_quantiles=n_quantiles,
        affine=affine,
    )
    if affine:  # a negative affine weight flips the order the head emits
        with torch.no_grad():
            net.norm.weight.uniform_(-2.0, 2.0)
    assert net.n_patches == n_patches(lookback, patch_len, stride, padding)
    assert net.n_tokens == math.ceil(net.n_patches / pool_size)
    out = net(torch.randn(2, lookback, n_channels))
    quantile_axis = (n_quantiles,) if n_quantiles > 1 else ()
    assert out.shape == (2, horizon, n_channels, *quantile_axis)
    assert torch.isfinite(out).all()
    if n_quantiles > 1:  # the levels never cross
        assert bool((out.diff(dim=-1) >= 0).all())


@pytest.mark.parametrize("head", HEADS)
def test_groups_route_each_forecast_to_its_channel(head):
    """With a shuffled grouping, channel c's forecast depends on channel c only
    (groups of one channel): perturbing channel 0 changes output channel 0 only."""
    torch.manual_seed(0)
    net = PatchLSTMNet(
        12,
        3,
        3,
        patch_len=4,
        channel_groups=[[2], [0], [1]],
        d_model=8,
        hidden_size=8,
        dropout=0.0,
        head=head,
    ).eval()
    x = torch.randn(1, 12, 3)
    y = net(x)
    x2 = x.clone()
    x2[0, :, 0] += torch.randn(12)
    changed = (net(x2) - y).abs().sum(dim=1)[0]
    assert changed[0] > 0 and changed[1] == 0 and changed[2] == 0


@pytest.mark.parametrize("encoder", ENCODERS)
def test_encoders_map_patches_to_tokens(encoder):
    enc = make_encoder(encoder, group_size=2, patch_len=5, d_model=12)
    assert enc(torch.randn(3, 7, 10)).shape == (3, 7, 12)


def test_pool_with_a_short_first_run_ignores_padding():
    tokens = torch.arange(5.0).reshape(1, 5, 1)  # 5 tokens, runs of 2 from the end
    mean = TokenPool(1, 2, "mean")(tokens)
    assert mean.flatten().tolist() == [0.0, 1.5, 3.5]
    mx = TokenPool(1, 2, "max")(-tokens)
    assert mx.flatten().tolist() == [0.0, -1.0, -3.0]
    att = TokenPool(1, 2, "attention")(tokens)
    assert att[0, 0, 0].item() == pytest.approx(0.0)  # only the real token counts


def test_pool_size_one_is_identity():
    tokens = torch.randn(2, 4, 3)
    assert torch.equal(TokenPool(3, 1, "attention")(tokens), tokens)


@pytest.mark.parametrize("mode", ["standard", "last", "none"])
@pytest.mark.parametrize("affine", [False, True])
def test_window_norm_inverts(mode, affine):
    norm = WindowNorm(3, mode, affine)
    x = torch.randn(4, 10, 3) * 5 + 2
    z, stats = norm(x)
    if mode == "standard":
        assert torch.allclose(z.mean(1), torch.zeros(4, 3), atol=1e-5) or affine
    if mode == "last":
        assert torch.allclose(z[:, -1], torch.zeros(4, 3))
    assert torch.allclose(norm.inverse(z, stats), x, atol=1e-4)


@pytest.mark.parametrize("cell", CELLS)
def test_recurrent_head_decodes_each_segment_from_the_final_state(cell):
    """Segment j of row r is the recurrent layer's one step from row r's final
    state on query j (position j, and row r's group), through the linear map;
    windows and segments do not mix."""
    torch.manual_seed(0)
    rnn = make_rnn(cell, 6, 5, num_layers=2, dropout=0.0)
    head = RecurrentHead(6, 5, horizon=7, segment_len=3, group_size=2, n_groups=3)
    _, final = rnn(torch.randn(12, 4, 6))  # 4 windows x 3 groups, 4 tokens
    out = head(rnn, final)
    assert out.shape == (12, 2, 7)
    assert head.n_segments == 3 and head.queries(4).shape == (36, 1, 6)
    for r in (0, 5, 11):
        state = tuple(s[:, r : r + 1] for s in final) if cell == "lstm" else None
        state = final[:, r : r + 1] if state is None else state
        for j in range(3):
            query = torch.cat([head.position[j], head.group[r % 3]])[None, None]
            step, _ = rnn(query, state)
            segment = head.proj(step[0, 0]).reshape(2, 3)
            width = min(3, 7 - 3 * j)
            expected = segment[:, :width]
            torch.testing.assert_close(out[r, :, 3 * j : 3 * j + width], expected)


def test_recurrent_head_of_one_group_has_no_group_embedding():
    head = RecurrentHead(8, 4, horizon=5, segment_len=5)
    assert head.group is None and head.position.shape == (1, 8)


def test_unknown_cell():
    with pytest.raises(ValueError, match=re.escape("cell='rnn' is not one of")):
        make_rnn("rnn", 4, 4, 1, 0.0)


def test_head_modes():
    states = torch.randn(5, 4, 6)
    assert ForecastHead(4, 6, 7, 2, "flatten")(states).shape == (5, 2, 7)
    assert ForecastHead(4, 6, 7, 2, "last")(states).shape == (5, 2, 7)


@pytest.mark.parametrize("channel_groups", [None, [[0, 2], [1, 3]]])
def test_window_scaled_correction_is_scale_equivariant(channel_groups):
    # the whole network then commutes with x -> a * x + b (a > 0) once the
    # skip's intercept is 0: the skip is linear in x - last, and the correction
    # sees the window divided by its own spread and is multiplied back by it
    torch.manual_seed(0)
    kwargs = dict(
        lookback=48,
        horizon=12,
        n_channels=4,
        patch_len=8,
        channel_groups=channel_groups,
        norm="last",
        linear_skip=True,
        d_model=16,
        hidden_size=16,
    )
    x = torch.randn(3, 48, 4)
    for scale, expected in (("window", True), ("channel", False)):
        net = PatchLSTMNet(**kwargs, correction_scale=scale).eval()
        torch.nn.init.normal_(net.head.proj.weight)  # a nonzero correction
        torch.nn.init.zeros_(net.skip.bias)
        with torch.no_grad():
            moved, base = net(5 * x + 2), 5 * net(x) + 2
        assert torch.allclose(moved, base, atol=1e-3) is expected, scale


def test_bad_correction_scale():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "correction_scale='patch' is not one of ('channel', 'window')."
        ),
    ):
        PatchLSTMNet(48, 12, 1, correction_scale="patch")


@pytest.mark.parametrize("head", HEADS)
def test_one_quantile_axis_per_value_and_the_rest_unchanged(head):
    """A network with quantiles forecasts each channel from that channel only,
    as the point network does, and a quantile head of one level is the point
    head (same weights, same forecast)."""
    torch.manual_seed(0)
    kwargs = dict(patch_len=4, d_model=8, hidden_size=8, dropout=0.0, head=head)
    net = PatchLSTMNet(12, 5, 3, n_quantiles=3, **kwargs).eval()
    x = torch.randn(4, 12, 3)
    out = net(x)
    x2 = x.clone()
    x2[:, :, 1] += 1.0
    changed = (net(x2) - out).abs().sum(dim=(0, 1, 3))
    assert changed[1] > 0 and changed[0] == 0 and changed[2] == 0
    torch.manual_seed(1)
    point = PatchLSTMNet(12, 5, 3, **kwargs).eval()
    torch.manual_seed(1)
    single = PatchLSTMNet(12, 5, 3, n_quantiles=1, **kwargs).eval()
    assert torch.equal(point(x), single(x))


def test_heads_lay_out_several_outputs_per_step():
    """Output k of step h is the k-th of the head's values for that step, for
    the flatten head and segment by segment for the recurrent head."""
    torch.manual_seed(0)
    head = ForecastHead(2, 4, horizon=3, n_outputs=2)
    states = torch.randn(5, 2, 4)
    flat = head.proj(states.flatten(1)).reshape(5, 1, 3, 2)
    assert torch.equal(head.eval()(states), flat)
    rnn = make_rnn("gru", 6, 4, num_layers=1, dropout=0)
    recurrent = RecurrentHead(6, 4, horizon=5, segment_len=3, n_outputs=2).eval()
    _, final = rnn(torch.randn(5, 2, 6))
    out = recurrent(rnn, final)
    assert out.shape == (5, 1, 5, 2)
    decoded, _ = rnn(recurrent.queries(5), final.repeat_interleave(2, dim=1))
    values = recurrent.proj(decoded[:, 0]).reshape(5, 2, 3, 2)  # (b, seg, step, k)
    assert torch.equal(out[:, 0], values.reshape(5, 6, 2)[:, :5])


@settings(deadline=None, max_examples=30)
@given(
    lookback=st.integers(2, 30),
    horizon=st.integers(1, 10),
    n_channels=st.integers(2, 4),
    n_targets=st.integers(1, 2),
    n_future=st.integers(0, 2),
    head=st.sampled_from(HEADS),
    n_quantiles=st.sampled_from([1, 3]),
)
def test_covariate_network_shapes(
    lookback, horizon, n_channels, n_targets, n_future, head, n_quantiles
):
    """Targets a subset of the channels, some channels known over the
    horizon: the output holds the targets only, and the known-future rows
    (only) of the future channels matter."""
    targets = list(range(n_targets))
    future = list(range(n_channels - n_future, n_channels)) or None
    net = PatchLSTMNet(
        lookback,
        horizon,
        n_channels,
        patch_len=max(1, lookback // 3),
        d_model=8,
        hidden_size=6,
        head=head,
        linear_skip=True,
        targets=targets,
        future=future,
        n_quantiles=n_quantiles,
    ).eval()
    rows = lookback + (horizon if future else 0)
    x = torch.randn(3, rows, n_channels)
    out = net(x)
    quantile_axis = (n_quantiles,) if n_quantiles > 1 else ()
    assert out.shape == (3, horizon, n_targets, *quantile_axis)
    if future:
        with torch.no_grad():
            net.skip.weight.normal_()
        other = x.clone()
        other[:, lookback:, : n_channels - n_future] += 100.0  # ignored rows
        assert torch.allclose(net(other), net(x))
        moved = x.clone()
        moved[:, lookback:, future] += 1.0  # read rows
        assert not torch.allclose(net(moved), net(x))


def test_covariates_and_channel_groups_do_not_mix():
    with pytest.raises(ValueError, match="pass channel_groups=None"):
        PatchLSTMNet(8, 2, 2, patch_len=4, channel_groups=[[0], [1]], targets=[0])
