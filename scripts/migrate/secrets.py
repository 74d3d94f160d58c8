"""Keeping secrets out of every migration document: which configuration is a secret, and the host names that are not.

Discovery reads environment variables (ECS task definitions, Lambda functions) only to find which hosts a
workload calls. `hosts_from_environment` drops every variable whose *name* says it holds a secret, then takes
host names from the remaining values and drops any candidate that looks like a token (long, high-entropy labels),
so no value and no part of a secret reaches the inventory: only the host names and the variable names.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Mapping
from urllib.parse import urlsplit

SECRET_NAME = re.compile(r"(SECRET|PASSW(OR)?D|PASSPHRASE|PWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE|CREDENTIAL|AUTH|"
                         r"SIGNING|SALT|CERT|JWT|COOKIE|SESSION_?KEY|CONNECTION_?STRING|CONN_?STR|DSN|_KEY$|^KEY)", re.I)
"""Variable names that hold secrets (`DB_PASSWORD`, `SECRET_KEY`, `STRIPE_API_KEY`, `SENTRY_DSN`, `JWT_SIGNING`)."""

_HOST = re.compile(r"(?<![\w.@-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?::\d{2,5})?(?![\w@-])", re.I)
_LONG_LABEL = 20
"""A host-name label at least this long is checked for entropy (AWS endpoint labels are short or readable)."""
_ENTROPY = 3.5
"""Bits per character above which a long label reads as random (base64/hex keys score 3.7-6, words 2.5-3.3)."""


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_random(label: str) -> bool:
    """A label that reads as a key or token rather than a name: long, high-entropy, or letters mixed with digits."""
    if len(label) < _LONG_LABEL:
        return False
    digits = sum(c.isdigit() for c in label)
    return entropy(label.lower()) > _ENTROPY or (digits >= 4 and any(c.isalpha() for c in label) and "-" not in label)


def _plausible(host: str) -> bool:
    return not any(looks_random(label) for label in host.split("."))


def hosts_in(values: Iterable[str]) -> list[str]:
    """Host names mentioned in configuration values (URLs, `host:port`, bare names), lower-cased and sorted.

    Only host names leave this function, never the values around them, and never a candidate with a label
    that reads as a token: a connection string with a password contributes its host and nothing else.
    """
    found: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        if "://" in value:
            try:
                host = urlsplit(value).hostname
            except ValueError:
                host = None
            if host and "." in host:
                found.add(host.lower())
        for match in _HOST.finditer(value):
            found.add(match.group(1).lower())
    return sorted(h for h in found if _plausible(h))


def hosts_from_environment(variables: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[str]:
    """The host names in environment variables whose names do not mark them as secrets."""
    pairs = variables.items() if isinstance(variables, Mapping) else variables
    return hosts_in(value for name, value in pairs if not is_secret_name(str(name)))
