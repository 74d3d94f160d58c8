import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS, STRICT_ENVIRONMENTS, environment_of_stack


@pytest.mark.parametrize("stack,environment", [("prod", "prod"), ("app-acc", "acc"), ("amsterdam/platform/dev", "dev"),
                                               ("parkeren-test", "test"), ("parkeren-productie", "prod"),
                                               ("Acceptatie", "acc"), ("sandbox", None), ("production2", None)])
def test_environment_is_derived_from_the_stack_name(stack, environment):
    assert environment_of_stack(stack) == environment


def test_the_strict_environments_are_the_last_two_in_dtap_order():
    assert ENVIRONMENTS == ("dev", "test", "acc", "prod") and STRICT_ENVIRONMENTS == set(ENVIRONMENTS[2:])


def test_plan_policy_check_and_deploy_read_the_environment_from_a_stack_name_the_same_way():
    from pathlib import Path

    from amsterdam_cloud.scripts.commands import deploy
    from amsterdam_cloud.scripts.offline import stack_plans  # where `cityctl plan` plans and checks each stack

    no_flag = stack_plans.PlanRequest(plans_dir=Path("out/plans"))  # no --environment
    for stack in ("app-prod", "parkeren-acc", "amsterdam/platform/test"):
        assert stack_plans._environment(stack, no_flag) == deploy._environment_of(stack) == environment_of_stack(stack)
