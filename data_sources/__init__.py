"""Everything that produces a daily weather DataFrame in the one common shape.

See docs/design.md ("One data shape"): a daily, gap-explicit, tz-naive DatetimeIndex named
``date``; float64 columns with Meteostat's names and units (temp, tmin, tmax °C; rhum %; prcp mm;
wspd km/h; pres hPa); ``df.attrs`` with plain JSON values describing where the data came from.

    import data_sources as ds
    ds.list_samples(); ds.load_sample(ds.DEFAULT_SAMPLE)
    ds.read_csv(file)                    # unit not stated: may raise DataError(ask_fahrenheit)
    ds.read_csv(file, fahrenheit=True)   # or False: the person said which
    ds.describe_upload(df, needed_days, window)  # what was read, what was not, enough days?
    ds.search_cities("sao paulo")        # records with region, label, suggested
    ds.fetch_meteostat(lat, lon, start, end, on_step=lambda label, k, n: ...)

Every failure a person can cause or meet is a ``DataError`` whose message is meant for them.
"""

from .cities import search_cities
from .csv_report import describe_upload, template_csv
from .csv_units import MAX_CELSIUS, MIN_CELSIUS
from .csv_upload import MAX_BYTES, MAX_ROWS, MIN_DAYS, read_csv
from .errors import DataError
from .meteostat_source import fetch_meteostat
from .samples import DEFAULT_SAMPLE, list_samples, load_sample, sample_near
from .shape import COLUMNS

__all__ = [
    "COLUMNS",
    "DEFAULT_SAMPLE",
    "DataError",
    "MAX_BYTES",
    "MAX_CELSIUS",
    "MAX_ROWS",
    "MIN_CELSIUS",
    "MIN_DAYS",
    "read_csv",
    "describe_upload",
    "template_csv",
    "search_cities",
    "fetch_meteostat",
    "list_samples",
    "load_sample",
    "sample_near",
]
