"""What counts as the user's mistake, not nn-tui's bug, and how it is said: in one line.

The commands print it and exit with status 2; the app shows it as a notice and keeps
running. Every other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from nn_tui.data import DataError
from nn_tui.engine import ModelFileError
from nn_tui.settings import ConfigError

# A setting that cannot be used (an export that cannot be made is one), data that cannot
# be read, a model file that is not one, a file the system refused.
USER_ERRORS = (ConfigError, DataError, ModelFileError, OSError)


def one_line(error: BaseException) -> str:
    """The error's message on one line; a system error names its file."""
    text = str(error) or type(error).__name__
    if isinstance(error, OSError) and error.filename:
        text = f"{error.filename}: {error.strerror or text}"
    return " ".join(text.split())
