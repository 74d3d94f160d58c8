"""Config as a Pulumi program is given it: stack files, `secure:` values, structured values, the errors naming keys.

Shared by every program (platform, workplace, analytics, governance, the app template) and by the offline engine,
which reads stack files the way the Pulumi CLI does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from amsterdam_cloud.core.errors import UserError, display

PLATFORM_PROJECT = "amsterdam-platform"
"""The platform's Pulumi project: every other project references its stacks (`organization/amsterdam-platform/<env>`)."""
GOVERNANCE_PROJECT = "amsterdam-governance"
"""The governance project (management groups, policy, roles): one stack for the tenant."""
LANDING_ZONES_PROJECT = "amsterdam-landing-zones"
"""The app teams' landing zones (`stacks/landing_zones`): an app in a vended subscription reads its env's stack."""


class ConfigError(UserError):
    """A stack config value is missing, malformed or unknown."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key}: {problem}")
        self.source, self.key, self.problem = source, key, problem


@dataclass(frozen=True, kw_only=True)
class SecretValue:
    """A `secure:` config value: the program only ever sees it as a Pulumi secret."""

    value: str

    def __repr__(self) -> str:  # never print the value, not even by accident: messages say "a secret value"
        return "a secret value"


def structured(value: Any) -> Any:
    """A structured value as given: the stack file holds YAML, the Pulumi CLI hands it over as JSON text."""
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def read_stack_file(path: Path) -> dict[str, Any]:
    """The `config:` mapping of a stack file, with `secure:` values wrapped as SecretValue."""
    source = display(path)
    if not path.is_file():
        raise UserError(f"{source}: no such stack file; expected one of "
                        f"{', '.join(p.name for p in sorted(path.parent.glob('Pulumi.*.yaml'))) or 'none found'}")
    from amsterdam_cloud.core.documents import read_yaml

    document = read_yaml(path, "stack file (`config:` as `pulumi config` writes it)")
    if not isinstance(document, dict) or not isinstance(document.get("config"), dict):
        raise ConfigError(source, "config", "expected a top-level `config:` mapping as `pulumi config` writes it")
    unknown = sorted(set(document) - {"config", "secretsprovider", "encryptionsalt", "encryptedkey",
                                      "environment"})
    if unknown:
        raise ConfigError(source, unknown[0], "unknown top-level key; expected config, secretsprovider, "
                                              "encryptionsalt or encryptedkey")
    return {key: _unwrap_secure(source, str(key), value) for key, value in document["config"].items()}


def _unwrap_secure(source: str, key: str, value: Any) -> Any:
    """A `secure:` value as SecretValue; a key with a `secure:` value nested inside is secret as a whole (as in
    Pulumi). Each `secure:` must hold ciphertext: empty, null or structured values are a mistake, not a secret."""
    if not _holds_secure(source, key, value):
        return value
    if isinstance(value, dict) and set(value) == {"secure"}:
        return SecretValue(value=value["secure"])
    return SecretValue(value=json.dumps(value, sort_keys=True))


def _holds_secure(source: str, key: str, value: Any) -> bool:
    """True when `value` is or contains a `secure:` value; each must be ciphertext-shaped (non-empty text)."""
    found, pending = False, [(key, value)]
    while pending:
        where, item = pending.pop()
        if isinstance(item, dict):
            if set(item) == {"secure"}:
                ciphertext = item["secure"]
                if not isinstance(ciphertext, str) or not ciphertext.strip() or any(c.isspace() for c in ciphertext):
                    raise ConfigError(source, where, "secure: expected the ciphertext that `pulumi config set "
                                                     f"--secret {key} <value>` writes (non-empty text)")
                found = True
                continue
            pending.extend((f"{where}.{name}", child) for name, child in item.items())
        elif isinstance(item, list):
            pending.extend((f"{where}[{index}]", child) for index, child in enumerate(item))
    return found


def given_config() -> tuple[str, dict[str, Any]]:
    """The running program's stack name and config, `secure:` values as SecretValue (real CLI and offline plan)."""
    import pulumi
    from pulumi.runtime import config as runtime_config

    given = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    secret_keys = set(pulumi.runtime.get_config_secret_keys_env())  # the CLI's; `set_all_config`'s below
    return pulumi.get_stack(), {key: SecretValue(value=value)
                                if key in secret_keys or pulumi.runtime.is_config_secret(key) else value
                                for key, value in given.items()}
