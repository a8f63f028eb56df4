"""Dropout whose mask comes from uniform random numbers (fast on CPU)."""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["MaskDropout", "use_generator"]


class MaskDropout(nn.Module):
    """Inverted dropout, the same as :class:`torch.nn.Dropout` in distribution.

    ``torch.nn.Dropout`` draws its mask with ``bernoulli_``, which on CPU took
    about a fifth of a training step of the default network in
    ``benchmarks/studies/profile_fit.py`` (as much as the LSTM's forward pass). Drawing
    uniform numbers and comparing them with ``p`` gives the same Bernoulli mask
    in about half the time.

    Parameters
    ----------
    p : float, default=0.5
        Probability of zeroing an element, in ``[0, 1)``.

    Attributes
    ----------
    generator : torch.Generator or None
        Where the masks' random numbers come from; None: torch's global
        generator. :func:`use_generator` sets it, so that models training at
        the same time in several threads draw from streams of their own.

    Examples
    --------
    >>> import torch
    >>> drop = MaskDropout(0.25).train()
    >>> out = drop(torch.ones(1000, 100))
    >>> round(float((out == 0).float().mean()), 2), round(float(out.mean()), 1)
    (0.25, 1.0)
    >>> bool(torch.equal(drop.eval()(torch.ones(3)), torch.ones(3)))
    True
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0 <= p < 1:
            raise ValueError(f"dropout probability must be in [0, 1); got p={p}.")
        self.p = p
        self.generator: torch.Generator | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Zero each element with probability ``p`` and scale the rest by
        ``1 / (1 - p)`` in training; the identity in evaluation."""
        if not self.training or self.p == 0:
            return x
        if self.generator is None:
            keep = torch.rand_like(x) >= self.p
        else:
            noise = torch.rand(
                x.shape, generator=self.generator, device=x.device, dtype=x.dtype
            )
            keep = noise >= self.p
        return x * keep.to(x.dtype) * (1.0 / (1.0 - self.p))

    def extra_repr(self) -> str:
        return f"p={self.p}"


def use_generator(module: nn.Module, generator: torch.Generator | None) -> None:
    """Draw the masks of every :class:`MaskDropout` in ``module`` from
    ``generator`` (on the module's device); None returns them to torch's
    global generator.

    Parameters
    ----------
    module : torch.nn.Module
        A network holding MaskDropout layers.
    generator : torch.Generator or None
        The random stream.

    Examples
    --------
    >>> import torch
    >>> from sktime_patches.nn import MaskDropout, use_generator
    >>> net = torch.nn.Sequential(torch.nn.Linear(4, 4), MaskDropout(0.5)).train()
    >>> x = torch.ones(2, 4)
    >>> use_generator(net, torch.Generator().manual_seed(0))
    >>> first = net(x)
    >>> use_generator(net, torch.Generator().manual_seed(0))
    >>> bool(torch.equal(net(x), first))
    True
    """
    for layer in module.modules():
        if isinstance(layer, MaskDropout):
            layer.generator = generator
