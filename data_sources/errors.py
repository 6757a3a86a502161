"""The one exception every data source raises: its message is written for a person."""


class DataError(Exception):
    """Data could not be loaded; ``str(error)`` says why and what to do, in plain words.

    ``unreachable`` is True when the cause is the network (no connection, no answer in time, a
    server error), so the app can offer the offline samples instead of asking for other input.

    ``ask_fahrenheit`` is True when an uploaded file did not state its unit and its values
    could be °F: the app asks (highlights the °F choice) and reads it again with the answer.
    ``likely_fahrenheit`` is True when they are plausible *only* as °F.

    ``columns`` lists an uploaded file's columns when none was recognised as the temperature:
    the app lets the person pick one (read_csv's ``temperature_column``).
    """

    def __init__(
        self,
        message: str,
        *,
        unreachable: bool = False,
        ask_fahrenheit: bool = False,
        likely_fahrenheit: bool = False,
        columns: tuple[str, ...] = (),
    ):
        super().__init__(message)
        self.unreachable = unreachable
        self.ask_fahrenheit = ask_fahrenheit
        self.likely_fahrenheit = likely_fahrenheit
        self.columns = columns
