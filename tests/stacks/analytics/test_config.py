"""The analytics stack config: the four stack files validate, and acc and prod refuse unregistered algorithms with
an error that names the algorithm, the stack file and the fix."""

from __future__ import annotations

import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.stacks.analytics.config import load, parse
from amsterdam_cloud.stacks.config import ConfigError, read_stack_file
from amsterdam_cloud.stacks.analytics.config import STACKS_DIR


def _raw(stack: str) -> dict:
    return read_stack_file(STACKS_DIR / f"Pulumi.{stack}.yaml")


def _with_algorithm(raw: dict, name: str, spec: dict) -> dict:
    teams = {team: dict(settings) for team, settings in raw["amsterdam-analytics:teams"].items()}
    teams["wonen"]["algorithms"] = {**teams["wonen"]["algorithms"], name: spec}
    return {**raw, "amsterdam-analytics:teams": teams}


@pytest.mark.parametrize("stack", ENVIRONMENTS)
def test_every_stack_file_validates(stack):
    assert load(stack).environment == stack


@pytest.mark.parametrize("stack", ["acc", "prod"])
def test_acc_and_prod_refuse_an_algorithm_without_register_id(stack):
    raw = _with_algorithm(_raw(stack), "nieuw", {"kind": "model"})
    with pytest.raises(ConfigError) as refused:
        parse(raw, f"stacks/analytics/Pulumi.{stack}.yaml", stack)
    message = str(refused.value)
    assert message.startswith(f"stacks/analytics/Pulumi.{stack}.yaml: "
                              "amsterdam-analytics:teams.wonen.algorithms.nieuw.registerId: ")
    assert "algorithm 'nieuw' has no register id" in message and "set its registerId" in message


@pytest.mark.parametrize("stack", ["dev", "test"])
def test_dev_and_test_build_an_algorithm_without_register_id(stack):
    config = parse(_with_algorithm(_raw(stack), "nieuw", {"kind": "model"}), "x.yaml", stack)
    assert [a.register_id for t in config.teams for a in t.algorithms if a.name == "nieuw"] == [None]


def test_the_switch_not_the_environment_decides_the_refusal():
    raw = {**_with_algorithm(_raw("dev"), "nieuw", {}), "amsterdam-analytics:requireRegisterEntry": True}
    with pytest.raises(ConfigError, match="has no register id"):
        parse(raw, "stacks/analytics/Pulumi.dev.yaml", "dev")


def test_prod_refuses_an_algorithm_still_in_development():
    raw = _with_algorithm(_raw("prod"), "vulgraad", {"registerId": "90127519"})
    with pytest.raises(ConfigError, match=r"status 'In ontwikkeling'"):
        parse(raw, "stacks/analytics/Pulumi.prod.yaml", "prod")


def test_global_ai_deployment_type_is_a_config_error_at_its_key():
    raw = _with_algorithm(_raw("dev"), "chat", {"registerId": "90127488", "aiDeployments": {
        "chat": {"model": "gpt-4o", "version": "2024-08-06", "type": "GlobalStandard"}}})
    with pytest.raises(ConfigError, match=r"algorithms\.chat\.aiDeployments\.chat: .*outside the EU"):
        parse(raw, "stacks/analytics/Pulumi.dev.yaml", "dev")


def test_unquoted_register_id_reads_as_the_same_id():
    config = parse(_with_algorithm(_raw("prod"), "scan", {"registerId": 90127488}), "x.yaml", "prod")
    assert [a.register_id for t in config.teams for a in t.algorithms if a.name == "scan"] == ["90127488"]


def test_unknown_key_names_the_known_ones():
    with pytest.raises(ConfigError, match=r"amsterdam-analytics:teem: unknown key; expected one of"):
        parse({**_raw("dev"), "amsterdam-analytics:teem": {}}, "x.yaml", "dev")


def test_stack_file_for_another_environment_is_refused():
    with pytest.raises(ConfigError, match=r"says 'dev' but the stack is 'prod'"):
        parse(_raw("dev"), "x.yaml", "prod")


def test_acc_and_prod_require_register_entries_and_dev_and_test_do_not():
    assert {stack: load(stack).register_policy.require_entry for stack in ENVIRONMENTS} == \
        {"dev": False, "test": False, "acc": True, "prod": True}


def test_algorithm_filesystem_missing_from_the_team_lake_is_a_config_error_at_its_key():
    raw = _with_algorithm(_raw("dev"), "scan", {"registerId": "90127488", "filesystems": ["kentekens"]})
    with pytest.raises(ConfigError, match=r"teams\.wonen\.algorithms\.scan\.filesystems: \['kentekens'\] are not"):
        parse(raw, "stacks/analytics/Pulumi.dev.yaml", "dev")


def test_a_filesystem_name_with_a_trailing_newline_is_refused_at_its_key():
    raw = _raw("dev")
    raw["amsterdam-analytics:teams"]["wonen"]["filesystems"] = ["raw\n", "curated"]
    with pytest.raises(ConfigError, match=r"teams\.wonen\.filesystems\[0\]: expected a filesystem name"):
        parse(raw, "stacks/analytics/Pulumi.dev.yaml", "dev")
