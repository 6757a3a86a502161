"""The one exception the experiment raises for bad input, worded for a person."""


class ForecastError(ValueError):
    """Bad input to the experiment (unknown column, too little data, ...).

    The message is meant to be shown as-is in the app or the CLI.
    """
