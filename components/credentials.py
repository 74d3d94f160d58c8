"""Generated credentials: passwords Azure accepts, made at creation and only ever handled as Pulumi secrets."""

from __future__ import annotations

import secrets
import string

SYMBOLS = "!#%^*-_=+?"
"""Symbols that Windows, MySQL and PostgreSQL all accept and that need no quoting in a connection string."""


def generate_password(length: int = 32) -> str:
    """A random password with lower and upper case letters, digits and symbols (Azure's complexity rules)."""
    alphabet = string.ascii_letters + string.digits + SYMBOLS
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (any(c.islower() for c in candidate) and any(c.isupper() for c in candidate)
                and any(c.isdigit() for c in candidate) and any(c in SYMBOLS for c in candidate)):
            return candidate
