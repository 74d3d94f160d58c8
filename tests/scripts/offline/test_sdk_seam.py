"""The SDK seam: a Pulumi SDK without one of the private names the shortcuts use still plans, the same, warning once.

Each case runs `cityctl plan` in a fresh process whose SDK has one private name renamed away in every module that
uses it, in pulumi and in the packages built on it (as a later release of each might), by a `sitecustomize` import
hook that rewrites their source before any of it is imported: the SDK keeps working, only the name is gone.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from amsterdam_cloud.scripts.offline import sdk_seam

ROOT = Path(__file__).resolve().parents[3]

RENAMING_SDK = '''
"""Test shim: the Pulumi SDKs with the identifiers in STUB_SDK_WITHOUT renamed, in every module that uses them."""
import importlib.abc, importlib.machinery, importlib.util, os, re, sys

GONE = re.compile(r"\\b(" + "|".join(map(re.escape, os.environ["STUB_SDK_WITHOUT"].split(","))) + r")\\b")


class RenamingLoader(importlib.abc.Loader):
    def __init__(self, source):
        self.source = source

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(compile(self.source, module.__spec__.origin, "exec"), module.__dict__)


class RenamingFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] not in ("pulumi", "pulumi_azure_native", "pulumi_policy"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not (spec.origin or "").endswith(".py"):
            return spec
        with open(spec.origin, encoding="utf-8") as handle:
            source = handle.read()
        if not GONE.search(source):
            return spec
        renamed = importlib.util.spec_from_file_location(
            fullname, spec.origin, loader=RenamingLoader(GONE.sub(r"\\1_renamed_in_a_later_sdk", source)),
            submodule_search_locations=spec.submodule_search_locations)
        return renamed


sys.meta_path.insert(0, RenamingFinder())
'''


def plan_dev(plans_dir: Path, shim_dir: Path | None = None, without: str = "") -> subprocess.CompletedProcess:
    """`cityctl plan dev` of the platform in a fresh process, with the SDK missing `without` when a shim is given."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "STUB_SDK_WITHOUT")}
    if shim_dir is not None:
        env |= {"PYTHONPATH": str(shim_dir), "STUB_SDK_WITHOUT": without}
    command = [sys.executable, "-c", "import sys; from amsterdam_cloud.scripts.cli import main; sys.exit(main())",
               "plan", "dev", "--plans-dir", str(plans_dir), "--no-tree", "--no-policy"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def normal_plan(tmp_path_factory) -> bytes:
    """The dev platform's plan file from an untouched SDK, in a fresh process."""
    plans_dir = tmp_path_factory.mktemp("normal")
    result = plan_dev(plans_dir)
    assert result.returncode == 0, result.stderr
    return (plans_dir / "amsterdam-platform.dev.json").read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize(("missing", "shortcut"), [
    ("_sync_await", "the stepwise runner"),
    ("_get_stack_trace", "source-position skipping"),
    ("_LazyModule", "class-on-demand azure-native packages"),
    ("_from_data", "outputs resolved through one future"),
    ("SETTINGS", "outputs resolved through one future"),
    ("create_urn", "URNs of plain strings made at once"),
    ("resolve_outputs_due_to_exception", "output properties made when first read"),
    ("serialize_property", "plain values as they are"),
])
def test_a_plan_without_a_private_sdk_name_is_byte_identical_and_warns_once(
        tmp_path: Path, normal_plan: bytes, missing: str, shortcut: str):
    (tmp_path / "sitecustomize.py").write_text(RENAMING_SDK)
    plans_dir = tmp_path / "plans"
    result = plan_dev(plans_dir, shim_dir=tmp_path, without=missing)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line.lower()]
    assert len(warnings) == 1, result.stderr
    assert f".{missing}" in warnings[0] and f"({shortcut})" in warnings[0] and "slower" in warnings[0]
    assert (plans_dir / "amsterdam-platform.dev.json").read_bytes() == normal_plan


@pytest.mark.slow
def test_an_sdk_whose_getters_keep_no_pulumi_name_plans_the_same_outputs_and_warns_once(
        tmp_path: Path, normal_plan: bytes):
    (tmp_path / "sitecustomize.py").write_text(RENAMING_SDK)
    plans_dir = tmp_path / "plans"
    result = plan_dev(plans_dir, shim_dir=tmp_path, without="_pulumi_name")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line.lower()]
    assert len(warnings) == 1 and "._pulumi_name" in warnings[0], result.stderr
    assert (plans_dir / "amsterdam-platform.dev.json").read_bytes() == normal_plan


def test_without_getter_names_an_output_name_is_the_camel_case_of_the_python_name(monkeypatch):
    without = dataclasses.replace(sdk_seam.probe(), getter_names=False)
    monkeypatch.setattr(sdk_seam, "probe", lambda: without)
    assert sdk_seam.output_property_name("primary_endpoints", lambda self: None) == "primaryEndpoints"
    assert sdk_seam.output_property_name("hub_ip_addresses", lambda self: None).lower() == "hubipaddresses"


def test_an_sdk_without_a_name_every_plan_needs_stops_with_one_line_naming_the_supported_range(tmp_path: Path):
    (tmp_path / "sitecustomize.py").write_text(RENAMING_SDK)
    result = plan_dev(tmp_path / "plans", shim_dir=tmp_path, without="MockEngine")
    assert result.returncode == 2, result.stderr  # the error's own code: an SDK to replace is input to fix
    assert "Traceback" not in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert "pulumi.runtime.mocks.MockEngine" in line and sdk_seam._supported_range() in line
    assert re.search(r"pulumi>=3\.\d+,<4", line), line


def test_the_installed_sdk_offers_every_shortcut_so_a_normal_plan_warns_of_nothing():
    assert sdk_seam.probe().missing == ()


@pytest.mark.parametrize("shortcut", ["debug_log", "urns_at_once", "outputs_on_read"])
def test_a_plan_with_one_shortcut_left_out_is_byte_identical(tmp_path: Path, monkeypatch, shortcut: str):
    """The shortcuts a renamed name cannot switch off alone (renaming `debug` would break the SDK's own logging):
    left out through the probe, in this process."""
    from amsterdam_cloud.scripts.offline.project import PulumiProject, plan_stack

    project = PulumiProject.load(ROOT)
    normal = plan_stack(project, "dev", plans_dir=tmp_path, offline_speedups=True).export_text()
    without = dataclasses.replace(sdk_seam.probe(), **{shortcut: None})
    monkeypatch.setattr(sdk_seam, "probe", lambda: without)
    assert plan_stack(project, "dev", plans_dir=tmp_path, offline_speedups=True).export_text() == normal


def test_debug_messages_are_kept_when_the_engine_logger_shows_them():
    import logging

    import pulumi.log

    logger = logging.getLogger("test-sdk-seam-debug")
    original = pulumi.log.debug
    logger.setLevel(logging.DEBUG)
    with sdk_seam.debug_logs_dropped(logger):
        assert pulumi.log.debug is original
    logger.setLevel(logging.WARNING)
    with sdk_seam.debug_logs_dropped(logger):
        assert pulumi.log.debug is not original
    assert pulumi.log.debug is original
