"""Datasets shipped inside the package, loaded as pandas DataFrames."""

from ._loaders import load_etth1, load_ili

__all__ = ["load_etth1", "load_ili"]
