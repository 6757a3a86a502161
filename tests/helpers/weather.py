"""Small synthetic daily series shaped like the project's data, as a frame or as a CSV file."""

import numpy as np
import pandas as pd


def make_weather(n_days: int = 400, seed: int = 0, start: str = "2020-01-01") -> pd.DataFrame:
    """A small synthetic daily series shaped like the project's data: season + AR(1) weather."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=n_days, freq="D", name="date")
    doy = dates.day_of_year.to_numpy()
    noise = np.zeros(n_days)
    for i in range(1, n_days):
        noise[i] = 0.7 * noise[i - 1] + rng.normal(0, 1.5)
    temp = 10 + 8 * np.sin(2 * np.pi * (doy - 110) / 365.25) + noise
    df = pd.DataFrame({"temp": temp, "tmin": temp - 4, "tmax": temp + 4,
                       "prcp": rng.gamma(0.5, 2.0, n_days)}, index=dates)
    df.attrs["target"] = "temp"
    return df


def csv_bytes(days: int, start: str = "2020-01-01", temp=None) -> bytes:
    """A daily CSV of `days` days (a gentle seasonal curve unless `temp` is given)."""
    dates = pd.date_range(start, periods=days, freq="D")
    values = temp if temp is not None else 10 + 8 * np.sin(np.arange(days) / 58.0)
    frame = pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "temp": values})
    return frame.to_csv(index=False).encode()
