"""The one exception every data source raises: its message is written for a person."""


class DataError(Exception):
    """Data could not be loaded; ``str(error)`` says why and what to do, in plain words.

    ``unreachable`` is True when the cause is the network (no connection, no answer in time, a
    server error), so the app can offer the offline samples instead of asking for other input.
    """

    def __init__(self, message: str, *, unreachable: bool = False):
        super().__init__(message)
        self.unreachable = unreachable
