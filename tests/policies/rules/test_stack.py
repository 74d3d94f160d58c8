"""Stack rules: diagnostic settings to the city workspace, locks and protection in prod, log retention."""

import json

import pytest

from amsterdam_cloud.policies.checker import check_resources, parse_resources
from tests.policies.rule_fixtures import UNKNOWN_VALUE, export_of, resource, urn_of, violations
from amsterdam_cloud.policies.rules.governance import defender_required_plans, defender_security_contact
from amsterdam_cloud.core.activity_alerts import CIS_ALERTED_OPERATIONS
from amsterdam_cloud.policies.rules.monitoring import activity_log_alerts, activity_log_exported
from amsterdam_cloud.policies.rules.network import bastion_present, private_endpoint_present
from amsterdam_cloud.policies.rules.storage import service_logging
from amsterdam_cloud.policies.rules.stack import (database_parameters, diagnostic_settings, lock_in_prod,
                                                   log_retention, protect_in_prod, required_children)
from tests.policies.rule_fixtures import PROJECT

KV = "azure-native:keyvault:Vault"
LAW = "azure-native:operationalinsights:Workspace"
DIAG = "azure-native:monitor:DiagnosticSetting"


def findings(rule, *resources, environment="prod", **settings):
    parsed, stack = parse_resources(export_of(*resources, stack=environment))
    from amsterdam_cloud.policies.settings import PackConfig
    config = PackConfig(source="test", default_level="mandatory", levels={},
                        properties={rule.id: {"environment": environment, **settings}} if rule.settings else {})
    return check_resources(parsed, environment=environment, stack=stack, config=config, rules=[rule]).findings


SUB = "/subscriptions/00000004-0000-4000-8000-000000000004"
RG_ID = f"{SUB}/resourceGroups/rg-data"
KV_ID = f"{RG_ID}/providers/Microsoft.KeyVault/vaults/kv-city"
LAW_ID = f"{RG_ID}/providers/Microsoft.OperationalInsights/workspaces/law"


def vault(env="prod", **options):
    """A vault as the engine records it: path inputs, and outputs that carry the id but no resource group."""
    return resource(KV, "kv", {"vaultName": "kv-city", "resourceGroupName": "rg-data"}, stack=env, id=KV_ID,
                    outputs={"id": KV_ID, "name": "kv-city", "type": "Microsoft.KeyVault/vaults"}, **options)


def workspace(env="prod"):
    return resource(LAW, "law", {"retentionInDays": 365}, stack=env, id=LAW_ID,
                    outputs={"id": LAW_ID, "retentionInDays": 365})


def diag(target_urn, workspace_urn=None, workspace_id=UNKNOWN_VALUE, logs=({"categoryGroup": "allLogs", "enabled": True},),
         env="prod"):
    deps = {"resourceUri": [target_urn]}
    if workspace_urn:
        deps["workspaceId"] = [workspace_urn]
    return resource(DIAG, "kv-diag", {"resourceUri": UNKNOWN_VALUE, "workspaceId": workspace_id, "logs": list(logs)},
                    stack=env, property_dependencies=deps,
                    outputs={"workspaceId": workspace_id, "logs": list(logs)})


def lock(token, inputs, level="CanNotDelete", scope=None, **options):
    """A lock: its outputs are its level, name and id; the id is the only place the scope shows."""
    arm_id = f"{scope}/providers/Microsoft.Authorization/locks/the-lock" if scope else ""
    return resource(f"azure-native:authorization:{token}", "the-lock", {"level": level, **inputs}, id=arm_id,
                    outputs={"level": level, "name": "the-lock", **({"id": arm_id} if arm_id else {})}, **options)


def test_vault_with_diagnostics_to_the_stack_workspace_passes():
    kv, law = vault(), workspace()
    assert findings(diagnostic_settings.RULE, kv, law, diag(kv["urn"], law["urn"])) == []


def test_vault_without_diagnostic_setting_is_a_violation_on_the_vault():
    found = findings(diagnostic_settings.RULE, vault(), workspace())
    assert len(found) == 1 and found[0].urn == urn_of("prod", KV, "kv")


def test_diagnostics_to_a_foreign_workspace_are_a_violation():
    kv = vault()
    foreign = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/other"
    found = findings(diagnostic_settings.RULE, kv, diag(kv["urn"], workspace_id=foreign))
    assert len(found) == 1 and "not the city's" in found[0].message


def test_central_workspace_id_from_pack_config_is_accepted():
    kv = vault()
    central = "/subscriptions/m/resourceGroups/rg-mgmt/providers/Microsoft.OperationalInsights/workspaces/log-city"
    assert findings(diagnostic_settings.RULE, kv, diag(kv["urn"], workspace_id=central),
                    logAnalyticsWorkspaceIds=[central.upper()]) == []


def test_diagnostic_setting_with_only_metrics_is_a_violation():
    kv, law = vault(), workspace()
    found = findings(diagnostic_settings.RULE, kv, law, diag(kv["urn"], law["urn"], logs=()))
    assert len(found) == 1 and "no logs" in found[0].message


def test_diagnostics_matched_by_the_settings_own_id_in_a_real_export():
    kv, law = vault(), workspace()
    setting_id = f"{KV_ID}/providers/Microsoft.Insights/diagnosticSettings/to-law"
    setting = resource(DIAG, "kv-diag", {"resourceUri": KV_ID, "workspaceId": LAW_ID, "logs": []}, id=setting_id,
                       outputs={"id": setting_id, "workspaceId": LAW_ID, "logs": [{"categoryGroup": "allLogs"}]})
    assert findings(diagnostic_settings.RULE, kv, law, setting) == []


def test_diagnostics_judged_by_outputs_not_inputs():
    kv, law = vault(), workspace()
    setting_id = f"{KV_ID}/providers/Microsoft.Insights/diagnosticSettings/to-law"
    setting = resource(DIAG, "kv-diag", {"resourceUri": KV_ID, "workspaceId": LAW_ID,
                                         "logs": [{"categoryGroup": "allLogs"}]}, id=setting_id,
                       outputs={"id": setting_id, "workspaceId": LAW_ID, "logs": []})
    assert "no logs" in findings(diagnostic_settings.RULE, kv, law, setting)[0].message


def test_unprotected_vault_in_prod_is_a_violation():
    assert len(violations(protect_in_prod.RULE, {}, token=KV)) == 1


def test_protected_vault_in_prod_passes():
    assert violations(protect_in_prod.RULE, {}, token=KV, protect=True) == []


def test_unprotected_vault_in_dev_passes():
    assert violations(protect_in_prod.RULE, {}, token=KV, environment="dev") == []


def test_vault_without_lock_in_prod_is_a_violation():
    assert len(findings(lock_in_prod.RULE, vault())) == 1


def test_vault_without_lock_in_acc_passes():
    assert findings(lock_in_prod.RULE, vault("acc"), environment="acc") == []


def test_lock_by_scope_on_the_vault_passes():
    kv = vault()
    assert findings(lock_in_prod.RULE, kv, lock("ManagementLockByScope", {"scope": UNKNOWN_VALUE},
                                                property_dependencies={"scope": [kv["urn"]]})) == []


def test_read_only_lock_also_blocks_deletion():
    kv = vault()
    assert findings(lock_in_prod.RULE, kv, lock("ManagementLockByScope", {"scope": UNKNOWN_VALUE}, level="ReadOnly",
                                                property_dependencies={"scope": [kv["urn"]]})) == []


def test_lock_that_only_notes_is_a_violation():
    kv = vault()
    assert len(findings(lock_in_prod.RULE, kv, lock("ManagementLockByScope", {"scope": UNKNOWN_VALUE},
                                                    level="NotSpecified",
                                                    property_dependencies={"scope": [kv["urn"]]}))) == 1


def test_lock_matched_by_its_id_when_the_engine_gives_no_dependency():
    assert findings(lock_in_prod.RULE, vault(), lock("ManagementLockByScope", {"scope": KV_ID}, scope=KV_ID)) == []


def test_resource_group_lock_covers_the_vault_by_id():
    assert findings(lock_in_prod.RULE, vault(), lock("ManagementLockAtResourceGroupLevel",
                                                     {"resourceGroupName": "rg-data"}, scope=RG_ID)) == []


def test_subscription_lock_covers_the_vault():
    assert findings(lock_in_prod.RULE, vault(), lock("ManagementLockAtSubscriptionLevel", {}, scope=SUB)) == []


def test_lock_on_another_resource_group_is_a_violation():
    other = f"{SUB}/resourceGroups/rg-network"
    assert len(findings(lock_in_prod.RULE, vault(), lock("ManagementLockAtResourceGroupLevel",
                                                         {"resourceGroupName": "rg-network"}, scope=other))) == 1


def test_lock_on_a_name_alike_group_in_another_subscription_is_a_violation():
    other = "/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-data"
    assert len(findings(lock_in_prod.RULE, vault(), lock("ManagementLockAtResourceGroupLevel",
                                                         {"resourceGroupName": "rg-data"}, scope=other))) == 1


def test_resource_level_lock_passes_by_id():
    assert findings(lock_in_prod.RULE, vault(), lock(
        "ManagementLockAtResourceLevel", {"resourceGroupName": "rg-data", "resourceName": "kv-city",
                                          "resourceProviderNamespace": "Microsoft.KeyVault", "resourceType": "vaults",
                                          "parentResourcePath": ""}, scope=KV_ID)) == []


def test_lock_scope_inputs_alone_do_not_count():
    """The CLI gives stack rules outputs: a lock's `resourceGroupName` input is not among them."""
    assert len(findings(lock_in_prod.RULE, vault(), lock("ManagementLockAtResourceGroupLevel",
                                                         {"resourceGroupName": "rg-data"}))) == 1


@pytest.mark.parametrize("environment,days", [("prod", 365), ("acc", 90), ("dev", 30)])
def test_retention_meeting_the_environment_minimum_passes(environment, days):
    assert violations(log_retention.RULE, {"retentionInDays": days}, environment=environment,
                      minLogRetentionDays=days) == []


def test_retention_below_the_minimum_is_a_violation():
    assert len(violations(log_retention.RULE, {"retentionInDays": 90}, minLogRetentionDays=365)) == 1


def test_unset_retention_counts_as_azures_30_days():
    assert len(violations(log_retention.RULE, {}, minLogRetentionDays=90)) == 1
    assert violations(log_retention.RULE, {}, minLogRetentionDays=30, environment="dev") == []


def test_retention_that_is_not_a_number_is_a_violation():
    assert len(violations(log_retention.RULE, {"retentionInDays": "365"}, minLogRetentionDays=30)) == 1


def _judged(rule, *resources, environment):
    from amsterdam_cloud.policies.settings import PackConfig

    parsed, stack = parse_resources(export_of(*resources, stack=environment))
    config = PackConfig(source="test", default_level="mandatory", levels={},
                        properties={rule.id: {"environment": environment}})
    return check_resources(parsed, environment=environment, stack=stack, config=config, rules=[rule])


def test_a_lock_of_unknown_level_fails_in_prod_through_the_unknown_mechanism():
    kv = vault()
    unknown_lock = lock("ManagementLockByScope", {"scope": UNKNOWN_VALUE}, level=UNKNOWN_VALUE,
                        property_dependencies={"scope": [kv["urn"]]})
    (found,) = _judged(lock_in_prod.RULE, kv, unknown_lock, environment="prod").findings
    assert found.urn == kv["urn"] and "the level of its lock is unknown until deployment" in found.message


@pytest.mark.parametrize("environment,violations,notes", [("dev", 0, 1), ("prod", 1, 0)])
def test_diagnostic_logs_unknown_are_a_violation_in_prod_and_a_note_in_dev(environment, violations, notes):
    kv, law = vault(environment), workspace(environment)
    setting = diag(kv["urn"], law["urn"], env=environment)
    setting["outputs"]["logs"] = UNKNOWN_VALUE
    result = _judged(diagnostic_settings.RULE, kv, law, setting, environment=environment)
    assert (len(result.findings), len(result.notes)) == (violations, notes)
    assert all("logs of diagnostic setting" in f.message for f in result.findings + result.notes)



def _locked_vault(level):
    kv = vault()
    return kv, lock("ManagementLockByScope", {"scope": UNKNOWN_VALUE}, level=level,
                    property_dependencies={"scope": [kv["urn"]]})


def _diagnosed_vault(logs):
    kv, law = vault(), workspace()
    return kv, law, diag(kv["urn"], law["urn"], logs=logs)


SQL_ID = f"{RG_ID}/providers/Microsoft.Sql/servers/sql-city"
SITE_ID = f"{RG_ID}/providers/Microsoft.Web/sites/app-city"
SLOT_ID = f"{SITE_ID}/slots/staging"
REQUIRED = {rule.id: rule for rule in required_children.RULES}


def _parent(token, name, arm_id):
    return resource(token, name, {"resourceGroupName": "rg-data"}, id=arm_id, outputs={"id": arm_id, "name": name})


def _child(token, name, parent, parent_input, with_dependency=True, arm_id=""):
    """A child policy resource, linked to its parent by the property dependency of `parent_input` or its own id."""
    deps = {parent_input: [parent["urn"]]} if with_dependency else {}
    return resource(token, name, {parent_input: parent["outputs"]["name"], "resourceGroupName": "rg-data"},
                    id=arm_id, property_dependencies=deps, outputs={"id": arm_id} if arm_id else {})


def _sql(*children):
    """A SQL server and the named child policy types (by token suffix), each pointing at it."""
    server = _parent("azure-native:sql:Server", "sql-city", SQL_ID)
    return (server, *(_child(f"azure-native:sql:{c}", c.lower(), server, "serverName") for c in children))


def _site(*children):
    site = _parent(WEB, "app-city", SITE_ID)
    return (site, *(_child(f"azure-native:web:{c}", c.lower(), site, "name") for c in children))


WEB = "azure-native:web:WebApp"
ACCOUNT_ID = f"{RG_ID}/providers/Microsoft.Storage/storageAccounts/stcity"


PRICING = "azure-native:security:Pricing"
DEFENDER = {"subscriptionStacks": [f"{PROJECT}/prod"], "requiredDefenderPlans": ["KeyVaults", "VirtualMachines"]}


GUARDRAILS = ("amsterdam:landingzone:Guardrails",)


def _pricing(plan, tier="Standard", name=None):
    """A Defender plan as AnalyzeStack sends it, under the platform's Guardrails: outputs with the plan's name and
    tier, and its ARM id."""
    arm_id = f"{SUB}/providers/Microsoft.Security/pricings/{plan}"
    return resource(PRICING, f"defender-{plan.lower()}", {"pricingName": plan, "pricingTier": tier}, id=arm_id,
                    parents=GUARDRAILS, outputs={"id": arm_id, "name": plan if name is None else name,
                                                 "pricingTier": tier})


def _tag_audit():
    """A policy assignment the Guardrails make even with Defender switched off."""
    return resource("azure-native:authorization:PolicyAssignment", "guardrails-require-tag-owner", {},
                    parents=GUARDRAILS, outputs={"enforcementMode": "Default"})


def _contact(**changes):
    """The subscription's Defender security contact as the DefenderReporting component declares it (outputs)."""
    outputs = {"emails": "soc@amsterdam.nl;cloud-platform@amsterdam.nl", "isEnabled": True,
               "notificationsByRole": {"state": "On", "roles": ["Owner"]},
               "notificationsSources": [{"sourceType": "Alert", "minimalSeverity": "High"}], **changes}
    return resource("azure-native:security:SecurityContact", "defender-contact", {}, outputs=outputs,
                    parents=("amsterdam:security:DefenderReporting",))


def _activity_log(workspace_id=LAW_ID):
    """The platform's export of the subscription's activity log, as AnalyzeStack sends it."""
    return resource("azure-native:monitor:SubscriptionDiagnosticSetting", "management-activity-log",
                    {"workspaceId": workspace_id}, parents=("amsterdam:landingzone:Management",),
                    outputs={"workspaceId": workspace_id, "logs": [{"category": "Administrative", "enabled": True}]})


def _account(*children, kind="StorageV2"):
    """A storage account (its outputs carry its kind) and the named child service types, each pointing at it."""
    account = resource("azure-native:storage:StorageAccount", "stcity", {"resourceGroupName": "rg-data", "kind": kind},
                       id=ACCOUNT_ID, outputs={"id": ACCOUNT_ID, "name": "stcity", "kind": kind})
    return (account, *(_child(f"azure-native:storage:{c}", c.lower(), account, "accountName") for c in children))


ALERT = "azure-native:monitor:ActivityLogAlert"


def _alert(role, operation, **changes):
    """One activity log alert as AnalyzeStack sends it (the Management component's shape, outputs only)."""
    arm_id = f"{RG_ID}/providers/Microsoft.Insights/activityLogAlerts/management-{role}"
    outputs = {"id": arm_id, "enabled": True, "scopes": [SUB],
               "condition": {"allOf": [{"field": "category", "equals": "Administrative"},
                                       {"field": "operationName", "equals": operation}]},
               "actions": {"actionGroups": [{"actionGroupId": f"{RG_ID}/providers/Microsoft.Insights/actionGroups/ag"}]},
               **changes}
    return resource(ALERT, f"management-{role}", {}, id=arm_id, parents=("amsterdam:landingzone:Management",),
                    outputs=outputs)


def _alerts(**changed):
    """The ten CIS 5.2 alerts; `changed` maps a role to the output changes of its alert."""
    return tuple(_alert(a.role, a.operation, **changed.get(a.role, {})) for a in CIS_ALERTED_OPERATIONS)


def _bastion():
    return resource("azure-native:network:BastionHost", "hub-bastion-host", {}, parents=(
        "amsterdam:landingzone:Hub", "amsterdam:landingzone:Bastion"), outputs={"sku": {"name": "Standard"}})


PG_ID = f"{RG_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-city"
MYSQL_ID = f"{RG_ID}/providers/Microsoft.DBforMySQL/flexibleServers/mysql-city"


def _configuration(server, parameter, value="on", with_dependency=True):
    """A server parameter as AnalyzeStack sends it: its `name` output is the parameter, its id under the server."""
    arm_id = f"{server['id']}/configurations/{parameter}"
    deps = {"serverName": [server["urn"]]} if with_dependency else {}
    token = server["type"].replace(":Server", ":Configuration")
    return resource(token, f"{server['outputs']['name']}-{parameter}",
                    {"serverName": server["outputs"]["name"], "configurationName": parameter, "value": value},
                    id=arm_id, property_dependencies=deps, outputs={"id": arm_id, "name": parameter, "value": value})


def _postgres(*skip, **options):
    """A PostgreSQL flexible server and its logging parameters, less those named in `skip`."""
    server = _parent("azure-native:dbforpostgresql:Server", "pg-city", PG_ID)
    return (server, *(_configuration(server, p, **options) for p in database_parameters.REQUIRED[server["type"]]
                      if p not in skip))


def _mysql(*skip):
    server = _parent("azure-native:dbformysql:Server", "mysql-city", MYSQL_ID)
    return (server, *(_configuration(server, p, "ON") for p in database_parameters.REQUIRED[server["type"]]
                      if p not in skip))


PE = "azure-native:network:PrivateEndpoint"


def _closed_vault(access="Disabled", **options):
    """A vault closed to the public, as AnalyzeStack sends it (its outputs nest the access under properties)."""
    return resource(KV, "kv", {"vaultName": "kv-city"}, id=KV_ID, outputs={
        "id": KV_ID, "name": "kv-city", "properties": {"publicNetworkAccess": access}}, **options)


def _endpoint(target_id=KV_ID, depends_on=None):
    """A private endpoint connecting to `target_id`; with `depends_on`, the engine's property dependency too."""
    deps = {"privateLinkServiceConnections": [depends_on]} if depends_on else {}
    return resource(PE, "kv-pe", {}, property_dependencies=deps, outputs={"privateLinkServiceConnections": [
        {"name": "kv-pe", "groupIds": ["vault"], "privateLinkServiceId": target_id}]})


def _service_diag(service, logs=({"categoryGroup": "allLogs", "enabled": True},), account_id=ACCOUNT_ID,
                  workspace_urn=None):
    """A diagnostic setting on one service of the account, placed (as AnalyzeStack sends it) by its own ARM id."""
    arm_id = f"{account_id}/{service}Services/default/providers/Microsoft.Insights/diagnosticSettings/to-central"
    deps = {"workspaceId": [workspace_urn]} if workspace_urn else {}
    return resource(DIAG, f"st-{service}-diag", {}, id=arm_id, property_dependencies=deps,
                    outputs={"id": arm_id, "workspaceId": LAW_ID, "logs": list(logs)})


def _logged_account(*services, kind="StorageV2"):
    """A storage account (its outputs carry its kind), the stack's workspace and a setting on each named service."""
    law = workspace()
    account, = _account(kind=kind)
    return (account, law, *(_service_diag(s, workspace_urn=law["urn"]) for s in services))


# The stack rules' table: (rule, the resources of a compliant stack, of a stack with one violation).
CASES = [
    (lock_in_prod.RULE, _locked_vault("CanNotDelete"), _locked_vault("NotSpecified")),
    (diagnostic_settings.RULE, _diagnosed_vault(({"categoryGroup": "allLogs", "enabled": True},)),
     _diagnosed_vault(())),
    (REQUIRED["sql-server-has-auditing-policy"], _sql("ServerBlobAuditingPolicy"), _sql("ServerSecurityAlertPolicy")),
    (REQUIRED["sql-server-has-alert-policy"], _sql("ServerSecurityAlertPolicy"), _sql("ServerBlobAuditingPolicy")),
    (REQUIRED["webapp-has-ftp-basic-auth-policy"], _site("WebAppFtpAllowed"), _site("WebAppScmAllowed")),
    (REQUIRED["webapp-has-scm-basic-auth-policy"], _site("WebAppScmAllowed"), _site("WebAppFtpAllowed")),
    (REQUIRED["storage-account-has-blob-service"], _account("BlobServiceProperties"),
     _account("FileServiceProperties")),
    (defender_required_plans.RULE, (_pricing("KeyVaults"), _pricing("VirtualMachines")),
     (_pricing("KeyVaults"), _pricing("VirtualMachines", tier="Free"))),
    (activity_log_exported.RULE, (_tag_audit(), _activity_log()), (_tag_audit(), vault())),
    (database_parameters.RULE, (*_postgres(), *_mysql()), (*_postgres("log_disconnections"), *_mysql())),
    (defender_security_contact.RULE, (_tag_audit(), _contact()),
     (_tag_audit(), _contact(notificationsSources=[{"sourceType": "Alert", "minimalSeverity": "Critical"}]))),
    (activity_log_alerts.RULE, (_tag_audit(), *_alerts()), (_tag_audit(), *_alerts()[1:])),
    (bastion_present.RULE, (_tag_audit(), _bastion()), (_tag_audit(), vault())),
    (private_endpoint_present.RULE, (_closed_vault(), _endpoint()), (_closed_vault(), _endpoint(ACCOUNT_ID))),
    (service_logging.RULE, _logged_account("blob", "queue", "table"), _logged_account("blob", "table")),
]
CASE_SETTINGS = {defender_required_plans.RULE.id: DEFENDER,
                 activity_log_exported.RULE.id: {"subscriptionStacks": DEFENDER["subscriptionStacks"]},
                 defender_security_contact.RULE.id: {"subscriptionStacks": DEFENDER["subscriptionStacks"]},
                 activity_log_alerts.RULE.id: {"subscriptionStacks": DEFENDER["subscriptionStacks"]},
                 bastion_present.RULE.id: {"subscriptionStacks": DEFENDER["subscriptionStacks"]}}
"""The pack settings a table rule needs to judge anything (as the committed config gives them)."""


@pytest.mark.parametrize("rule,compliant,violating", CASES, ids=lambda v: getattr(v, "id", ""))
def test_stack_rule_table_compliant_stack_passes_and_violating_stack_has_one_finding(rule, compliant, violating):
    settings = CASE_SETTINGS.get(rule.id, {})
    assert findings(rule, *compliant, **settings) == []
    assert len(findings(rule, *violating, **settings)) == 1


def test_mysql_server_without_its_audit_log_parameters_is_a_violation_naming_both():
    [finding] = findings(database_parameters.RULE, *_mysql("audit_log_enabled", "audit_log_events"))
    assert finding.urn == _mysql()[0]["urn"]
    assert "audit_log_enabled, audit_log_events" in finding.message


def test_server_parameters_found_through_their_own_arm_ids_in_a_real_export():
    assert findings(database_parameters.RULE, *_postgres(with_dependency=False)) == []


def test_parameters_of_another_server_do_not_count():
    other = _parent("azure-native:dbforpostgresql:Server", "pg-other",
                    f"{RG_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-other")
    server, *parameters = _postgres()
    [finding] = findings(database_parameters.RULE, server, other,
                         *(_configuration(server, p) for p in database_parameters.REQUIRED[server["type"]]))
    assert finding.urn == other["urn"]


def test_a_parameter_whose_server_is_unknown_makes_a_missing_one_unknown_not_a_plain_violation():
    server, *parameters = _postgres("log_checkpoints")
    stray = resource("azure-native:dbforpostgresql:Configuration", "stray", {"configurationName": "log_checkpoints"},
                     outputs={"name": "log_checkpoints", "value": "on"})
    [finding] = findings(database_parameters.RULE, server, *parameters, stray)
    assert "cannot be shown compliant" in finding.message and "log_checkpoints" in finding.message


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_an_unknown_parameter_of_one_server_leaves_another_servers_missing_parameters_a_violation(environment):
    bare = _parent("azure-native:dbforpostgresql:Server", "pg-bare",
                   f"{RG_ID}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-bare")
    server, *parameters = _postgres()
    parameters[-1]["outputs"]["name"] = UNKNOWN_VALUE  # logfiles.retention_days, not known until deployment
    parameters[-1]["id"] = ""
    parameters[-1]["outputs"].pop("id")
    found = findings(database_parameters.RULE, bare, server, *parameters, environment=environment)
    assert [f.urn for f in found if "declares no log_checkpoints" in f.message] == [bare["urn"]]
    unknown = [f for f in found if "cannot be shown compliant" in f.message]
    assert [(f.urn, "logfiles.retention_days" in f.message) for f in unknown] == \
        ([(server["urn"], True)] if environment == "prod" else [])


def test_sql_server_without_any_child_policy_fails_auditing_and_alert_rules():
    server = _parent("azure-native:sql:Server", "sql-city", SQL_ID)
    for rule_id in ("sql-server-has-auditing-policy", "sql-server-has-alert-policy"):
        [finding] = findings(REQUIRED[rule_id], server)
        assert "Azure leaves the setting off" in finding.message


def test_auditing_policy_found_through_its_own_arm_id_in_a_real_export():
    server = _parent("azure-native:sql:Server", "sql-city", SQL_ID)
    audit = _child("azure-native:sql:ServerBlobAuditingPolicy", "audit", server, "serverName",
                   with_dependency=False, arm_id=f"{SQL_ID}/auditingSettings/default")
    assert findings(REQUIRED["sql-server-has-auditing-policy"], server, audit) == []


def test_auditing_policy_of_another_server_does_not_count():
    server = _parent("azure-native:sql:Server", "sql-city", SQL_ID)
    other = _parent("azure-native:sql:Server", "sql-other", f"{RG_ID}/providers/Microsoft.Sql/servers/sql-other")
    audit = _child("azure-native:sql:ServerBlobAuditingPolicy", "audit", other, "serverName")
    [finding] = findings(REQUIRED["sql-server-has-auditing-policy"], server, other, audit)
    assert finding.urn == server["urn"]


def test_slot_needs_its_own_slot_policy_not_the_sites():
    site = _parent(WEB, "app-city", SITE_ID)
    slot = _parent("azure-native:web:WebAppSlot", "staging", SLOT_ID)
    site_ftp = _child("azure-native:web:WebAppFtpAllowed", "ftp", site, "name")
    [finding] = findings(REQUIRED["webapp-has-ftp-basic-auth-policy"], site, slot, site_ftp)
    assert finding.urn == slot["urn"]
    slot_ftp = _child("azure-native:web:WebAppFtpAllowedSlot", "ftp-slot", slot, "slot")
    assert findings(REQUIRED["webapp-has-ftp-basic-auth-policy"], site, slot, site_ftp, slot_ftp) == []


def test_child_whose_parent_is_unknown_makes_the_missing_policy_unknown_not_a_plain_violation():
    server = _parent("azure-native:sql:Server", "sql-city", SQL_ID)
    audit = _child("azure-native:sql:ServerBlobAuditingPolicy", "audit", server, "serverName", with_dependency=False)
    [finding] = findings(REQUIRED["sql-server-has-auditing-policy"], server, audit)
    assert "cannot be shown compliant" in finding.message


def test_storage_account_without_a_blob_service_fails_and_names_soft_delete():
    [finding] = findings(REQUIRED["storage-account-has-blob-service"], *_account())
    assert "BlobServiceProperties (blob soft delete)" in finding.message


def test_blob_service_found_through_its_own_arm_id_in_a_real_export():
    account, = _account()
    blobs = _child("azure-native:storage:BlobServiceProperties", "blobs", account, "accountName",
                   with_dependency=False, arm_id=f"{ACCOUNT_ID}/blobServices/default")
    assert findings(REQUIRED["storage-account-has-blob-service"], account, blobs) == []


def test_file_storage_account_has_no_blob_endpoint_so_it_is_skipped_not_passed():
    parsed, stack = parse_resources(export_of(*_account("FileServiceProperties", kind="FileStorage"), stack="prod"))
    from amsterdam_cloud.policies.settings import PackConfig
    rule = REQUIRED["storage-account-has-blob-service"]
    config = PackConfig(source="test", default_level="mandatory", levels={},
                        properties={rule.id: {"environment": "prod"}})
    result = check_resources(parsed, environment="prod", stack=stack, config=config, rules=[rule])
    assert result.findings == []
    assert result.skipped[rule.id] == {parsed[0].urn}


def test_required_defender_plan_without_a_pricing_is_a_violation_at_the_stack():
    [finding] = findings(defender_required_plans.RULE, _pricing("KeyVaults"), **DEFENDER)
    assert "VirtualMachines has no Pricing" in finding.message
    assert finding.urn == f"urn:pulumi:prod::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-prod"


def test_platform_stack_with_defender_switched_off_misses_every_required_plan():
    assert len(findings(defender_required_plans.RULE, vault(), _tag_audit(), **DEFENDER)) == 2


def test_another_stack_is_not_judged_for_the_platforms_plans():
    other = {**DEFENDER, "subscriptionStacks": ["amsterdam-platform/acc"]}
    assert findings(defender_required_plans.RULE, vault(), _tag_audit(), **other) == []


def _checked(rule, *resources, **settings):
    from amsterdam_cloud.policies.settings import PackConfig

    parsed, stack = parse_resources(export_of(*resources, stack="prod"))
    config = PackConfig(source="test", default_level="mandatory", levels={},
                        properties={rule.id: {"environment": "prod", **settings}})
    return check_resources(parsed, environment="prod", stack=stack, config=config, rules=[rule])


@pytest.mark.parametrize("rule", [defender_required_plans.RULE, activity_log_exported.RULE], ids=lambda r: r.id)
def test_an_owner_stack_without_guardrails_or_the_rules_types_is_skipped_with_the_reason_not_passed(rule):
    result = _checked(rule, vault(), **DEFENDER)
    assert result.findings == []
    assert result.skipped[rule.id] == {f"urn:pulumi:prod::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-prod"}


def test_pricings_declared_outside_guardrails_are_still_judged_on_the_owner_stack():
    keyvaults = resource(PRICING, "kv", {}, id=f"{SUB}/providers/Microsoft.Security/pricings/KeyVaults",
                         outputs={"name": "KeyVaults", "pricingTier": "Standard"})
    [finding] = findings(defender_required_plans.RULE, keyvaults, **DEFENDER)
    assert "VirtualMachines has no Pricing" in finding.message


def test_new_pricings_in_a_real_preview_are_one_unknown_each_at_their_own_urn():
    """A preview of new Pricings knows neither their name nor their id: one finding per Pricing, none repeated."""
    new = [resource(PRICING, f"defender-{n}", {}, parents=GUARDRAILS, outputs={"name": UNKNOWN_VALUE,
                                                                                "pricingTier": "Standard"})
           for n in ("a", "b")]
    found = findings(defender_required_plans.RULE, *new, **DEFENDER)
    assert sorted(f.urn for f in found) == sorted(p["urn"] for p in new)
    assert all("cannot be shown compliant" in f.message for f in found)
    [extra] = findings(defender_required_plans.RULE, new[0], **DEFENDER)[1:]
    assert "at least 1 of the Defender plans KeyVaults, VirtualMachines have no Pricing" in extra.message


def test_plan_names_match_whatever_their_case_and_are_read_from_the_id_when_the_name_is_missing():
    keyvaults = _pricing("keyvaults")
    machines = _pricing("VirtualMachines", name=UNKNOWN_VALUE)
    assert findings(defender_required_plans.RULE, keyvaults, machines, **DEFENDER) == []


@pytest.mark.parametrize("environment,count", [("dev", 0), ("prod", 1)])
def test_pricing_whose_plan_is_unknown_fails_only_in_acc_and_prod(environment, count):
    unknown = resource(PRICING, "defender-x", {"pricingTier": "Standard"}, stack=environment, parents=GUARDRAILS,
                       outputs={"name": UNKNOWN_VALUE, "pricingTier": "Standard"})
    keyvaults = resource(PRICING, "defender-kv", {}, stack=environment, parents=GUARDRAILS,
                         outputs={"name": "KeyVaults", "pricingTier": "Standard"})
    settings = {**DEFENDER, "subscriptionStacks": [f"{PROJECT}/{environment}"]}
    found = findings(defender_required_plans.RULE, unknown, keyvaults, environment=environment, **settings)
    assert len(found) == count and all("cannot be shown compliant" in f.message for f in found)


def test_an_activity_log_export_without_a_workspace_is_a_violation_and_an_unknown_one_fails_in_prod():
    settings = {"subscriptionStacks": DEFENDER["subscriptionStacks"]}
    unset = resource("azure-native:monitor:SubscriptionDiagnosticSetting", "x", {}, outputs={"logs": []})
    [finding] = findings(activity_log_exported.RULE, _tag_audit(), unset, **settings)
    assert "workspaceId unset" in finding.message
    [finding] = findings(activity_log_exported.RULE, _tag_audit(), _activity_log(UNKNOWN_VALUE), **settings)
    assert "cannot be shown compliant" in finding.message


def test_the_activity_log_rule_judges_only_the_stack_that_owns_the_subscription():
    assert findings(activity_log_exported.RULE, vault(), subscriptionStacks=DEFENDER["subscriptionStacks"]) == []
    assert findings(activity_log_exported.RULE, _tag_audit(), subscriptionStacks=["amsterdam-platform/acc"]) == []


@pytest.mark.parametrize("changes,words", [
    ({}, "no Defender for Cloud security contact"),
    ({"emails": ""}, "go to no mailbox"),
    ({"notificationsByRole": {"state": "Off", "roles": ["Owner"]}}, "does not mail the Owner role"),
    ({"notificationsByRole": {"state": "On", "roles": ["AccountAdmin"]}}, "does not mail the Owner role"),
    ({"isEnabled": False}, "gets no mail")])
def test_each_way_the_security_contact_fails_is_one_finding(changes, words):
    settings = {"subscriptionStacks": DEFENDER["subscriptionStacks"]}
    resources = (_tag_audit(),) if not changes else (_tag_audit(), _contact(**changes))
    [finding] = findings(defender_security_contact.RULE, *resources, **settings)
    assert words in finding.message


OWNER = {"subscriptionStacks": DEFENDER["subscriptionStacks"]}


def test_a_platform_stack_without_alerts_misses_each_of_the_ten_cis_operations_at_the_stack():
    found = findings(activity_log_alerts.RULE, _tag_audit(), **OWNER)
    assert [f.message.split(" (")[0].rsplit(" ", 1)[-1] for f in found] == [
        a.operation for a in CIS_ALERTED_OPERATIONS]
    assert {f.urn for f in found} == {f"urn:pulumi:prod::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-prod"}


@pytest.mark.parametrize("changes,words", [
    ({"enabled": False}, "is not enabled"),
    ({"scopes": [RG_ID]}, "does not watch the whole subscription"),
    ({"scopes": ["/subscriptions/00000009-0000-4000-8000-000000000009"]}, "does not watch the whole subscription"),
    ({"actions": {"actionGroups": []}}, "calls no action group"),
    ({"condition": {"allOf": [{"field": "category", "equals": "Security"},
                              {"field": "operationName", "equals": "Microsoft.Network/publicIPAddresses/write"}]}},
     "no enabled activity log alert"),
    ({"condition": {"allOf": [{"field": "operationName", "equals": "Microsoft.Network/publicIPAddresses/write"},
                              {"field": "resourceGroup", "equals": "rg-data"}]}}, "no enabled activity log alert"),
])
def test_an_alert_that_is_off_narrowed_or_tells_nobody_does_not_count(changes, words):
    [finding] = findings(activity_log_alerts.RULE, _tag_audit(), *_alerts(**{"public-ip-written": changes}), **OWNER)
    assert "Microsoft.Network/publicIPAddresses/write (CIS 5.2.9" in finding.message and words in finding.message


def test_an_alert_matching_the_operation_in_another_case_without_the_category_counts():
    lower = {"condition": {"allOf": [{"field": "operationname", "equals": "microsoft.sql/servers/firewallrules/write"}]}}
    assert findings(activity_log_alerts.RULE, _tag_audit(), *_alerts(**{"sql-firewall-rule-written": lower}),
                    **OWNER) == []


@pytest.mark.parametrize("environment,count", [("dev", 0), ("prod", 1)])
def test_an_alert_whose_operation_is_unknown_fails_only_in_acc_and_prod(environment, count):
    unknown = {"condition": {"allOf": [{"field": "operationName", "equals": UNKNOWN_VALUE}]}}
    settings = {"subscriptionStacks": [f"{PROJECT}/{environment}"]}
    stack = json.loads(json.dumps((_tag_audit(), *_alerts(**{"nsg-deleted": unknown}))).replace(
        "urn:pulumi:prod::", f"urn:pulumi:{environment}::"))
    found = findings(activity_log_alerts.RULE, *stack, environment=environment, **settings)
    assert len(found) == count and all("CIS 5.2.4" in f.message and "cannot be shown compliant" in f.message
                                       for f in found)


def test_only_the_stack_that_owns_the_subscription_needs_alerts_and_a_bastion():
    for rule in (activity_log_alerts.RULE, bastion_present.RULE):
        assert findings(rule, _tag_audit(), subscriptionStacks=["amsterdam-platform/acc"]) == []


def test_a_platform_stack_without_a_bastion_is_a_violation_at_the_stack():
    [finding] = findings(bastion_present.RULE, _tag_audit(), **OWNER)
    assert "no Azure Bastion host" in finding.message
    assert finding.urn == f"urn:pulumi:prod::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-prod"


def test_a_vault_closed_to_the_public_without_an_endpoint_is_a_violation_on_the_vault():
    [finding] = findings(private_endpoint_present.RULE, _closed_vault())
    assert finding.urn == urn_of("prod", KV, "kv") and "no private endpoint of this stack connects to it" in \
        finding.message


def test_an_endpoint_is_found_by_its_property_dependency_when_its_target_id_is_not_known_yet():
    kv = _closed_vault()
    assert findings(private_endpoint_present.RULE, kv, _endpoint(UNKNOWN_VALUE, depends_on=kv["urn"])) == []


@pytest.mark.parametrize("environment,count", [("dev", 0), ("prod", 1)])
def test_an_endpoint_whose_target_is_unknown_fails_only_in_acc_and_prod(environment, count):
    stack = json.loads(json.dumps((_closed_vault(), _endpoint(UNKNOWN_VALUE))).replace(
        "urn:pulumi:prod::", f"urn:pulumi:{environment}::"))
    found = findings(private_endpoint_present.RULE, *stack, environment=environment)
    assert len(found) == count and all("cannot be shown compliant" in f.message for f in found)


def test_a_resource_open_to_the_public_is_skipped_with_the_reason_not_passed():
    result = _checked(private_endpoint_present.RULE, _closed_vault("Enabled"))
    assert result.findings == [] and result.skipped[private_endpoint_present.RULE.id] == {urn_of("prod", KV, "kv")}


@pytest.mark.parametrize("token,outputs", [
    ("azure-native:storage:StorageAccount", {"publicNetworkAccess": "Disabled"}),
    ("azure-native:cosmosdb:DatabaseAccount", {"publicNetworkAccess": "Disabled"}),
])
def test_storage_and_cosmos_accounts_closed_to_the_public_need_an_endpoint_too(token, outputs):
    arm_id = f"{RG_ID}/providers/x/accounts/a"
    account = resource(token, "a", {}, id=arm_id, outputs={"id": arm_id, **outputs})
    assert len(findings(private_endpoint_present.RULE, account)) == 1
    assert findings(private_endpoint_present.RULE, account, _endpoint(arm_id)) == []


def test_each_service_of_a_general_purpose_account_without_logs_is_one_finding_naming_its_cis_number():
    found = findings(service_logging.RULE, *_logged_account())
    assert sorted(f.message.split("; ")[1].split(")")[0] for f in found) == ["CIS 3.13", "CIS 3.14", "CIS 3.5"]
    assert {f.urn for f in found} == {urn_of("prod", "azure-native:storage:StorageAccount", "stcity")}


def test_a_block_blob_account_needs_only_its_blob_service_and_a_file_storage_account_is_skipped():
    assert findings(service_logging.RULE, *_logged_account("blob", kind="BlockBlobStorage")) == []
    result = _checked(service_logging.RULE, *_logged_account(kind="FileStorage"))
    assert result.findings == [] and result.skipped[service_logging.RULE.id] == {
        urn_of("prod", "azure-native:storage:StorageAccount", "stcity")}


@pytest.mark.parametrize("logs,words", [
    (({"category": "StorageRead", "enabled": True}, {"category": "StorageWrite", "enabled": True}),
     "neither allLogs nor each of StorageRead, StorageWrite and StorageDelete"),
    (({"categoryGroup": "allLogs", "enabled": False},), "enables no logs"),
])
def test_a_service_setting_that_misses_deletes_or_logs_nothing_does_not_count(logs, words):
    account, law, blob, table = _logged_account("blob", "table")
    queue = _service_diag("queue", logs=logs, workspace_urn=law["urn"])
    [finding] = findings(service_logging.RULE, account, law, blob, table, queue)
    assert words in finding.message and "(its queue service)" in finding.message


def test_every_storage_category_named_one_by_one_counts_as_all_logs():
    account, law, blob, table = _logged_account("blob", "table")
    queue = _service_diag("queue", workspace_urn=law["urn"], logs=[
        {"category": c, "enabled": True} for c in ("StorageRead", "StorageWrite", "StorageDelete")])
    assert findings(service_logging.RULE, account, law, blob, table, queue) == []


def _new_service_setting(account, logs):
    """A diagnostic setting in a real preview: its scope and id not known yet, its dependency naming the account."""
    return resource(DIAG, "st-queue-diag", {"resourceUri": UNKNOWN_VALUE}, property_dependencies={
        "resourceUri": [account["urn"]]}, outputs={"workspaceId": LAW_ID, "logs": logs})


def test_a_new_setting_whose_scope_is_not_known_yet_counts_for_one_missing_service_of_its_account():
    account, law, blob, table = _logged_account("blob", "table")
    new = _new_service_setting(account, [{"categoryGroup": "allLogs", "enabled": True}])
    assert findings(service_logging.RULE, account, law, blob, table, new) == []
    [finding] = findings(service_logging.RULE, account, law, blob, new)
    assert "CIS 3.14" in finding.message or "CIS 3.5" in finding.message


@pytest.mark.parametrize("environment,count", [("dev", 0), ("prod", 1)])
def test_a_new_setting_whose_logs_are_unknown_fails_only_in_acc_and_prod(environment, count):
    account, law, blob, table = _logged_account("blob", "table")
    stack = json.loads(json.dumps((account, law, blob, table, _new_service_setting(account, UNKNOWN_VALUE))).replace(
        "urn:pulumi:prod::", f"urn:pulumi:{environment}::"))
    found = findings(service_logging.RULE, *stack, environment=environment)
    assert len(found) == count and all("cannot be shown compliant" in f.message for f in found)


def _web_app_logging(kind, logs):
    """A web or function app of `kind`, the stack's workspace and one diagnostic setting with `logs` on the app."""
    site = resource(WEB, "app-city", {}, id=SITE_ID, outputs={"id": SITE_ID, "kind": kind})
    law = workspace()
    setting = resource(DIAG, "app-diag", {}, property_dependencies={"resourceUri": [site["urn"]],
                                                                     "workspaceId": [law["urn"]]},
                       outputs={"workspaceId": LAW_ID, "logs": logs})
    return site, law, setting


def test_a_web_app_that_does_not_send_its_http_log_is_a_violation_naming_cis_5_1_6():
    console = [{"category": "AppServiceConsoleLogs", "enabled": True}]
    [finding] = findings(diagnostic_settings.RULE, *_web_app_logging("app,linux", console))
    assert "neither allLogs nor AppServiceHTTPLogs" in finding.message and "CIS 5.1.6" in finding.message
    http = [{"category": "AppServiceHTTPLogs", "enabled": True}]
    assert findings(diagnostic_settings.RULE, *_web_app_logging("app,linux", http)) == []


def test_a_web_app_slot_serves_traffic_so_it_sends_its_http_log_too():
    console = [{"category": "AppServiceConsoleLogs", "enabled": True}]
    site, law, setting = _web_app_logging("app,linux", console)
    slot = {**site, "type": "azure-native:web:WebAppSlot",
            "urn": site["urn"].replace("azure-native:web:WebApp::", "azure-native:web:WebAppSlot::")}
    setting["propertyDependencies"]["resourceUri"] = [slot["urn"]]
    [finding] = findings(diagnostic_settings.RULE, slot, law, setting)
    assert finding.urn == slot["urn"] and "AppServiceHTTPLogs" in finding.message


def test_a_function_app_has_no_http_log_so_its_function_logs_suffice():
    functions = [{"category": "FunctionAppLogs", "enabled": True}]
    assert findings(diagnostic_settings.RULE, *_web_app_logging("functionapp,linux", functions)) == []


def _new_alerts_judged(environment, provider_subscription, public_ip_scope):
    """The ten alerts as a real preview sends them before they exist (no id), the public-IP one watching
    `public_ip_scope`, on a provider deploying to `provider_subscription`: the rule's (violations, notes)."""
    from amsterdam_cloud.policies.rule_model import Resource, StackView, check_stack
    from amsterdam_cloud.policies.settings import Settings

    entries = [_tag_audit(), *_alerts(**{"public-ip-written": {"scopes": [public_ip_scope]}})]
    view = StackView(Resource(urn=e["urn"].replace("urn:pulumi:prod::", f"urn:pulumi:{environment}::"),
                              type=e["type"], props={k: v for k, v in e["outputs"].items() if k != "id"},
                              name=e["urn"].rsplit("::", 1)[-1], provider_subscription=provider_subscription)
                     for e in entries)
    settings = Settings.from_properties({"environment": environment,
                                         "subscriptionStacks": [f"{PROJECT}/{environment}"]})
    report = check_stack(activity_log_alerts.RULE, view, settings)
    return [m for m, _ in report.violations], [m for m, _ in report.notes]


def test_a_new_alert_watching_another_subscription_than_its_providers_is_a_violation():
    own = SUB.rsplit("/", 1)[-1]
    assert _new_alerts_judged("prod", own, SUB) == ([], [])
    [message], _ = _new_alerts_judged("prod", own, "/subscriptions/00000001-0000-4000-8000-000000000001")
    assert "does not watch the whole subscription it is in" in message


@pytest.mark.parametrize("environment,count", [("dev", 0), ("prod", 10)])
def test_new_alerts_on_a_provider_naming_no_subscription_are_unknown_so_fail_only_in_acc_and_prod(environment,
                                                                                                  count):
    found, notes = _new_alerts_judged(environment, None, SUB)
    assert len(found) == count and len(notes) == 10 - count
    assert all("cannot be shown compliant" in m for m in found + notes)
