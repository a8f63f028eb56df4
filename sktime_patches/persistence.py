"""Save fitted forecasters to one file that loads again, without pickle.

A saved model is a zip archive of three members:

- ``manifest.json``: the format's name and version, the package version that
  wrote it, and the saved class;
- ``model.json``: the estimator as a tree: its class, its parameters and its
  fitted attributes as JSON (nested estimators as sub-trees), arrays and
  network weights named by key;
- ``tensors.pt``: every array and every network weight, written with
  :func:`torch.save` and read with ``torch.load(weights_only=True,
  map_location="cpu")``: torch's restricted unpickler, which builds tensors
  and plain containers only and runs no code from the file; CUDA weights land
  on the CPU.

Why not safetensors or skops. safetensors would need a new dependency for
what torch's weights-only loader already does safely for tensors, and it
holds tensors only, while a model also needs its parameters and fitted
attributes: those are JSON here either way. ``skops.io`` (the scikit-learn
family's secure persistence) stores scikit-learn objects by walking their
``__dict__`` and refuses untrusted types on load; the skorch net, its torch
module, optimizer and callbacks inside a :class:`~sktime_patches.PatchForecaster`
are all such types, so every load would ask the user to trust them, which is
what a safe format should avoid. Here the net is rebuilt from the parameters,
its weights loaded into it.

Saved: the estimators that register with :class:`SaveMixin` under a stable
name, each writing and reading its own state through the mixin's hooks:
:class:`~sktime_patches.PatchForecaster`,
:class:`~sktime_patches.conformal.ConformalForecaster` and
:class:`~sktime_patches.series.SeriesForecaster` around either (nested as the
user built them), and the sktime forecaster
(:class:`~sktime_patches.sktime.PatchLSTMForecaster`, with the data sktime's
bookkeeping is rebuilt from). This module knows none of them: a file names
each estimator's class and module, and the loader builds only registered
classes of this package. Other estimators (a ``Ridge`` inside a
``SeriesForecaster``) keep to pickle/joblib. A loaded ``PatchForecaster``
predicts exactly as the saved one; it can continue training
(``warm_start``), with a fresh optimizer.
"""

from __future__ import annotations

import datetime
import importlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import torch
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import BaseOffset

from ._version import __version__

__all__ = [
    "FORMAT_VERSION",
    "Reader",
    "SaveMixin",
    "Writer",
    "fitted_attributes",
    "load",
    "save",
]

#: The version of the file format this package writes; it reads this one and
#: every earlier one.
FORMAT_VERSION = 1
_FORMAT = "sktime_patches model"


#: Registered estimators: the stable name a file knows them by -> the class.
_REGISTRY: dict[str, type] = {}

#: The module of each estimator in files that do not name it (written before
#: the estimators saved their own state); newer files name the module.
_MODULES_OF_EARLIER_FILES = {
    "PatchForecaster": "sktime_patches.forecaster",
    "ConformalForecaster": "sktime_patches.conformal",
    "SeriesForecaster": "sktime_patches.series",
    "PatchLSTMForecaster": "sktime_patches.sktime",
}


class SaveMixin:
    """Gives an estimator ``save(path)`` in this module's format, and the
    hooks through which it writes and reads its own state.

    A class registers under a stable name by passing it at its definition,
    ``class MyForecaster(SaveMixin, BaseEstimator, saved_as="MyForecaster")``;
    files name it so (renaming the class must keep the name). Its parameters
    (``get_params(deep=False)``) are always saved; its fitted state is what
    :meth:`__save_state__` returns, and :meth:`__load_state__` reads it back
    into an estimator built from those parameters. By default every fitted
    attribute is saved as it is (numbers, strings, arrays, pandas objects,
    nested estimators); a class with other state (a torch network, a
    dataclass) overrides both hooks.
    """

    #: The name files know the class by (set by ``saved_as``).
    saved_as: ClassVar[str | None] = None

    def __init_subclass__(cls, saved_as: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if saved_as is not None:
            if _REGISTRY.get(saved_as, cls) is not cls:
                raise ValueError(
                    f"{saved_as!r} is already the saved name of "
                    f"{_REGISTRY[saved_as].__qualname__}; pass another saved_as."
                )
            _REGISTRY[saved_as] = cls
            cls.saved_as = saved_as
        else:  # a subclass saves under its own name only if it registers one
            cls.saved_as = None

    def save(self, path: str | Path) -> Path:
        """Write the model to one file that :func:`sktime_patches.load` reads
        (no pickle; see :mod:`sktime_patches.persistence`).

        Parameters
        ----------
        path : str or Path
            The file to write.

        Returns
        -------
        path : Path
            The file written.
        """
        return save(self, path)

    def __save_state__(self, writer: Writer, where: str) -> dict[str, Any]:
        """The fitted state, as JSON values (arrays and tensors kept aside by
        ``writer``): ``{"fitted": {name: value}}``, or ``{}`` unfitted."""
        fitted = fitted_attributes(self)
        return {"fitted": writer.values(fitted, where)} if fitted else {}

    def __load_state__(self, state: dict[str, Any], reader: Reader) -> None:
        """Set the fitted state that :meth:`__save_state__` wrote (``state``
        is the estimator's node of the file)."""
        for name, value in state.get("fitted", {}).items():
            setattr(self, name, reader.value(value))


def fitted_attributes(estimator: Any) -> dict[str, Any]:
    """An estimator's fitted state: its attributes that are not parameters.

    Parameters
    ----------
    estimator : estimator object
        A scikit-learn style estimator.

    Returns
    -------
    fitted : dict
        Attribute name -> value, in the order they were set (empty when the
        estimator is not fitted).

    Examples
    --------
    >>> from sklearn.linear_model import Ridge
    >>> model = Ridge().fit([[0.0], [1.0]], [0.0, 2.0])
    >>> sorted(fitted_attributes(model))
    ['coef_', 'intercept_', 'n_features_in_', 'n_iter_', 'solver_']
    """
    params = estimator.get_params(deep=False)
    return {
        name: value
        for name, value in vars(estimator).items()
        if name not in params and not name.startswith("__")
    }


def _registered(name: str, module: str | None) -> type:
    """The class registered as ``name``, its module imported first when it
    is one of this package's (nothing else is imported or built)."""
    if name not in _REGISTRY:
        home = module or _MODULES_OF_EARLIER_FILES.get(name)
        if home is not None and home.startswith("sktime_patches."):
            importlib.import_module(home)
    cls = _REGISTRY.get(name)
    if cls is None:
        raise ValueError(
            f"the file holds a {name!r}, which this version of sktime_patches "
            "does not know."
        )
    return cls


class Writer:
    """Encodes values to JSON, keeping arrays and weights aside as tensors
    (what an estimator's ``__save_state__`` writes with)."""

    def __init__(self) -> None:
        self.tensors: dict[str, torch.Tensor] = {}

    def tensor(self, value: torch.Tensor | np.ndarray) -> dict[str, Any]:
        """A reference to ``value``, kept aside in ``tensors``."""
        key = str(len(self.tensors))
        if isinstance(value, np.ndarray):
            self.tensors[key] = torch.from_numpy(np.ascontiguousarray(value))
            return {"__array__": key}
        self.tensors[key] = value.detach().cpu().contiguous()
        return {"__tensor__": key}

    def value(self, value: Any, where: str) -> Any:
        """JSON for ``value``; raise naming ``where`` for what cannot be saved."""
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, (int, np.integer)):
            return int(value)
        if isinstance(value, (float, np.floating)):
            v = float(value)
            return v if np.isfinite(v) else {"__float__": repr(v)}
        if isinstance(value, np.ndarray):
            if value.dtype == object:  # e.g. feature_names_in_
                return {"__objects__": self.value(value.tolist(), where)}
            return self.tensor(value)
        if isinstance(value, (list, tuple)):
            items = [self.value(v, f"{where}[{i}]") for i, v in enumerate(value)]
            return items if isinstance(value, list) else {"__tuple__": items}
        if isinstance(value, dict):  # pairs: keys need not be strings
            return {
                "__dict__": [
                    [self.value(k, where), self.value(v, f"{where}[{k!r}]")]
                    for k, v in value.items()
                ]
            }
        if isinstance(value, pd.Timestamp):
            return {"__timestamp__": value.isoformat(), "unit": value.unit}
        if isinstance(value, pd.Period):
            return {"__period__": str(value), "freq": value.freqstr}
        if isinstance(value, BaseOffset):
            return {"__offset__": value.freqstr}
        if isinstance(value, datetime.timedelta):
            return {"__timedelta__": pd.Timedelta(value).isoformat()}
        if isinstance(value, pd.MultiIndex):
            return {
                "__multiindex__": [
                    self.value(list(level), where) for level in value.levels
                ],
                "codes": [self.tensor(np.asarray(c)) for c in value.codes],
                "names": self.value(list(value.names), where),
            }
        if isinstance(value, pd.Index):
            return {
                "__index__": self.value(value.tolist(), where),
                "name": self.value(value.name, where),
            }
        if isinstance(value, pd.DataFrame):
            return {
                "__frame__": self.tensor(value.to_numpy(dtype=np.float64)),
                "index": self.value(value.index, where),
                "columns": self.value(value.columns, where),
            }
        if isinstance(value, pd.Series):
            return {
                "__series__": self.value(value.tolist(), where),
                "index": self.value(value.index, where),
                "name": self.value(value.name, where),
            }
        if hasattr(value, "get_params") and hasattr(value, "fit"):
            return self.estimator(value, where)
        raise TypeError(
            f"{where} is a {type(value).__name__}, which this format does not "
            "save; use pickle or joblib for this model."
        )

    def values(self, values: dict[str, Any], where: str) -> dict[str, Any]:
        """JSON for each value of a mapping of attribute names."""
        return {name: self.value(v, f"{where}.{name}") for name, v in values.items()}

    def estimator(self, estimator: Any, where: str) -> dict[str, Any]:
        """An estimator's node: its registered name and module, its
        parameters, and the state its ``__save_state__`` hook writes."""
        kind = type(estimator)
        name = getattr(kind, "saved_as", None)
        if name is None or _REGISTRY.get(name) is not kind:
            raise TypeError(
                f"{where} is a {kind.__name__}; this format saves PatchForecaster, "
                "ConformalForecaster and SeriesForecaster. Save the model with "
                "joblib.dump, or skops.io.dump for plain scikit-learn estimators."
            )
        params = self.values(estimator.get_params(deep=False), where)
        node: dict[str, Any] = {"class": name, "module": kind.__module__}
        node["params"] = params
        return {**node, **estimator.__save_state__(self, where)}


class Reader:
    """Decodes what :class:`Writer` wrote (what an estimator's
    ``__load_state__`` reads with)."""

    def __init__(self, tensors: dict[str, torch.Tensor]) -> None:
        self.tensors = tensors

    def value(self, value: Any) -> Any:
        """The value that :meth:`Writer.value` encoded."""
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "__array__" in value:
            return self.tensors[value["__array__"]].numpy().copy()
        if "__tensor__" in value:
            return self.tensors[value["__tensor__"]]
        if "__objects__" in value:
            return np.asarray(self.value(value["__objects__"]), dtype=object)
        if "__float__" in value:
            return float(value["__float__"])
        if "__tuple__" in value:
            return tuple(self.value(v) for v in value["__tuple__"])
        if "__dict__" in value:
            return {self._key(k): self.value(v) for k, v in value["__dict__"]}
        if "__timestamp__" in value:
            return pd.Timestamp(value["__timestamp__"]).as_unit(value["unit"])
        if "__period__" in value:
            return pd.Period(value["__period__"], freq=value["freq"])
        if "__offset__" in value:
            return to_offset(value["__offset__"])
        if "__timedelta__" in value:
            return pd.Timedelta(value["__timedelta__"]).to_pytimedelta()
        if "__multiindex__" in value:
            return pd.MultiIndex(
                levels=self.value(value["__multiindex__"]),
                codes=[self.value(c) for c in value["codes"]],
                names=self.value(value["names"]),
            )
        if "__index__" in value:
            return pd.Index(
                self.value(value["__index__"]), name=self.value(value["name"])
            )
        if "__frame__" in value:
            return pd.DataFrame(
                self.value(value["__frame__"]),
                index=self.value(value["index"]),
                columns=self.value(value["columns"]),
            )
        if "__series__" in value:
            return pd.Series(
                self.value(value["__series__"]),
                index=self.value(value["index"]),
                name=self.value(value["name"]),
            )
        if "class" in value:
            return self.estimator(value)
        raise ValueError(f"the file holds a value this version cannot read: {value!r}")

    def _key(self, key: Any) -> Any:
        return tuple(key) if isinstance(key, list) else self.value(key)

    def estimator(self, node: dict[str, Any]) -> Any:
        """The estimator of a node: built from its parameters, then given its
        state by its ``__load_state__`` hook."""
        cls = _registered(node["class"], node.get("module"))
        params = {k: self.value(v) for k, v in node["params"].items()}
        estimator = cls(**params)
        estimator.__load_state__(node, self)
        return estimator


def save(estimator: Any, path: str | Path) -> Path:
    """Write a fitted (or unfitted) forecaster to one file.

    Parameters
    ----------
    estimator : PatchForecaster, ConformalForecaster or SeriesForecaster
        The model (see the module's notes for what it may hold).
    path : str or Path
        The file to write (a zip archive; ``.skp`` is a good suffix).

    Returns
    -------
    path : Path
        The file written.

    Examples
    --------
    >>> import tempfile, os
    >>> import numpy as np
    >>> from sktime_patches import PatchForecaster, load, make_windows
    >>> X, y = make_windows(np.sin(np.arange(300) / 4), lookback=24, horizon=4)
    >>> model = PatchForecaster(max_epochs=2, random_state=0).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skp")
    >>> _ = model.save(path)
    >>> bool(np.array_equal(load(path).predict(X), model.predict(X)))
    True
    """
    writer = Writer()
    tree = writer.estimator(estimator, "estimator")
    manifest = {
        "format": _FORMAT,
        "format_version": FORMAT_VERSION,
        "sktime_patches": __version__,
        "class": type(estimator).__name__,
    }
    buffer = io.BytesIO()
    torch.save(writer.tensors, buffer)
    path = Path(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
        archive.writestr("model.json", json.dumps(tree))
        archive.writestr("tensors.pt", buffer.getvalue())
    return path


def load(path: str | Path) -> Any:
    """Read a forecaster written by :func:`save` (by any version of the format
    up to :data:`FORMAT_VERSION`).

    Nothing in the file is executed: the JSON is parsed, the tensors are read
    by torch's weights-only loader (onto the CPU), and the estimator is built
    from its class name, which must be one of this package's.

    Parameters
    ----------
    path : str or Path
        A file written by :func:`save`.

    Returns
    -------
    estimator : PatchForecaster, ConformalForecaster or SeriesForecaster
        The model, as it was saved.

    Examples
    --------
    >>> import tempfile, os
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sktime_patches import PatchForecaster, load
    >>> from sktime_patches.series import SeriesForecaster
    >>> sales = pd.Series(
    ...     np.sin(np.arange(200) / 3),
    ...     index=pd.date_range("2024-01-01", periods=200, freq="D"),
    ...     name="sales",
    ... )
    >>> model = SeriesForecaster(
    ...     PatchForecaster(max_epochs=1, random_state=0), lookback=21, horizon=7
    ... ).fit(sales)
    >>> path = model.save(os.path.join(tempfile.mkdtemp(), "sales.skp"))
    >>> loaded = load(path)
    >>> loaded.cutoff_, bool(loaded.predict().equals(model.predict()))
    (Timestamp('2024-07-18 00:00:00'), True)
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ValueError(
            f"{str(path)!r} is not a model saved by sktime_patches.save (not a zip "
            "archive); a pickle or joblib file loads with joblib.load."
        ) from None
    with archive:
        names = set(archive.namelist())
        missing = {"manifest.json", "model.json", "tensors.pt"} - names
        if missing:
            raise ValueError(
                f"{str(path)!r} is not a model saved by sktime_patches.save: it "
                f"lacks {sorted(missing)}."
            )
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != _FORMAT:
            raise ValueError(
                f"{str(path)!r} is not a model saved by sktime_patches.save "
                f"(format {manifest.get('format')!r})."
            )
        version = manifest.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise ValueError(
                f"{str(path)!r} was written in format version {version} (by "
                f"sktime_patches {manifest.get('sktime_patches')}), newer than the "
                f"version {FORMAT_VERSION} this sktime_patches {__version__} reads; "
                "upgrade sktime_patches to load it."
            )
        tree = json.loads(archive.read("model.json"))
        tensors = torch.load(
            io.BytesIO(archive.read("tensors.pt")),
            map_location="cpu",
            weights_only=True,
        )
    return Reader(tensors).estimator(tree)
