"""The 7R rules file: the shipped rules decide strategies; a malformed file is an error naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from amsterdam_cloud.core.errors import UserError
from amsterdam_cloud.scripts.migrate import strategy
from amsterdam_cloud.scripts.migrate.inventory import resource

VALID = {"schema": strategy.SCHEMA, "default": "rehost",
         "rules": [{"id": "retire-sandboxes", "strategy": "retire", "when": {"environments": ["sandbox"]}}]}


def write(tmp_path: Path, document) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def workload(environment: str = "prod", **extra):
    return {"id": f"app/{environment}", "application": "app", "environment": environment, "sources": ["aws"], **extra}


def ec2(state: str = "running"):
    return resource(id=f"i-{state}", type="aws:ec2:instance", name="vm", source="aws", account="1", region="eu-west-1",
                    tags={}, properties={"state": state})


def test_the_shipped_rules_file_passes_its_schema():
    assert strategy.load().rules


def test_the_first_matching_rule_decides():
    rules = strategy.load()
    assert rules.decide(workload("sandbox"), [ec2()]).rule == "retire-sandboxes"


def test_all_stopped_servers_retire_the_workload():
    assert strategy.load().decide(workload(), [ec2("stopped")]).strategy == "retire"


def test_no_matching_rule_gives_the_default():
    assert strategy.load().decide(workload(), [ec2()]) == strategy.Decision(strategy="rehost", rule="default")


def test_a_strategy_tag_wins_over_the_rules():
    decision = strategy.load().decide(workload("sandbox", strategyTag="Repurchase"), [ec2()])
    assert decision == strategy.Decision(strategy="repurchase", rule="tag:migration-strategy")


def test_a_valid_custom_file_loads(tmp_path):
    assert strategy.load(write(tmp_path, VALID)).default == "rehost"


@pytest.mark.parametrize(("change", "key"), [
    (lambda d: d.update(default="rewrite"), "default"),
    (lambda d: d["rules"][0].update(strategy="rebuy"), r"rules\[0\]\.strategy"),
    (lambda d: d["rules"][0]["when"].update(enviroments=["x"]), r"rules\[0\]\.when"),
    (lambda d: d["rules"][0]["when"].update(environments="sandbox"), r"rules\[0\]\.when\.environments"),
    (lambda d: d["rules"][0].pop("id"), r"rules\[0\]"),
    (lambda d: d["rules"].append(dict(d["rules"][0])), r"rules\[1\]\.id"),
    (lambda d: d.update(schema="amsterdam.migrate.strategy-rules/v9"), "schema"),
])
def test_a_malformed_rules_file_names_the_file_and_the_key(tmp_path, change, key):
    document = yaml.safe_load(yaml.safe_dump(VALID))
    change(document)
    with pytest.raises(UserError, match=rf"rules\.yaml: {key}"):
        strategy.load(write(tmp_path, document))


def test_a_rules_file_that_is_not_yaml_is_refused(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(UserError, match="rules.yaml: is not valid YAML"):
        strategy.load(path)
