"""The package's own exceptions: one base class, so one ``except`` catches them all."""

from __future__ import annotations

__all__ = [
    "DataFormatError",
    "InvalidModelFileError",
    "SktimePatchesError",
    "TrainingDivergedError",
    "UnboundedIntervalWarning",
]


class SktimePatchesError(Exception):
    """Base class of the errors that are specific to this package.

    Bad arguments and data raise the usual ``ValueError`` / ``TypeError``; errors
    that only this package raises (such as :class:`TrainingDivergedError`)
    derive from this class, so one ``except`` catches them all.

    See Also
    --------
    TrainingDivergedError : Training produced a non-finite loss.

    Examples
    --------
    >>> from sktime_patches import SktimePatchesError, TrainingDivergedError
    >>> try:
    ...     raise TrainingDivergedError("train_loss is nan at epoch 3")
    ... except SktimePatchesError as exc:
    ...     print(f"{type(exc).__name__}: {exc}")
    TrainingDivergedError: train_loss is nan at epoch 3
    """


class TrainingDivergedError(SktimePatchesError, FloatingPointError):
    """Training produced a non-finite loss; the model was not kept.

    Raised by ``PatchForecaster.fit`` when the training loss becomes NaN or
    infinite (usually a learning rate ``lr`` that is too large, or inputs of
    extreme scale). It is also a ``FloatingPointError``.

    See Also
    --------
    SktimePatchesError : The base class of this package's own errors.

    Examples
    --------
    >>> from sktime_patches import SktimePatchesError, TrainingDivergedError
    >>> issubclass(TrainingDivergedError, (SktimePatchesError, FloatingPointError))
    True
    """


class DataFormatError(SktimePatchesError, ValueError):
    """A data file could not be read as a regular time series.

    Raised by :func:`~sktime_patches.io.read_series_csv` (and so by the
    command line) with one message that names the file, the column or line at
    fault, and the fix. It is also a ``ValueError``.

    Examples
    --------
    >>> from sktime_patches.exceptions import DataFormatError
    >>> from sktime_patches.io import read_series_csv
    >>> try:
    ...     read_series_csv("no-such-file.csv")
    ... except DataFormatError as exc:
    ...     print(exc)
    csv 'no-such-file.csv': no such file; pass the path of an existing CSV file.
    """


class InvalidModelFileError(SktimePatchesError, ValueError):
    """A file that :func:`~sktime_patches.load` will not read as a saved model.

    ``load`` treats every file as untrusted input: one that is not a zip
    archive, lacks a member, holds malformed or mistyped JSON, would inflate
    past the size limits, declares a network other than its weights, or holds
    anything but tensors where the weights belong is refused with one message,
    ``'<path>' is not a valid sktime_patches file: <reason>``, before anything
    is built from it. It is also a ``ValueError``.

    Examples
    --------
    >>> import os, tempfile
    >>> from sktime_patches import load
    >>> from sktime_patches.exceptions import InvalidModelFileError
    >>> path = os.path.join(tempfile.mkdtemp(), "model.skp")
    >>> with open(path, "w") as f:
    ...     _ = f.write("not a model")
    >>> try:
    ...     load(path)
    ... except InvalidModelFileError as exc:
    ...     print(str(exc).split(": ", 1)[1])
    not a zip archive; a pickle or joblib file loads with joblib.load.
    """


class UnboundedIntervalWarning(UserWarning):
    """An interval of the coverage asked could not be bounded.

    A conformal bound of coverage ``c`` needs at least ``c / (1 - c)``
    calibration windows (19 for 95%, 99 for 99%); with fewer, its bounds are
    infinite, and :meth:`~sktime_patches.conformal.ConformalForecaster.predict_interval`
    says so with this warning, one line naming the coverage, the windows it
    needs and the windows there are. The command line prints it and leaves
    that coverage out of its outputs; :func:`~sktime_patches.plotting.plot_forecast`
    leaves such a band out (and out of its legend).

    Parameters
    ----------
    message : str
        The one-line warning.
    coverage : float or None, default=None
        The coverage that could not be bounded (``coverage``), for a caller
        that collects them (the command line does).

    Examples
    --------
    >>> import warnings
    >>> from sktime_patches.exceptions import UnboundedIntervalWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("coverage 0.99 ...", UnboundedIntervalWarning)
    >>> issubclass(caught[0].category, UserWarning)
    True
    """

    def __init__(self, message: str, coverage: float | None = None) -> None:
        super().__init__(message)
        #: The coverage that could not be bounded.
        self.coverage = coverage
