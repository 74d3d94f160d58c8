"""Fixtures for the platform stack config tests: the committed dev config to change, and the error a change makes."""

from __future__ import annotations

import copy
from typing import Callable

import pytest

from amsterdam_cloud.stacks import config
from amsterdam_cloud.stacks.config import ConfigError


@pytest.fixture
def dev_raw() -> dict:
    """A private copy of `stacks/Pulumi.dev.yaml`'s config, as the program is given it."""
    return copy.deepcopy(config.read_stack_file(config.stack_file("dev")))


@pytest.fixture
def config_error() -> Callable[[dict], ConfigError]:
    """The ConfigError that parsing a changed dev config raises (the test fails when there is none)."""
    def parse(raw: dict) -> ConfigError:
        with pytest.raises(ConfigError) as error:
            config.parse(raw, "stacks/Pulumi.dev.yaml", "dev")
        return error.value
    return parse
