"""Keeping secrets out of every migration document: which configuration is a secret, and the host names that are not.

Discovery reads environment variables (ECS task definitions, Lambda functions) to find which hosts a workload
calls and which settings it needs. `split_environment` sorts them: a variable is a secret when its *name* says so
(`DB_PASSWORD`, `Api-Token`, `WEBHOOK`) or its *value* does (a URL with a password, a webhook URL, a token); of a
secret only the name is kept (it becomes a Key Vault reference), the rest are plain settings kept with their value.
`hosts_from_environment` takes host names (never anything around them, never a token-like label) from the values
whose names are not secret, so no part of a secret reaches the inventory.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Mapping
from urllib.parse import urlsplit

SECRET_NAME = re.compile(r"(SECRET|PASSW(OR)?D|PASSPHRASE|PWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE|CREDENTIAL|AUTH|"
                         r"SIGNING|SALT|CERT|JWT|COOKIE|SESSION_?KEY|CONNECTION_?STRING|CONN_?STR|DSN|WEBHOOK|HOOK_?URL|[_-]KEY$|^KEY)",
                         re.I)
"""Variable names that hold secrets (`DB_PASSWORD`, `SECRET_KEY`, `STRIPE_API_KEY`, `SENTRY_DSN`, `JWT_SIGNING`)."""

_HOST = re.compile(r"(?<![\w.@-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})(?::\d{2,5})?(?![\w@-])", re.I)
_LONG_LABEL = 20
"""A host-name label at least this long is checked for entropy (AWS endpoint labels are short or readable)."""
_ENTROPY = 3.5
"""Bits per character above which a long label reads as random (base64/hex keys score 3.7-6, words 2.5-3.3)."""


WEBHOOK_HOSTS = ("hooks.slack.com", "discord.com", "discordapp.com", "webhook.office.com", "outlook.office.com",
                 "hooks.zapier.com", "api.telegram.org")
"""Hosts whose URLs carry their credential in the path: the whole URL is the secret."""
_SECRET_QUERY = re.compile(r"(^|&)(sig|signature|token|key|apikey|api_key|access_token|code|secret|password)=", re.I)


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def is_credential_url(value: str) -> bool:
    """A URL that carries a credential: a password (`postgresql://user:pw@host/db`), a webhook (its path is the
    secret), or a signature or token in its query; a malformed URL counts as one (it cannot be shown not to)."""
    if "://" not in value:
        return False
    try:
        url = urlsplit(value.strip())
        password, host = url.password, (url.hostname or "")
    except ValueError:
        return True
    return bool(password or host.endswith(WEBHOOK_HOSTS) or "webhook" in url.path.lower()
                or _SECRET_QUERY.search(url.query))


def is_secret_value(value: str) -> bool:
    """A value that is a credential whatever its name: a credential URL (`is_credential_url`) or a word that reads
    as a key or token."""
    return is_credential_url(value) or any(looks_random(word) for word in re.split(r"[\s/:@?&=,;.]+", value))


def split_environment(variables: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[list[str], dict[str, str]]:
    """The secret variables' names (sorted) and the plain settings (name -> value) of an environment."""
    pairs = variables.items() if isinstance(variables, Mapping) else variables
    secrets: set[str] = set()
    settings: dict[str, str] = {}
    for name, value in pairs:
        if is_secret_name(str(name)) or is_secret_value(str(value)):
            secrets.add(str(name))
        else:
            settings[str(name)] = str(value)
    return sorted(secrets), {k: settings[k] for k in sorted(settings) if k not in secrets}


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
    """The host names in environment variables whose names do not mark them as secrets (a connection string with a
    password gives its host and nothing else)."""
    pairs = variables.items() if isinstance(variables, Mapping) else variables
    return hosts_in(value for name, value in pairs if not is_secret_name(str(name)))
