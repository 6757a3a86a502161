"""The one exception every data source raises: its message is written for a person."""


class DataError(Exception):
    """Data could not be loaded; ``str(error)`` says why and what to do, in plain words."""
