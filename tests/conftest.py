"""Every test run keeps its database (runs, classes) in a temporary folder, never in the
project's own `.rnn-lab/`: the app and the browser tests' servers read RNN_LAB_DATA_DIR."""

import os
import tempfile


def pytest_configure(config):
    if not os.environ.get("RNN_LAB_DATA_DIR"):
        os.environ["RNN_LAB_DATA_DIR"] = tempfile.mkdtemp(prefix="rnn-lab-test-data-")
