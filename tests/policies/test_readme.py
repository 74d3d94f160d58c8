"""policies/README.md stays in step with the rules: the generated rule tables, and the coverage table against
Checkov and CIS (every named rule exists; enough applicable checks, nearly all covered or refused)."""

from amsterdam_cloud.policies.readme import (README, coverage_rows, covering_rule, rules_section,
                                             with_rules_section)
from amsterdam_cloud.policies.rules import RULE_IDS

TEXT = README.read_text(encoding="utf-8")
ROWS = coverage_rows(TEXT)


def test_rule_tables_match_every_rules_metadata():
    assert rules_section() in TEXT, "run: python -m amsterdam_cloud.policies.readme"


def test_regenerating_the_rule_tables_changes_nothing_else():
    assert with_rules_section(TEXT) == TEXT


def test_every_rule_is_in_the_rule_tables():
    section = rules_section()
    assert [rule_id for rule_id in sorted(RULE_IDS) if f"| `{rule_id}` |" not in section] == []


def test_every_covered_check_names_a_rule_the_pack_has():
    named = {check: covering_rule(note) for check, _, status, note in ROWS if status == "covered"}
    assert {check: rule for check, rule in named.items() if rule not in RULE_IDS} == {}


def test_refused_gap_and_not_applicable_rows_give_a_reason():
    assert [check for check, _, status, note in ROWS if status != "covered" and len(note) < 12] == []


def test_coverage_lists_at_least_120_applicable_checks_nine_in_ten_covered_or_refused():
    applicable = [status for _, _, status, _ in ROWS if status != "n/a"]
    settled = [status for status in applicable if status in ("covered", "refused")]
    assert len(applicable) >= 120
    assert len(settled) / len(applicable) >= 0.9
