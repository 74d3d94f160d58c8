"""The one exception type for input a person can fix; `cityctl` prints it as one line and exits non-zero."""


class UserError(Exception):
    """Bad input (a file, a key, a value) with a message that names where it is and how to fix it."""

    exit_code = 2
