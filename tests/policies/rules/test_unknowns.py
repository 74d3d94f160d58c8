"""The one unknown mechanism, tried on every rule: each value of a compliant fixture in turn replaced by the
engine's unknown sentinel is never a violation in dev or test (at most a note), never a mere note in acc or prod,
and every violation it causes there says the value is unknown (it went through `Reporter.unknown`). Stack rules
likewise, on every input and output of each resource of their table's compliant stack."""

import copy
import json

import pytest

from amsterdam_cloud.core.environments import ENVIRONMENTS
from amsterdam_cloud.policies.checker import check_resources, parse_resources
from amsterdam_cloud.policies.rule_model import UNKNOWN_PHRASE, Resource, Rule, StackRule, judge
from tests.policies.rule_fixtures import UNKNOWN_VALUE, export_of, urn_of

from amsterdam_cloud.policies.rules import ALL_RULES, RULES_BY_ID
from amsterdam_cloud.policies.settings import PackConfig, Settings

from .fixture_tables import compliant_fixtures
from .test_stack import CASE_SETTINGS
from .test_stack import CASES as STACK_CASES

U = UNKNOWN_VALUE

NO_INPUT_JUDGED = {
    "network-public-ip-only-in-connectivity": "judges where the resource is declared (its URN), no input",
    "stateful-protected-in-prod": "judges the resource option protect, no input",
}
RESOURCE_RULES = [rule for rule in ALL_RULES if isinstance(rule, Rule) and rule.id not in NO_INPUT_JUDGED]


def _paths(value, prefix=()):
    """Every node below the top of a fixture, as key/index paths."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield (*prefix, key)
        yield from _paths(item, (*prefix, key))


def _with_unknown(props: dict, path: tuple) -> dict:
    out = copy.deepcopy(props)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = UNKNOWN_VALUE
    return out


def _outcome(rule: Rule, props: dict, environment: str, token: str | None) -> tuple[list[str], list[str]]:
    token = token or (rule.applies_to[0] if rule.applies_to else "azure-native:resources:ResourceGroup")
    resource = Resource(urn=urn_of(environment, token, "r1"), type=token, props=props, name="r1")
    reporter = judge(rule, resource, Settings.from_properties({"environment": environment}))
    return [m for m, _ in reporter.violations], [m for m, _ in reporter.notes]


@pytest.mark.parametrize("rule", RESOURCE_RULES, ids=lambda rule: rule.id)
def test_an_unknown_value_fails_in_acc_and_prod_and_is_a_note_in_dev_and_test(rule):
    fixtures = compliant_fixtures(rule)
    assert fixtures, f"{rule.id} has no compliant fixture in a table"
    failed_in_prod = False
    for props, token in fixtures:
        known = {env: _outcome(rule, props, env, token)[0] for env in ENVIRONMENTS}  # e.g. tag environment=prod
        for path in _paths(props):
            variant = _with_unknown(props, path)
            for env in ENVIRONMENTS:
                found, notes = _outcome(rule, variant, env, token)
                if env in ("dev", "test"):
                    assert set(found) <= set(known[env]), (env, path, found)  # an unknown adds none
                    assert all(UNKNOWN_PHRASE in note for note in notes), (env, path, notes)
                else:
                    assert notes == [], (env, path, notes)
                    assert all(UNKNOWN_PHRASE in m for m in found if m not in known[env]), (env, path, found)
            failed_in_prod |= bool(_outcome(rule, variant, "prod", token)[0])
    assert failed_in_prod, f"{rule.id}: no value of its compliant fixture is judged when unknown in prod"


def test_rules_that_judge_no_input_exist():
    assert set(NO_INPUT_JUDGED) <= {rule.id for rule in ALL_RULES}


NSG_RULE = {"name": "r", "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "sourceAddressPrefix": "Internet", "destinationPortRange": "443"}
NSG = "azure-native:network:NetworkSecurityGroup"


@pytest.mark.parametrize("rule_id,token,props", [
    ("network-nsg-no-admin-ports-from-internet", NSG, {"securityRules": [{**NSG_RULE, "destinationPortRange": U}]}),
    ("network-nsg-no-all-ports-from-internet", NSG, {"securityRules": U}),
    ("network-subnet-has-nsg", "azure-native:network:Subnet", {"name": "apps", "networkSecurityGroup": U}),
    ("network-nic-no-public-ip", "azure-native:network:NetworkInterface", {"ipConfigurations": U}),
    ("database-secure-transport", "azure-native:dbforpostgresql:Configuration",
     {"configurationName": "ssl_min_protocol_version", "value": U}),
], ids=lambda v: v if isinstance(v, str) and not v.startswith("azure-native") else "")
def test_the_rules_that_passed_unknowns_in_prod_now_fail_them_and_only_note_them_in_dev(rule_id, token, props):
    rule = RULES_BY_ID[rule_id]
    assert len(_outcome(rule, props, "prod", token)[0]) == 1
    assert _outcome(rule, props, "dev", token) == ([], _outcome(rule, props, "prod", token)[0])


def test_an_unknown_nsg_source_is_not_flagged_in_dev():
    props = {"securityRules": [{**NSG_RULE, "sourceAddressPrefix": U, "destinationPortRange": "22"}]}
    for rule_id in ("network-nsg-no-admin-ports-from-internet", "network-nsg-no-udp-from-internet"):
        found, notes = _outcome(RULES_BY_ID[rule_id], props, "dev", NSG)
        assert found == [] and notes


@pytest.mark.parametrize("environment,violations,notes", [("dev", 0, 1), ("acc", 1, 0)])
def test_a_rule_that_tests_an_unknown_as_known_still_goes_through_the_mechanism(environment, violations, notes):
    from amsterdam_cloud.policies.rule_model import Severity

    def careless(resource, report, settings):
        if resource.get("enabled"):  # an unknown has no truth value
            return
        report("enabled is off")

    rule = Rule(id="careless", title="t", severity=Severity.LOW, controls=("BIO 8.1.1",), remediation="Set enabled.",
                check=careless, applies_to=("azure-native:storage:StorageAccount",))
    found, noted = _outcome(rule, {"enabled": U}, environment, None)
    assert (len(found), len(noted)) == (violations, notes)
    assert (found + noted)[0] == "a value it reads is unknown until deployment, so it cannot be shown compliant; " \
                                 "set enabled"


def _leaves(value, prefix=()):
    """Every leaf of a fixture (a scalar, or an empty list or object) by its key/index path."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaves(item, (*prefix, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, (*prefix, index))
    else:
        yield prefix, value


def _reference(path: tuple) -> bool:
    """An id of another resource (`id`, `...Id`): computed by Azure for a resource the same deployment creates, so
    an unknown one is still a known relation (an NSG is attached, the assignment names a definition it creates)."""
    return isinstance(path[-1], str) and (path[-1] == "id" or path[-1].endswith("Id"))


def _judged_paths(rule: Rule):
    """(compliant fixture, token, path) for every leaf where a violating fixture of the same rule differs from it:
    a value the rule demonstrably judges."""
    from tests.policies.rule_fixtures import violations

    from .fixture_tables import fixtures_by_rule

    inputs = fixtures_by_rule().get(rule.id, [])
    failing = [(props, token) for props, token in inputs if violations(rule, props, token=token)]
    for props, token in compliant_fixtures(rule):
        leaves = dict(_leaves(props))
        for bad, bad_token in failing:
            if bad_token != token:
                continue
            bad_leaves = dict(_leaves(bad))
            for path, value in leaves.items():
                if path and not _reference(path) and bad_leaves.get(path, object()) != value:
                    yield props, token, path


@pytest.mark.parametrize("rule", RESOURCE_RULES, ids=lambda rule: rule.id)
def test_every_value_a_rule_judges_fails_in_prod_when_it_is_unknown(rule):
    silent = sorted({path for props, token, path in _judged_paths(rule)
                     if not _outcome(rule, _with_unknown(props, path), "prod", token)[0]})
    assert silent == [], f"{rule.id}: unknown at these judged paths passes in prod"


def _stack_in(environment: str, resources: list[dict]) -> list[dict]:
    """The table's prod stack as the same stack named `environment` (its URNs and dependencies)."""
    return json.loads(json.dumps(resources).replace("urn:pulumi:prod::", f"urn:pulumi:{environment}::"))


def _stack_outcome(rule: StackRule, resources: list[dict], environment: str) -> tuple[list[str], list[str]]:
    settings = json.loads(json.dumps(CASE_SETTINGS.get(rule.id, {})).replace("/prod", f"/{environment}"))
    parsed, stack = parse_resources(export_of(*_stack_in(environment, resources), stack=environment))
    config = PackConfig(source="test", default_level="mandatory", levels={},
                        properties={rule.id: {"environment": environment, **settings}})
    result = check_resources(parsed, environment=environment, stack=stack, config=config, rules=[rule])
    return [f.message for f in result.findings], [n.message for n in result.notes]


CHILD_PRESENCE = "judges that the child exists (linked by dependency or ARM id), no value of it; a child whose link "\
    "is unknown is test_stack's unknown-parent case"
STACK_RULES_JUDGING_NO_VALUE = {rule_id: CHILD_PRESENCE for rule_id in (
    "sql-server-has-auditing-policy", "sql-server-has-alert-policy", "webapp-has-ftp-basic-auth-policy",
    "webapp-has-scm-basic-auth-policy", "storage-account-has-blob-service")}
STACK_RULES_JUDGING_NO_VALUE["network-bastion-present"] = "judges that a BastionHost exists on the owner stack, no "\
    "value of it"


@pytest.mark.parametrize("rule,compliant,_", STACK_CASES, ids=lambda v: getattr(v, "id", ""))
def test_an_unknown_value_in_a_compliant_stack_fails_in_prod_and_is_a_note_in_dev(rule, compliant, _):
    """As for resource rules: every input and output of each resource of the stack table's compliant stack in turn
    unknown is at most a note in dev and, in prod, a violation that says the value is unknown, never a note."""
    failed_in_prod = False
    for index, item in enumerate(compliant):
        for part in ("inputs", "outputs"):
            for path in _paths(item.get(part) or {}):
                variant = copy.deepcopy(list(compliant))
                variant[index][part] = _with_unknown(variant[index][part], path)
                found, notes = _stack_outcome(rule, variant, "dev")
                assert found == [] and all(UNKNOWN_PHRASE in note for note in notes), (index, part, path, found)
                found, notes = _stack_outcome(rule, variant, "prod")
                assert notes == [] and all(UNKNOWN_PHRASE in m for m in found), (index, part, path, found, notes)
                failed_in_prod |= bool(found)
    assert failed_in_prod or rule.id in STACK_RULES_JUDGING_NO_VALUE, \
        f"{rule.id}: no value of its compliant stack is judged when unknown in prod"


def test_every_stack_rule_is_in_the_stack_table():
    assert {rule.id for rule in ALL_RULES if isinstance(rule, StackRule)} <= {case[0].id for case in STACK_CASES}
