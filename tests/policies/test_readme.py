"""policies/README.md stays in step with the rules: the generated rule tables, and the coverage table against
Checkov and CIS (every named rule exists; enough applicable checks, nearly all covered or refused)."""

from amsterdam_cloud.policies.readme import (README, coverage_rows, covering_rule, rule_anchor, rules_section,
                                             with_rules_section)
from amsterdam_cloud.policies.reports.evidence import CIS_EDITION
from amsterdam_cloud.policies.rules import ALL_RULES, RULE_IDS

TEXT = README.read_text(encoding="utf-8")
ROWS = coverage_rows(TEXT)


def test_rule_tables_match_every_rules_metadata():
    assert rules_section() in TEXT, "run: python -m amsterdam_cloud.policies.readme"


def test_regenerating_the_rule_tables_changes_nothing_else():
    assert with_rules_section(TEXT) == TEXT


def test_every_rule_is_in_the_rule_tables_under_its_anchor():
    section = rules_section()
    assert [rule_id for rule_id in sorted(RULE_IDS)
            if f'| <a id="{rule_anchor(rule_id)}"></a>`{rule_id}` |' not in section] == []


def test_every_cis_number_a_rule_claims_is_a_covered_row_naming_that_rule():
    """The rules' CIS numbers are checked against the edition the table names, row by row."""
    rows: dict[str, list[str]] = {}
    for check, _, status, note in ROWS:
        if check.startswith("CIS ") and status == "covered":
            rows.setdefault(check, []).append(note)
    claims = [(rule.id, control) for rule in ALL_RULES for control in rule.cis_controls]
    assert [(rule_id, control) for rule_id, control in claims
            if not any(f"`{rule_id}`" in note for note in rows.get(control, ()))] == []


def test_the_rule_a_covered_cis_row_names_first_claims_that_number():
    """The reverse of the test above: the evidence and `cityctl policy rules` show every number the table covers."""
    claimed = {(rule.id, control) for rule in ALL_RULES for control in rule.cis_controls}
    assert [(check, covering_rule(note)) for check, _, status, note in ROWS
            if check.startswith("CIS ") and status == "covered" and (covering_rule(note), check) not in claimed] == []


def test_the_coverage_table_names_the_cis_edition_the_evidence_report_names():
    assert f"({CIS_EDITION} numbering" in TEXT


def test_every_covered_check_names_a_rule_the_pack_has():
    named = {check: covering_rule(note) for check, _, status, note in ROWS if status == "covered"}
    assert {check: rule for check, rule in named.items() if rule not in RULE_IDS} == {}


def test_refused_gap_and_not_applicable_rows_give_a_reason():
    assert [check for check, _, status, note in ROWS if status != "covered" and len(note) < 12] == []


def _settled_share() -> float:
    applicable = [status for _, _, status, _ in ROWS if status != "n/a"]
    return sum(status in ("covered", "refused") for status in applicable) / len(applicable)


def test_coverage_lists_at_least_250_applicable_checks():
    assert len([status for _, _, status, _ in ROWS if status != "n/a"]) >= 250


def test_nine_in_ten_applicable_checks_are_covered_or_refused():
    """Issue 16's goal, counted honestly (sections 2.1, 3, 4, 5, 6, 7, 8 and 9 of v2.1.0 listed): a row may not slip."""
    assert _settled_share() >= 0.9


def test_the_coverage_figures_the_readme_states_are_the_tables():
    applicable = [status for _, _, status, _ in ROWS if status != "n/a"]
    settled = sum(status in ("covered", "refused") for status in applicable)
    assert (f"Today: {len(applicable)} applicable checks, {settled} covered or refused "
            f"({100 * settled / len(applicable):.1f}%), {len(applicable) - settled} gaps.") in " ".join(TEXT.split())


CIS_SECTION_3 = tuple(f"CIS 3.{n}" for n in range(1, 18))
"""CIS Microsoft Azure Foundations v2.1.0, section 3 (Storage Accounts): recommendations 3.1 to 3.17."""
CIS_SECTIONS_4_AND_8 = (*(f"CIS 4.1.{n}" for n in range(1, 7)), *(f"CIS 4.2.{n}" for n in range(1, 6)),
                        *(f"CIS 4.3.{n}" for n in range(1, 9)), *(f"CIS 4.4.{n}" for n in range(1, 5)),
                        "CIS 4.5.1", "CIS 4.5.3", *(f"CIS 8.{n}" for n in range(1, 9)))
"""v2.1.0 sections 4 (Database Services: 4.1 SQL Server, 4.2 Defender for SQL, 4.3 PostgreSQL, 4.4 MySQL, 4.5
Cosmos DB) and 8 (Key Vault); 4.5.2 (Cosmos DB private endpoints) is the private-endpoint rows' to add."""


def test_every_storage_recommendation_of_the_cis_edition_has_a_row():
    assert [check for check in CIS_SECTION_3 if check not in {row[0] for row in ROWS}] == []


def test_every_database_and_key_vault_recommendation_of_the_cis_edition_has_a_row():
    assert [check for check in CIS_SECTIONS_4_AND_8 if check not in {row[0] for row in ROWS}] == []


CIS_TITLES = {
    "CIS 5.1.1": "Subscription diagnostic setting", "CIS 5.1.2": "Diagnostic setting categories",
    "CIS 5.1.3": "customer-managed key", "CIS 5.1.4": "Key Vault logging", "CIS 5.1.5": "flow logs",
    "CIS 5.1.6": "HTTP logs",
    "CIS 9.1": "authentication", "CIS 9.2": "HTTPS", "CIS 9.3": "TLS", "CIS 9.4": "Entra ID", "CIS 9.5": "PHP",
    "CIS 9.6": "Python", "CIS 9.7": "Java", "CIS 9.8": "HTTP version", "CIS 9.9": "FTP",
    "CIS 9.10": "Key Vault used to store secrets",
    "CIS 7.1": "Bastion", "CIS 7.2": "managed disks", "CIS 7.3": "OS and data disks", "CIS 7.4": "Unattached disks",
    "CIS 7.5": "approved extensions", "CIS 7.6": "Endpoint protection", "CIS 7.7": "VHDs", "CIS 7.8": "MFA",
    "CIS 7.9": "Trusted Launch",
    "CIS 4.1.3": "customer-managed key", "CIS 4.2.1": "Defender for SQL", "CIS 4.2.2": "Vulnerability assessment",
    "CIS 4.2.3": "recurring scans", "CIS 4.2.4": "scan reports", "CIS 4.2.5": "admins and subscription owners",
    "CIS 4.3.2": "log_checkpoints", "CIS 4.3.3": "log_connections", "CIS 4.3.4": "log_disconnections",
    "CIS 4.3.5": "connection throttling", "CIS 4.3.6": "log retention", "CIS 4.3.8": "double encryption",
    "CIS 4.4.3": "audit log", "CIS 4.4.4": "audit_log_events",
    "CIS 8.1": "Key expiry (RBAC", "CIS 8.2": "Key expiry (non-RBAC", "CIS 8.3": "Secret expiry (RBAC",
    "CIS 8.4": "Secret expiry (non-RBAC", "CIS 8.8": "key rotation",
}
"""CIS Microsoft Azure Foundations v2.1.0, sections 4 (databases), 5.1 (diagnostic settings), 7 (Virtual Machines),
8 (Key Vault) and 9 (App Service): a word of each recommendation's title (steampipe-mod-azure-compliance cis_v210
section_5/7/8/9.pp and docs/cis_v210_4_*.md)."""


def test_every_row_of_sections_4_5_1_7_8_and_9_asks_what_the_cis_edition_numbers_so():
    asks = {check: what for check, what, _, _ in ROWS}
    assert {check: asks[check] for check, title in CIS_TITLES.items()
            if check in asks and title.lower() not in asks[check].lower()} == {}


CIS_SECTIONS_2_1_5_6 = (*(f"CIS 2.1.{n}" for n in range(1, 23)), *(f"CIS 5.1.{n}" for n in range(1, 7)),
                        *(f"CIS 5.2.{n}" for n in range(1, 11)), "CIS 5.3.1", "CIS 5.4", "CIS 5.5",
                        *(f"CIS 6.{n}" for n in range(1, 8)))
"""CIS Microsoft Azure Foundations v2.1.0, sections 2.1 (Defender for Cloud: 2.1.1-2.1.22), 5 (logging and
monitoring: 5.1.1-5.1.6, 5.2.1-5.2.10, 5.3.1, 5.4, 5.5) and 6 (networking: 6.1-6.7), as steampipe-mod-azure-compliance
cis_v210 section_2/5/6.pp list them."""

CIS_TITLES_2_1_5_6 = {
    "CIS 2.1.10": "DNS", "CIS 2.1.12": "system updates", "CIS 2.1.13": "Security Benchmark",
    "CIS 2.1.14": "Log Analytics agent", "CIS 2.1.15": "vulnerability assessment", "CIS 2.1.16": "Containers",
    "CIS 2.1.20": "Cloud Apps", "CIS 2.1.21": "Endpoint", "CIS 2.1.22": "EASM", "CIS 5.2.1": "Create Policy",
    "CIS 5.2.2": "Delete Policy", "CIS 5.2.3": "Network Security Group", "CIS 5.2.4": "Network Security Group",
    "CIS 5.2.5": "Security Solution", "CIS 5.2.6": "Security Solution", "CIS 5.2.7": "SQL Server Firewall",
    "CIS 5.2.8": "SQL Server Firewall", "CIS 5.2.9": "Public IP", "CIS 5.2.10": "Public IP",
    "CIS 5.3.1": "Application Insights", "CIS 5.4": "resource logging", "CIS 5.5": "Basic",
    "CIS 6.6": "Network Watcher", "CIS 6.7": "Public IP", "CIS 4.5.2": "private endpoints",
    "CIS 10.1": "Resource locks",
}
"""A word of each title of the rows added with the lists above and of CIS 4.5.2 and 10.1 (same source), so a row
under a wrong number fails."""


def test_every_vm_app_service_and_activity_log_alert_recommendation_of_the_cis_edition_has_a_row():
    wanted = [check for check in CIS_TITLES if check.startswith(("CIS 7.", "CIS 9."))]
    wanted += [*(f"CIS 5.2.{n}" for n in range(1, 11)), "CIS 10.1"]
    assert [check for check in wanted if check not in {row[0] for row in ROWS}] == []


def test_every_defender_logging_and_networking_recommendation_of_the_cis_edition_has_a_row_under_its_title():
    asks = {check: what for check, what, _, _ in ROWS}
    assert [check for check in CIS_SECTIONS_2_1_5_6 if check not in asks] == []
    assert {check: asks[check] for check, word in CIS_TITLES_2_1_5_6.items()
            if word.lower() not in asks[check].lower()} == {}
