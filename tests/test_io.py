"""read_series_csv: CSV files -> regular time series, or one clear message."""

import numpy as np
import pandas as pd
import pytest
from helpers import CSV_CASES, daily_frame, raises, write_bad_files

from sktime_patches import SktimePatchesError
from sktime_patches.exceptions import DataFormatError
from sktime_patches.io import read_series_csv


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """Run in a temporary folder, so that messages show short relative paths."""
    monkeypatch.chdir(tmp_path)
    daily_frame().to_csv("data.csv", index=False)
    write_bad_files(tmp_path)
    return tmp_path


@pytest.mark.parametrize("case", list(CSV_CASES))
def test_each_condition_has_one_message(folder, case):
    path, kwargs, _, message = CSV_CASES[case]
    with raises(DataFormatError, message):
        read_series_csv(path, **kwargs)


def test_the_error_is_a_value_error_of_the_package(folder):
    with pytest.raises(ValueError) as info:
        read_series_csv("nope.csv")
    assert isinstance(info.value, SktimePatchesError)


def test_reads_a_regular_series_sorted_with_its_frequency(folder):
    shuffled = daily_frame().sample(frac=1.0, random_state=0)
    shuffled.to_csv("shuffled.csv", index=False)
    df = read_series_csv("shuffled.csv")
    expected = daily_frame().set_index("date")[["a", "b"]]
    assert list(df.columns) == ["a", "b"]  # the text column is left out
    assert df.index.name == "date" and df.index.freqstr == "D"
    np.testing.assert_array_equal(df.to_numpy(), expected.to_numpy())
    assert (df.dtypes == "float64").all()


def test_day_first_dates_columns_and_separator(folder):
    frame = daily_frame(20)  # days past the 12th: the dates can only be day-first
    frame["date"] = pd.to_datetime(frame["date"]).dt.strftime("%d/%m/%Y")
    frame.to_csv("dayfirst.csv", sep=";", index=False)
    df = read_series_csv("dayfirst.csv", columns=["b"], sep=";")
    assert list(df.columns) == ["b"]
    assert df.index[0] == pd.Timestamp("2024-01-01")
    assert df.index[-1] == pd.Timestamp("2024-01-20")


def test_explicit_date_column_and_hourly_data(folder):
    index = pd.date_range("2024-03-01", periods=30, freq="h")
    pd.DataFrame(
        {"load": np.arange(30.0), "when": index.strftime("%Y-%m-%d %H:%M")}
    ).to_csv("hourly.csv", index=False)
    df = read_series_csv("hourly.csv", date_col="when")
    assert df.index.freqstr == "h" and df.index.name == "when"
    assert df["load"].iloc[-1] == 29.0


def test_month_starts_written_day_first_read_as_months(folder):
    months = pd.date_range("2022-01-01", periods=24, freq="MS")
    pd.DataFrame(
        {"month": months.strftime("%d/%m/%Y"), "sales": np.arange(24.0)}
    ).to_csv("monthly.csv", index=False)
    df = read_series_csv("monthly.csv")  # 01/02/2022 is 1 February, not 2 January
    assert df.index.freqstr == "MS"
    assert df.index[1] == pd.Timestamp("2022-02-01")


def test_business_days_with_holidays_get_business_day_advice(folder):
    days = pd.bdate_range("2024-01-01", periods=40).delete([9, 20])
    pd.DataFrame({"day": days.strftime("%Y-%m-%d"), "price": np.arange(38.0)}).to_csv(
        "prices.csv", index=False
    )
    with raises(
        DataFormatError,
        "date column 'day': the dates are not evenly spaced, so no frequency can be "
        "inferred (the usual step is 1 days 00:00:00, but 7 step(s) differ, the "
        "first after 2024-01-05 00:00:00); resample the data to one row per 'B' "
        "step first, filling the gaps.",
    ):
        read_series_csv("prices.csv")


def test_a_decimal_comma_is_named_and_read_with_decimal(folder):
    frame = daily_frame(20)[["date", "a"]]
    text = frame.assign(a=frame["a"].map(lambda v: f"{v:.3f}".replace(".", ",")))
    text.to_csv("comma.csv", sep=";", index=False)
    with raises(
        DataFormatError,
        "csv 'comma.csv': column 'a' holds numbers written with a decimal comma "
        "('0,000'); pass decimal=',', and a separator other than the comma "
        "(sep=';') if the file uses one.",
    ):
        read_series_csv("comma.csv", sep=";")
    df = read_series_csv("comma.csv", sep=";", decimal=",")
    np.testing.assert_allclose(df["a"], frame["a"], atol=1e-3)


def test_dates_with_daylight_saving_offsets_become_one_utc_axis(folder):
    local = pd.date_range("2024-03-29 22:00", periods=48, freq="h", tz="Europe/Oslo")
    pd.DataFrame(
        {"when": [t.isoformat() for t in local], "load": np.arange(48.0)}
    ).to_csv("dst.csv", index=False)  # +01:00, then +02:00 from 31 March
    df = read_series_csv("dst.csv")
    assert str(df.index.tz) == "UTC" and df.index.freqstr == "h"
    assert df.index[0] == pd.Timestamp("2024-03-29 21:00", tz="UTC")
