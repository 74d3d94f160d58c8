"""An estate with a dependency cycle, against the moto server: the cycle is reported with its workloads."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from amsterdam_cloud.scripts.cli import main

from .estate import seed_cycle_estate


@pytest.fixture(scope="module")
def mapping_file(aws_env: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    seed_cycle_estate(aws_env)
    folder = tmp_path_factory.mktemp("cycle")
    inventory, mapping = folder / "inventory.yaml", folder / "mapping.yaml"
    assert main(["migrate", "discover", "--region", "eu-west-1", "--output", str(inventory), "--quiet"]) == 0
    assert main(["migrate", "map", "--inventory", str(inventory), "--output", str(mapping)]) == 0
    return mapping


def plan(mapping_file: Any, tmp_path: Any, *extra: str) -> tuple[int, dict[str, Any]]:
    output = tmp_path / "waves.yaml"
    code = main(["migrate", "waves", "--mapping", str(mapping_file), "--output", str(output), *extra])
    return code, yaml.safe_load(output.read_text())


def test_a_cycle_is_reported_with_the_workloads_in_it(mapping_file, tmp_path):
    _, waves = plan(mapping_file, tmp_path)
    assert [c["workloads"] for c in waves["cycles"]] == [["alpha/prod", "beta/prod"]]
    assert waves["cycles"][0]["path"] == "alpha/prod -> beta/prod -> alpha/prod"


def test_a_cycle_holds_back_its_members_and_what_depends_on_them(mapping_file, tmp_path):
    _, waves = plan(mapping_file, tmp_path)
    held = {h["id"]: h["reasons"] for h in waves["heldBack"]}
    assert set(held) == {"alpha/prod", "beta/prod", "gamma/prod"}
    assert held["gamma/prod"] == ["depends on held-back alpha/prod"]
    assert waves["waves"] == []


def test_a_held_back_cycle_makes_the_command_exit_one_and_name_it(mapping_file, tmp_path, capsys):
    code, _ = plan(mapping_file, tmp_path)
    assert code == 1
    assert "cycle: alpha/prod, beta/prod" in capsys.readouterr().err


def test_merged_cycle_moves_together_before_its_dependents(mapping_file, tmp_path):
    code, waves = plan(mapping_file, tmp_path, "--merge-cycles")
    assert code == 0
    assert [[e["id"] for e in w["workloads"]] for w in waves["waves"]] == [["alpha/prod", "beta/prod"], ["gamma/prod"]]
