"""Loaders for the bundled CSV files (read with the standard library's resources)."""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["load_etth1", "load_ili"]


def _read(filename: str, freq: str) -> pd.DataFrame:
    with resources.files(__package__).joinpath("data", filename).open("rb") as fh:
        df = pd.read_csv(fh, parse_dates=["date"], index_col="date")
    df = df.astype("float64")
    df.index = pd.DatetimeIndex(df.index, freq=freq, name="date")
    return df


def load_ili() -> pd.DataFrame:
    """Load the weekly US influenza-like-illness (ILI) series, 2002-2020.

    Returns
    -------
    df : pd.DataFrame of shape (966, 7)
        Indexed by a weekly ``DatetimeIndex`` (``freq="W-TUE"``, 2002-01-01 ..
        2020-06-30), float64 columns:

        - ``% WEIGHTED ILI``, ``%UNWEIGHTED ILI``: percent of patient visits for
          influenza-like illness (weighted by state population, and unweighted);
        - ``AGE 0-4``, ``AGE 5-24``: ILI visit counts in those age groups;
        - ``ILITOTAL``: total ILI visit count;
        - ``NUM. OF PROVIDERS``: number of reporting providers;
        - ``OT``: total patient visits (the usual target).

    Notes
    -----
    Source: CDC FluView ILINet, as distributed with the long-horizon forecasting
    benchmarks (Autoformer, PatchTST: "national_illness"). US public domain.

    Examples
    --------
    >>> from sktime_patches.datasets import load_ili
    >>> df = load_ili()
    >>> df.shape, df.index.freqstr
    ((966, 7), 'W-TUE')
    """
    return _read("national_illness.csv", "W-TUE")


def load_etth1() -> pd.DataFrame:
    """Load ETTh1, the hourly Electricity Transformer Temperature data, station 1.

    Returns
    -------
    df : pd.DataFrame of shape (17420, 7)
        Indexed by an hourly ``DatetimeIndex`` (``freq="h"``, 2016-07-01 00:00 ..
        2018-06-26 19:00), float64 columns: six power-load features ``HUFL``,
        ``HULL``, ``MUFL``, ``MULL``, ``LUFL``, ``LULL`` (high/middle/low useful and
        useless load, in MW) and the oil temperature ``OT`` (°C), the usual target.

    Notes
    -----
    Source: ETDataset (Zhou et al., "Informer", AAAI 2021),
    https://github.com/zhouhaoyi/ETDataset. License CC BY-ND 4.0: the file is
    shipped unmodified, with this attribution.

    Examples
    --------
    >>> from sktime_patches.datasets import load_etth1
    >>> load_etth1().shape
    (17420, 7)
    """
    return _read("ETTh1.csv", "h")
