"""Torch modules of the network (plain ``torch.nn``; no scikit-learn or skorch)."""

from .dropout import MaskDropout, use_generator
from .encoders import (
    ENCODERS,
    ConvPatchEncoder,
    LinearPatchEncoder,
    MLPPatchEncoder,
    TransformerPatchEncoder,
    make_encoder,
)
from .heads import CELLS, HEADS, ForecastHead, RecurrentHead, make_rnn
from .linear_init import RIDGE_ALPHAS, init_skip_ridge
from .losses import LOSSES, ChannelScaledLoss
from .network import NETWORK_PARAMS, PatchLSTMNet
from .normalization import NORMS, WindowNorm
from .pooling import POOLS, TokenPool

__all__ = [
    "CELLS",
    "ENCODERS",
    "HEADS",
    "LOSSES",
    "NETWORK_PARAMS",
    "NORMS",
    "POOLS",
    "RIDGE_ALPHAS",
    "ChannelScaledLoss",
    "ConvPatchEncoder",
    "ForecastHead",
    "LinearPatchEncoder",
    "MLPPatchEncoder",
    "MaskDropout",
    "PatchLSTMNet",
    "RecurrentHead",
    "TokenPool",
    "TransformerPatchEncoder",
    "WindowNorm",
    "init_skip_ridge",
    "make_encoder",
    "make_rnn",
    "use_generator",
]
