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

A file is untrusted input: :func:`load` bounds what it reads (:class:`Limits`),
checks every value it decodes, builds each network on torch's ``meta`` device
first (no memory) to check its declared sizes against the weights saved, and
refuses anything else with one
:class:`~sktime_patches.exceptions.InvalidModelFileError`.
"""

from __future__ import annotations

import datetime
import importlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import torch
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import BaseOffset

from ._version import __version__
from .exceptions import InvalidModelFileError

__all__ = [
    "FORMAT_VERSION",
    "LIMITS",
    "Limits",
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
_MEMBERS = ("manifest.json", "model.json", "tensors.pt")


@dataclass(frozen=True)
class Limits:
    """What :func:`load` reads of a file before it refuses it (a saved file is
    untrusted input: these bound the memory a crafted one can ask for).

    Parameters
    ----------
    max_bytes : int
        Most bytes the three members may inflate to together. A default
        ``PatchForecaster`` saves a few MB; a sktime forecaster also saves its
        history (8 bytes a value).
    max_ratio : float
        Most times the members may inflate their compressed size, once they
        exceed ``ratio_from`` bytes: weights compress about 1.1 times and JSON
        10 to 30 times, while a zip bomb inflates thousands of times.
    ratio_from : int
        Bytes below which the ratio is not checked.
    max_json_bytes : int
        Most bytes of ``model.json`` (``manifest.json``: 64 KiB).
    max_depth : int
        Most nesting of the JSON (a saved model nests a few levels).
    """

    max_bytes: int = 2 * 1024**3
    max_ratio: float = 200.0
    ratio_from: int = 64 * 1024**2
    max_json_bytes: int = 256 * 1024**2
    max_depth: int = 64


#: The limits :func:`load` applies unless told others.
LIMITS = Limits()
_MANIFEST_BYTES = 64 * 1024


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
    if isinstance(name, str) and name not in _REGISTRY:
        home = module if isinstance(module, str) else None
        home = home or _MODULES_OF_EARLIER_FILES.get(name)
        if home is not None and home.startswith("sktime_patches."):
            importlib.import_module(home)
    cls = _REGISTRY.get(name) if isinstance(name, str) else None
    if cls is None:
        raise InvalidModelFileError(
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
            value = np.ascontiguousarray(value)
            if not value.flags.writeable:  # e.g. a read-only view of pandas data
                value = value.copy()
            self.tensors[key] = torch.from_numpy(value)
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
            stamp = {"__timestamp__": value.isoformat(), "unit": value.unit}
            return stamp if value.tz is None else {**stamp, "tz": str(value.tz)}
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

    def estimator(
        self, estimator: Any, where: str, leave_out: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """An estimator's node: its registered name and module, its
        parameters, and the state its ``__save_state__`` hook writes.

        The parameters named in ``leave_out`` are not written: the owner that
        saves them elsewhere passes them back to :meth:`Reader.estimator`."""
        kind = type(estimator)
        name = getattr(kind, "saved_as", None)
        if name is None or _REGISTRY.get(name) is not kind:
            raise TypeError(
                f"{where} is a {kind.__name__}; this format saves PatchForecaster, "
                "ConformalForecaster and SeriesForecaster. Save the model with "
                "joblib.dump, or skops.io.dump for plain scikit-learn estimators."
            )
        params = estimator.get_params(deep=False)
        params = self.values(
            {k: params[k] for k in params if k not in leave_out}, where
        )
        node: dict[str, Any] = {"class": name, "module": kind.__module__}
        node["params"] = params
        return {**node, **estimator.__save_state__(self, where)}


class Reader:
    """Decodes what :class:`Writer` wrote (what an estimator's
    ``__load_state__`` reads with).

    Every value is checked as it is read: a node of the wrong type or shape
    raises :class:`~sktime_patches.exceptions.InvalidModelFileError`
    (:meth:`refuse` makes one, for the estimators' own checks).
    """

    def __init__(self, tensors: dict[str, torch.Tensor], path: Any = None) -> None:
        self.tensors = tensors
        self.path = path

    def refuse(self, reason: str) -> InvalidModelFileError:
        """The error to raise for a file that holds something it should not."""
        return invalid_file(self.path, reason)

    def _stored(self, key: Any, kind: str) -> torch.Tensor:
        if not isinstance(key, str) or key not in self.tensors:
            raise self.refuse(f"model.json names {kind} {key!r}, not in tensors.pt")
        return self.tensors[key]

    def _text(self, value: Any, what: str) -> str:
        if not isinstance(value, str):
            raise self.refuse(
                f"a {what} is {type(value).__name__} {_short(value)}, not text"
            )
        return value

    def value(self, value: Any) -> Any:
        """The value that :meth:`Writer.value` encoded."""
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if not isinstance(value, dict):
            return value
        try:
            return self._tagged(value)
        except InvalidModelFileError:
            raise
        except (TypeError, ValueError, KeyError, IndexError, OverflowError) as exc:
            raise self.refuse(
                f"the value {_short(value)} does not read back "
                f"({type(exc).__name__}: {_first_line(exc)})"
            ) from None

    def _tagged(self, value: dict[str, Any]) -> Any:
        if "__array__" in value:
            return self._stored(value["__array__"], "array").numpy().copy()
        if "__tensor__" in value:
            return self._stored(value["__tensor__"], "tensor")
        if "__objects__" in value:
            return np.asarray(self._list(value["__objects__"]), dtype=object)
        if "__float__" in value:
            return float(self._text(value["__float__"], "float"))
        if "__tuple__" in value:
            return tuple(self._list(value["__tuple__"]))
        if "__dict__" in value:
            pairs = value["__dict__"]
            if not isinstance(pairs, list) or any(
                not isinstance(p, list) or len(p) != 2 for p in pairs
            ):
                raise self.refuse(f"a dict is {_short(pairs)}, not [key, value] pairs")
            return {self._key(k): self.value(v) for k, v in pairs}
        if "__timestamp__" in value:
            stamp = pd.Timestamp(self._text(value["__timestamp__"], "timestamp"))
            if "tz" in value:  # the zone's name: its offset changes with DST
                stamp = stamp.tz_convert(self._text(value["tz"], "time zone"))
            return stamp.as_unit(self._text(value["unit"], "time unit"))
        if "__period__" in value:
            return pd.Period(
                self._text(value["__period__"], "period"),
                freq=self._text(value["freq"], "frequency"),
            )
        if "__offset__" in value:
            return to_offset(self._text(value["__offset__"], "frequency"))
        if "__timedelta__" in value:
            text = self._text(value["__timedelta__"], "time delta")
            return pd.Timedelta(text).to_pytimedelta()
        if "__multiindex__" in value:
            return pd.MultiIndex(
                levels=self._list(value["__multiindex__"]),
                codes=[self.value(c) for c in value["codes"]],
                names=self.value(value["names"]),
            )
        if "__index__" in value:
            return pd.Index(
                _stamps(self._list(value["__index__"])), name=self.value(value["name"])
            )
        if "__frame__" in value:
            return pd.DataFrame(
                self.value(value["__frame__"]),
                index=self.value(value["index"]),
                columns=self.value(value["columns"]),
            )
        if "__series__" in value:
            return pd.Series(
                _stamps(self._list(value["__series__"])),
                index=self.value(value["index"]),
                name=self.value(value["name"]),
            )
        if "class" in value:
            return self.estimator(value)
        raise self.refuse(
            f"model.json holds a value this version cannot read: {_short(value)}"
        )

    def _list(self, value: Any) -> list:
        if not isinstance(value, list):
            raise self.refuse(f"{_short(value)} stands where a list belongs")
        return self.value(value)

    def _key(self, key: Any) -> Any:
        key = tuple(key) if isinstance(key, list) else self.value(key)
        try:
            hash(key)
        except TypeError:
            raise self.refuse(f"a dict key is {_short(key)}, not hashable") from None
        return key

    def estimator(
        self, node: dict[str, Any], given: dict[str, Any] | None = None
    ) -> Any:
        """The estimator of a node: built from its parameters (checked against
        the class's constraints, when it has them), then given its state by
        its ``__load_state__`` hook. ``given`` holds the parameters its owner
        left out when writing (:meth:`Writer.estimator`'s ``leave_out``)."""
        if not isinstance(node, dict) or not isinstance(node.get("class"), str):
            raise self.refuse(f"an estimator node is {_short(node)}, without a class")
        try:
            cls = _registered(node["class"], node.get("module"))
        except InvalidModelFileError as exc:
            reason = str(exc).removeprefix("the file ").rstrip(".")
            raise self.refuse(f"it {reason}") from None
        if not isinstance(node.get("params"), dict):
            raise self.refuse(
                f"the {node['class']} node has params {_short(node.get('params'))}, "
                "not a mapping of names to values"
            )
        params = {k: self.value(v) for k, v in node["params"].items()}
        try:
            estimator = cls(**params, **(given or {}))
            if hasattr(estimator, "_parameter_constraints"):  # scikit-learn checks
                estimator._validate_params()
        except (TypeError, ValueError) as exc:
            raise self.refuse(
                f"the {node['class']} node's parameters are not valid "
                f"({_first_line(exc)})"
            ) from None
        try:
            estimator.__load_state__(node, self)
        except InvalidModelFileError:
            raise
        except (
            TypeError, ValueError, KeyError, IndexError, AttributeError,
            RuntimeError, OverflowError,
        ) as exc:  # fmt: skip
            raise self.refuse(
                f"the fitted state of the {node['class']} node does not read back "
                f"({type(exc).__name__}: {_first_line(exc)})"
            ) from None
        return estimator


def _stamps(values: list) -> Any:
    """Time stamps in the unit they were saved in (pandas 2 would infer
    nanoseconds from a list of them, pandas 3 their own unit); other values
    as they are."""
    if values and all(isinstance(v, pd.Timestamp) for v in values):
        units = {v.unit for v in values}
        zones = {str(v.tz) for v in values}
        if len(units) == 1 and len(zones) == 1:
            return pd.DatetimeIndex(values).as_unit(units.pop())
    return values


def invalid_file(path: Any, reason: str) -> InvalidModelFileError:
    """The one message for a file :func:`load` refuses, with its reason."""
    where = "the file" if path is None else repr(str(path))
    return InvalidModelFileError(
        f"{where} is not a valid sktime_patches file: {reason}."
    )


def _short(value: Any, limit: int = 60) -> str:
    """A value as messages show it, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else type(exc).__name__
    return line if len(line) <= 200 else line[:197] + "..."


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


def load(path: str | Path, *, limits: Limits | None = None) -> Any:
    """Read a forecaster written by :func:`save` (by any version of the format
    up to :data:`FORMAT_VERSION`).

    The file is untrusted input. Nothing in it is executed: the JSON is
    parsed, the tensors are read by torch's weights-only loader (onto the
    CPU), and the estimator is built from its class name, which must be one
    of this package's, with parameters its constraints accept; its state is
    restored, never trained. Before anything is read, the members' declared
    sizes are checked against ``limits`` (a zip bomb is refused unopened), and
    before a network is allocated its declared sizes are checked against the
    weights the file holds. A file that fails any check raises
    :class:`~sktime_patches.exceptions.InvalidModelFileError`: ``'<path>' is
    not a valid sktime_patches file: <reason>``.

    Parameters
    ----------
    path : str or Path
        A file written by :func:`save`.
    limits : Limits or None, default=None
        How much of the file to read before refusing it; None takes
        :data:`LIMITS` (2 GiB in all, inflating at most 200 times past 64
        MiB, JSON 64 levels deep at most). Raise them only for a file you
        trust.

    Returns
    -------
    estimator : PatchForecaster, ConformalForecaster or SeriesForecaster
        The model, as it was saved.

    Raises
    ------
    InvalidModelFileError
        The file is not one :func:`save` wrote, is damaged, or exceeds the
        limits.

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
    limits = LIMITS if limits is None else limits
    with _open_archive(path) as archive:
        infos = _checked_members(archive, path, limits)
        manifest = _read_json(archive, infos["manifest.json"], path, limits)
        _check_manifest(manifest, path)
        tree = _read_json(archive, infos["model.json"], path, limits)
        tensors = _read_tensors(archive, infos["tensors.pt"], path)
    if not isinstance(tree, dict):
        raise invalid_file(path, f"model.json holds {_short(tree)}, not a model")
    try:
        return Reader(tensors, path).estimator(tree)
    except RecursionError:
        raise invalid_file(path, "model.json nests too deeply") from None


def _open_archive(path: Path) -> zipfile.ZipFile:
    """The file as a zip archive; anything else is refused."""
    if not path.is_file():
        raise FileNotFoundError(f"{str(path)!r}: no such file; pass a saved model.")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise invalid_file(
            path, "not a zip archive; a pickle or joblib file loads with joblib.load"
        ) from None


def _checked_members(
    archive: zipfile.ZipFile, path: Path, limits: Limits
) -> dict[str, zipfile.ZipInfo]:
    """The three members, their declared sizes within ``limits`` (read before
    any member is: a zip bomb is refused unopened)."""
    infos = {}
    for info in archive.infolist():
        if info.filename in _MEMBERS and info.filename not in infos:
            infos[info.filename] = info
    missing = [name for name in _MEMBERS if name not in infos]
    if missing:
        raise invalid_file(path, f"it lacks {missing}")
    total = packed = 0
    for name, info in infos.items():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise invalid_file(
                path, f"{name} is compressed by method {info.compress_type}, "
                "which sktime_patches.save does not write",
            )  # fmt: skip
        cap = {"manifest.json": _MANIFEST_BYTES, "model.json": limits.max_json_bytes}
        if name in cap and info.file_size > cap[name]:
            raise invalid_file(
                path, f"{name} would inflate to {_size(info.file_size)}, more than "
                f"the {_size(cap[name])} load() reads of it",
            )  # fmt: skip
        total += info.file_size
        packed += info.compress_size
    if total > limits.max_bytes:
        raise invalid_file(
            path, f"its members would inflate to {_size(total)}, more than the "
            f"{_size(limits.max_bytes)} load() reads (if you trust the file, pass "
            "limits=Limits(max_bytes=...))",
        )  # fmt: skip
    if total > limits.ratio_from and total > limits.max_ratio * max(packed, 1):
        raise invalid_file(
            path, f"its members would inflate from {_size(packed)} to "
            f"{_size(total)}, {total / max(packed, 1):,.0f} times: a zip bomb's "
            f"ratio (load() reads at most {limits.max_ratio:g} times; if you "
            "trust the file, pass limits=Limits(max_ratio=...))",
        )  # fmt: skip
    return infos


def _read_json(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: Limits
) -> Any:
    """A JSON member, parsed and checked for depth."""
    name = info.filename
    try:
        text = archive.read(info).decode("utf-8")
        value = json.loads(text)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise invalid_file(path, f"{name} is damaged ({_first_line(exc)})") from None
    except UnicodeDecodeError:
        raise invalid_file(path, f"{name} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise invalid_file(path, f"{name} is not JSON ({exc})") from None
    except RecursionError:
        raise invalid_file(path, f"{name} nests too deeply") from None
    depth = _depth(value, limits.max_depth)
    if depth > limits.max_depth:
        raise invalid_file(
            path, f"{name} nests more than {limits.max_depth} levels deep"
        )
    return value


def _depth(value: Any, limit: int) -> int:
    """How deeply ``value`` nests (counted without recursion, up to just past
    ``limit``)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if not isinstance(item, (dict, list)):
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, level + 1) for child in children)
    return deepest


def _check_manifest(manifest: Any, path: Path) -> None:
    """The manifest names this format, in a version this package reads."""
    if not isinstance(manifest, dict):
        raise invalid_file(
            path, f"manifest.json holds {_short(manifest)}, not a mapping"
        )
    if manifest.get("format") != _FORMAT:
        raise invalid_file(
            path, f"manifest.json names the format {_short(manifest.get('format'))}, "
            f"not {_FORMAT!r}",
        )  # fmt: skip
    version = manifest.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise invalid_file(
            path, f"manifest.json has format_version {_short(version)} (a "
            f"{type(version).__name__}), not an integer",
        )  # fmt: skip
    if version < 1:
        raise invalid_file(
            path, f"manifest.json has format_version {version}; versions start at 1"
        )
    if version > FORMAT_VERSION:
        raise InvalidModelFileError(
            f"{str(path)!r} was written in format version {version} (by "
            f"sktime_patches {str(manifest.get('sktime_patches'))[:40]}), newer than "
            f"the version {FORMAT_VERSION} this sktime_patches {__version__} reads; "
            "upgrade sktime_patches to load it."
        )


def _read_tensors(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path
) -> dict[str, torch.Tensor]:
    """The weights: torch's own zip format with stored (uncompressed) records,
    read by its weights-only loader; a pickle of anything but tensors is
    refused unread."""
    try:
        data = archive.read(info)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise invalid_file(
            path, f"tensors.pt is damaged ({_first_line(exc)})"
        ) from None
    inner = io.BytesIO(data)
    if not zipfile.is_zipfile(inner):
        raise invalid_file(
            path, "tensors.pt is not a file of torch.save's format (a plain pickle "
            "perhaps, which load() never unpickles)",
        )  # fmt: skip
    try:
        with zipfile.ZipFile(inner) as records:
            packed = [r for r in records.infolist() if r.compress_type != 0]
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise invalid_file(
            path, f"tensors.pt is damaged ({_first_line(exc)})"
        ) from None
    if packed:  # torch.save stores its records; a compressed one could inflate
        raise invalid_file(
            path, f"tensors.pt holds a compressed record {packed[0].filename!r}, "
            "which torch.save does not write",
        )  # fmt: skip
    inner.seek(0)
    try:
        tensors = torch.load(inner, map_location="cpu", weights_only=True)
    except Exception as exc:
        reason = _first_line(exc)
        if "weights only" in reason.lower() or "unpickl" in reason.lower():
            reason = (
                "it holds Python objects besides tensors, which load() never unpickles"
            )
        raise invalid_file(path, f"tensors.pt cannot be read ({reason})") from None
    if not isinstance(tensors, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in tensors.items()
    ):
        raise invalid_file(
            path, f"tensors.pt holds a {type(tensors).__name__}, not named tensors"
        )
    return tensors


def _size(n_bytes: float) -> str:
    """Bytes as messages show them: ``'256 KiB'``, ``'1.0 GiB'``."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n_bytes < 1024 or unit == "GiB":
            return (
                f"{n_bytes:.0f} {unit}"
                if unit in ("bytes", "KiB")
                else (f"{n_bytes:.1f} {unit}")
            )
        n_bytes /= 1024
    return f"{n_bytes:.1f} GiB"  # pragma: no cover
