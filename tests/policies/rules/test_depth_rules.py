"""The rules that need logic beyond one value (NSG ports and protocols, firewall ranges, CORS, roles, Front Door
routes, IDPS, flow logs, AVD redirection, activity log): a compliant and violating fixtures per rule."""

import pytest

from tests.policies.rule_fixtures import secret, violations
from amsterdam_cloud.policies.rules import RULES_BY_ID

from .baseline_cases import U

OWNER = "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER = "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
ALLOWED_LOCATIONS = "/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c"
NL_BIO = "/providers/Microsoft.Authorization/policySetDefinitions/d8b2ffbe-c6a8-4622-965d-4ade11d1d2ee"
SAFE_RDP = "enablerdsaadauth:i:1;redirectclipboard:i:0;drivestoredirect:s:;usbdevicestoredirect:s:"
BBN2 = {"data-classification": "BBN2"}
VAULT = "https://kv-parkeren.vault.azure.net"
KV_REFERENCE = f"@Microsoft.KeyVault(SecretUri={VAULT}/secrets/db-password)"
ENTRA_CONNECTION = "Server=db.postgres.database.azure.com;Authentication=Active Directory Managed Identity"
CLOUD_INIT = "I2Nsb3VkLWNvbmZpZwpwYWNrYWdlczogW25naW54XQo="  # packages: [nginx]
CLOUD_INIT_WITH_PASSWORD = "I2Nsb3VkLWNvbmZpZwp3cml0ZV9maWxlczoKICAtIGNvbnRlbnQ6ICdEQl9QQVNTV09SRD1XaW50ZXIyMDI2IScK"  # DB_PASSWORD=...


def app_secrets(password=KV_REFERENCE, connection=ENTRA_CONNECTION, **extra):
    """An app's settings, connection strings and Container App secrets, as the components declare them (settings
    that are no credential though a name or value may look so among them); `extra` settings go last."""
    settings = [{"name": "DB_PASSWORD", "value": password}, {"name": "PORT", "value": "80"},
                {"name": "AZURE_CLIENT_ID", "value": "6f1c2e7a-0000-4000-8000-000000000001"},
                {"name": "API_URL", "value": "https://api.amsterdam.nl/v1?page=2"},
                {"name": "AzureWebJobsStorage__credential", "value": "managedidentity"},
                {"name": "WEBSITE_AUTH_ENABLED", "value": "true"},
                {"name": "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "value": "Authorization=AAD;ClientId=6f1c2e7a"},
                {"name": "APPLICATIONINSIGHTS_CONNECTION_STRING",
                 "value": "InstrumentationKey=00000000-0000-4000-8000-000000000001;IngestionEndpoint=https://x/"}]
    return {"siteConfig": {"appSettings": settings + [{"name": k, "value": v} for k, v in extra.items()],
                           "connectionStrings": [{"name": "db", "connectionString": connection}]},
            "properties": {"PORT": "80", "API_KEY": KV_REFERENCE},
            "configuration": {"secrets": [{"name": "db", "keyVaultUrl": f"{VAULT}/secrets/db", "identity": "id"}]}}


def nsg_rule(**change):
    rule = {"name": "r", "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "sourceAddressPrefix": "Internet", "destinationPortRange": "443"}
    return {"securityRules": [{**rule, **change}]}


# rule id: (compliant inputs, [violating inputs, one mutation each])
FIXTURES = {
    "network-nsg-no-risky-ports-from-internet": (nsg_rule(), [
        nsg_rule(destinationPortRange="80"), nsg_rule(destinationPortRange="5985-5986"),
        nsg_rule(destinationPortRange=None, destinationPortRanges=["1433", "3306"]),
        nsg_rule(sourceAddressPrefix="0.0.0.0/0", destinationPortRange="5432")]),
    "network-nsg-no-udp-from-internet": (nsg_rule(), [nsg_rule(protocol="Udp"), nsg_rule(protocol="*")]),
    "network-flow-log-retention": ({"retentionPolicy": {"enabled": True, "days": 90}}, [
        {"retentionPolicy": {"enabled": True, "days": 30}}, {"retentionPolicy": {"enabled": False, "days": 365}},
        {}]),
    "firewall-policy-idps-deny": ({"sku": {"tier": "Premium"}, "intrusionDetection": {"mode": "Deny"}}, [
        {"sku": {"tier": "Premium"}, "intrusionDetection": {"mode": "Alert"}}, {"sku": {"tier": "Premium"}}]),
    "frontdoor-route-https-only": ({"supportedProtocols": ["Http", "Https"], "httpsRedirect": "Enabled",
                                    "forwardingProtocol": "HttpsOnly"}, [
        {"supportedProtocols": ["Http", "Https"], "httpsRedirect": "Disabled", "forwardingProtocol": "HttpsOnly"},
        {"supportedProtocols": ["Https"], "forwardingProtocol": "MatchRequest"},
        {"forwardingProtocol": "HttpsOnly"}]),
    "database-firewall-no-allow-all": ({"startIpAddress": "10.1.0.4", "endIpAddress": "10.1.0.4"}, [
        {"startIpAddress": "0.0.0.0", "endIpAddress": "0.0.0.0"},
        {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}]),
    "storage-blob-soft-delete": ({"deleteRetentionPolicy": {"enabled": True, "days": 7}}, [
        {"deleteRetentionPolicy": {"enabled": False, "days": 14}}, {"deleteRetentionPolicy": {"enabled": True, "days": 3}},
        {"deleteRetentionPolicy": {"enabled": True}}, {}]),
    "sql-auditing-retention": ({"state": "Enabled", "retentionDays": 90}, [
        {"state": "Enabled", "retentionDays": 30}, {"state": "Enabled", "retentionDays": "a year"}]),
    "ai-services-managed-identity": ({"identity": {"type": "SystemAssigned"}}, [
        {"identity": {"type": "None"}}, {}]),
    "keyvault-secret-content-type": ({"properties": {"contentType": "Local administrator of vm01"}}, [
        {"properties": {"contentType": " "}}, {"properties": {}}]),
    "keyvault-key-hsm-for-bbn3": ({"tags": {"data-classification": "BBN3"}, "properties": {"kty": "RSA-HSM"}}, [
        {"tags": {"data-classification": "BBN3"}, "properties": {"kty": "RSA"}},
        {"tags": {"data-classification": "bbn3"}, "properties": {}}]),
    "vm-extension-allowlist": ({"publisher": "Microsoft.Azure.Monitor", "type": "AzureMonitorWindowsAgent"}, [
        {"publisher": "Microsoft.Azure.Monitor", "type": "OmsAgentForLinux"},
        {"publisher": "Microsoft.Compute", "type": "VMAccessAgent"}]),
    "vmss-linux-ssh-keys": ({"virtualMachineProfile": {"osProfile": {"linuxConfiguration": {
        "disablePasswordAuthentication": True}}}}, [
        {"virtualMachineProfile": {"osProfile": {"linuxConfiguration": {"disablePasswordAuthentication": False}}}},
        {"virtualMachineProfile": {"osProfile": {"linuxConfiguration": {"disablePasswordAuthentication": "yes"}}}}]),
    "vm-linux-ssh-keys": ({"osProfile": {"linuxConfiguration": {"disablePasswordAuthentication": True}}}, [
        {"osProfile": {"linuxConfiguration": {"disablePasswordAuthentication": False}}},
        {"osProfile": {"linuxConfiguration": {}}},
        {"osProfile": {"adminPassword": secret(), "linuxConfiguration": {"disablePasswordAuthentication": False}},
         "storageProfile": {"osDisk": {"osType": "Linux"}}},
        {"osProfile": {"computerName": "reports-01"}, "storageProfile": {"osDisk": {"osType": "Linux"}}},
        {"osProfile": {"windowsConfiguration": {}}, "storageProfile": {"osDisk": {"osType": "Linux"}}}]),
    "app-gateway-https-listeners": ({"httpListeners": [{"protocol": "Https"}]}, [
        {"httpListeners": [{"protocol": "Https"}, {"protocol": "Http"}]}, {"httpListeners": [{}]}]),
    "vm-managed-disks": ({"storageProfile": {"osDisk": {"createOption": "FromImage"}, "dataDisks": [{"lun": 0}]}}, [
        {"storageProfile": {"osDisk": {"createOption": "FromImage", "vhd": {"uri": "https://st.blob.core.windows.net/v/os.vhd"}},
                            "dataDisks": [{"lun": 0}]}},
        {"storageProfile": {"osDisk": {"createOption": "FromImage"}, "dataDisks": [
            {"lun": 0, "vhd": {"uri": "https://st.blob.core.windows.net/v/d0.vhd"}}]}}]),
    "vm-agent-provisioned": ({"osProfile": {"computerName": "vm01", "windowsConfiguration": {
        "provisionVMAgent": True}}}, [
        {"osProfile": {"computerName": "vm01", "windowsConfiguration": {"provisionVMAgent": False}}},
        {"osProfile": {"computerName": "vm01", "linuxConfiguration": {"provisionVMAgent": "no"}}}]),
    "app-gateway-min-tls12": ({"sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101S"}}, [
        {"sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20150501"}},
        {"sslPolicy": {"policyType": "Custom", "minProtocolVersion": "TLSv1_1"}}, {}]),
    "database-logging-parameters": ({"configurationName": "log_connections", "value": "on"}, [
        {"configurationName": "log_connections", "value": "off"},
        {"configurationName": "audit_log_enabled", "value": "OFF"},
        {"configurationName": "logfiles.retention_days", "value": "2"},
        {"configurationName": "connection_throttle.enable", "value": "off"},
        {"configurationName": "audit_log_events", "value": "DDL,DCL"}]),
    "app-secrets-from-key-vault": (app_secrets(), [
        app_secrets(password="Winter2026!"), app_secrets(password=secret("V2ludGVyMjAyNiE=")),
        app_secrets(connection="Server=db;Password=Winter2026!"),
        app_secrets(connection="Endpoint=sb://bus/;SharedAccessKeyName=app;SharedAccessKey=k"),
        app_secrets(JWT_SECRET="q8Zr2vX9LmP4tW7nK1sB6yH3"),
        app_secrets(DATABASE_URL="postgres://app:Sup3rS3cretPw@psql-x.postgres.database.azure.com/db"),
        app_secrets(AUTH_TOKEN="ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
        app_secrets(NOTIFY_URL="https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX"),
        app_secrets(SMS_API_KEY="4839201938471")]),
    "keyvault-key-expiry": ({"properties": {"kty": "RSA", "attributes": {"enabled": True, "expires": 1880236800}}}, [
        {"properties": {"kty": "RSA", "attributes": {"enabled": True}}},
        {"properties": {"kty": "RSA", "attributes": {"enabled": True, "expires": "2028-12-01"}}}]),
    "database-geo-redundant-backup-in-prod": ({"backup": {"geoRedundantBackup": "Enabled"}}, [
        {"backup": {"geoRedundantBackup": "Disabled"}}, {"backup": {}}]),
    "guardrail-assignment-enforced": ({"enforcementMode": "Default", "policyDefinitionId": ALLOWED_LOCATIONS}, [
        {"enforcementMode": "DoNotEnforce", "policyDefinitionId": ALLOWED_LOCATIONS},
        {"enforcementMode": "DoNotEnforce", "policyDefinitionId": NL_BIO.replace("policySet", "policy")}]),
    "webapp-cors-no-wildcard": ({"siteConfig": {"cors": {"allowedOrigins": ["https://www.amsterdam.nl"]}}}, [
        {"siteConfig": {"cors": {"allowedOrigins": ["https://www.amsterdam.nl", "*"]}}}]),
    "custom-role-no-wildcard-actions": ({"permissions": [{"actions": ["Microsoft.Storage/*/read"]}]}, [
        {"permissions": [{"actions": ["*"], "notActions": ["Microsoft.Authorization/*/write"]}]}]),
    "no-privileged-role-assignment": ({"roleDefinitionId": READER, "principalId": "p"}, [
        {"roleDefinitionId": OWNER, "principalId": "p"},
        {"roleDefinitionId": "18D7D88D-D35E-4FB5-A5C3-7773C5A72D9A", "principalId": "p"}]),
    "avd-no-device-redirection": ({"tags": BBN2, "customRdpProperty": SAFE_RDP}, [
        {"tags": BBN2, "customRdpProperty": "enablerdsaadauth:i:1"},
        {"tags": BBN2, "customRdpProperty": SAFE_RDP.replace("redirectclipboard:i:0", "redirectclipboard:i:1")},
        {"tags": {"data-classification": "BBN3"}}]),
    "vm-custom-data-no-credentials": ({"osProfile": {"customData": CLOUD_INIT}}, [
        {"osProfile": {"customData": CLOUD_INIT_WITH_PASSWORD}},
        {"osProfile": {"customData": "-----BEGIN RSA PRIVATE KEY-----"}}]),
    "waf-managed-rules-log4j": ({"managedRules": {"managedRuleSets": [
        {"ruleSetType": "Microsoft_DefaultRuleSet", "ruleGroupOverrides": [
            {"rules": [{"ruleId": "944240", "enabledState": "Enabled"}]}]}]}}, [
        {"managedRules": {"managedRuleSets": [{"ruleSetType": "Microsoft_BotManagerRuleSet", "ruleGroupOverrides": [
            {"rules": [{"ruleId": "944240", "enabledState": "Enabled"}]}]}]}},
        {"managedRules": {"managedRuleSets": [{"ruleSetType": "Microsoft_DefaultRuleSet", "ruleGroupOverrides": [
            {"rules": [{"ruleId": "944240", "enabledState": "Disabled"}]}]}]}}, {}]),
    "aks-secrets-store-rotation": ({"addonProfiles": {"azureKeyvaultSecretsProvider": {
        "enabled": True, "config": {"enableSecretRotation": "true"}}}}, [
        {"addonProfiles": {"azureKeyvaultSecretsProvider": {"enabled": True}}},
        {"addonProfiles": {"azureKeyvaultSecretsProvider": {"enabled": True,
                                                            "config": {"enableSecretRotation": "false"}}}}]),
    "sql-threat-detection-all-alerts": ({"state": "Enabled", "disabledAlerts": []}, [
        {"state": "Enabled", "disabledAlerts": ["Sql_Injection"]},
        {"state": "Enabled", "disabledAlerts": ["Data_Exfiltration", "Unsafe_Action"]}]),
    "activity-log-security-categories": ({"logs": [{"category": c, "enabled": True} for c in
                                                   ("Administrative", "Security", "Policy", "Alert")]}, [
        {"logs": [{"category": "Administrative", "enabled": True}]},
        {"logs": [{"category": c, "enabled": c != "Security"} for c in
                  ("Administrative", "Security", "Policy", "Alert")]}]),
}
CASES = [(RULES_BY_ID[rule_id], compliant, bad) for rule_id, (compliant, bads) in FIXTURES.items() for bad in bads]


@pytest.mark.parametrize("rule_id", sorted(FIXTURES))
def test_compliant_fixture_passes_on_every_type(rule_id):
    rule = RULES_BY_ID[rule_id]
    for token in rule.applies_to:
        assert violations(rule, FIXTURES[rule_id][0], token=token) == []


@pytest.mark.parametrize("rule,compliant,bad", CASES, ids=lambda v: getattr(v, "id", ""))
def test_each_violating_fixture_is_one_violation(rule, compliant, bad):
    assert len(violations(rule, bad)) == 1


def test_ssh_and_all_ports_are_left_to_their_own_rules():
    rule = RULES_BY_ID["network-nsg-no-risky-ports-from-internet"]
    assert violations(rule, nsg_rule(destinationPortRange="22")) == []
    assert violations(rule, nsg_rule(destinationPortRange="*")) == []


def test_bastion_https_from_the_internet_over_tcp_passes_the_udp_rule():
    assert violations(RULES_BY_ID["network-nsg-no-udp-from-internet"], nsg_rule()) == []


def test_udp_inside_the_virtual_network_passes():
    rule = RULES_BY_ID["network-nsg-no-udp-from-internet"]
    assert violations(rule, nsg_rule(protocol="Udp", sourceAddressPrefix="VirtualNetwork")) == []


@pytest.mark.parametrize("environment,count", [("dev", 0), ("test", 0), ("acc", 1), ("prod", 1)])
def test_unknown_nsg_source_fails_in_acc_and_prod_only(environment, count):
    rule = RULES_BY_ID["network-nsg-no-udp-from-internet"]
    assert len(violations(rule, nsg_rule(protocol="Udp", sourceAddressPrefix=U), environment=environment)) == count


def test_flow_log_kept_forever_passes():
    assert violations(RULES_BY_ID["network-flow-log-retention"], {"retentionPolicy": {"enabled": True, "days": 0}}) == []


def test_standard_firewall_policy_has_no_idps_to_judge():
    assert violations(RULES_BY_ID["firewall-policy-idps-deny"], {"sku": {"tier": "Standard"}}) == []


def test_https_only_route_needs_no_redirect():
    rule = RULES_BY_ID["frontdoor-route-https-only"]
    assert violations(rule, {"supportedProtocols": ["Https"], "forwardingProtocol": "HttpsOnly"}) == []


@pytest.mark.parametrize("environment,count", [("dev", 0), ("prod", 1)])
def test_unknown_firewall_range_fails_in_prod_only(environment, count):
    rule = RULES_BY_ID["database-firewall-no-allow-all"]
    assert len(violations(rule, {"startIpAddress": U, "endIpAddress": U}, environment=environment)) == count


def test_bbn1_host_pool_may_redirect():
    rule = RULES_BY_ID["avd-no-device-redirection"]
    assert violations(rule, {"tags": {"data-classification": "BBN1"}}) == []


def test_all_logs_category_group_covers_the_security_categories():
    rule = RULES_BY_ID["activity-log-security-categories"]
    assert violations(rule, {"logs": [{"categoryGroup": "allLogs", "enabled": True}]}) == []


def test_bbn2_key_may_be_software_protected():
    rule = RULES_BY_ID["keyvault-key-hsm-for-bbn3"]
    assert violations(rule, {"tags": {"data-classification": "BBN2"}, "properties": {"kty": "RSA"}}) == []


def test_custom_app_gateway_policy_at_tls12_passes():
    rule = RULES_BY_ID["app-gateway-min-tls12"]
    assert violations(rule, {"sslPolicy": {"policyType": "CustomV2", "minProtocolVersion": "TLSv1_2"}}) == []


@pytest.mark.parametrize("events", ["CONNECTION", "connection,ddl,dcl", "CONNECTION_V2,ADMIN"])
def test_audit_log_events_that_include_connections_pass(events):
    rule = RULES_BY_ID["database-logging-parameters"]
    assert violations(rule, {"configurationName": "audit_log_events", "value": events}) == []


def test_other_server_parameters_are_not_judged_by_the_logging_rule():
    rule = RULES_BY_ID["database-logging-parameters"]
    assert violations(rule, {"configurationName": "work_mem", "value": "0"}) == []


@pytest.mark.parametrize("environment", ["dev", "test", "acc"])
def test_geo_redundant_backup_is_required_in_prod_only(environment):
    rule = RULES_BY_ID["database-geo-redundant-backup-in-prod"]
    assert violations(rule, {"backup": {"geoRedundantBackup": "Disabled"}}, environment=environment) == []


def test_regulatory_initiative_may_be_assigned_for_reporting_only():
    rule = RULES_BY_ID["guardrail-assignment-enforced"]
    assert violations(rule, {"enforcementMode": "DoNotEnforce", "policyDefinitionId": NL_BIO}) == []


def test_unset_enforcement_mode_is_azures_default_and_enforces():
    assert violations(RULES_BY_ID["guardrail-assignment-enforced"], {"policyDefinitionId": ALLOWED_LOCATIONS}) == []


def test_junk_role_definition_is_a_violation_not_a_crash():
    [message] = violations(RULES_BY_ID["no-privileged-role-assignment"], {"roleDefinitionId": 42})
    assert "could not be checked" not in message


def test_custom_data_of_a_scale_set_is_read_at_its_own_path():
    rule = RULES_BY_ID["vm-custom-data-no-credentials"]
    bad = {"virtualMachineProfile": {"osProfile": {"customData": CLOUD_INIT_WITH_PASSWORD}}}
    assert len(violations(rule, bad, token="azure-native:compute:VirtualMachineScaleSet")) == 1


def test_a_cluster_without_the_csi_driver_is_skipped_by_the_rotation_rule():
    assert violations(RULES_BY_ID["aks-secrets-store-rotation"], {"addonProfiles": {}}) == []


def test_an_app_gateway_waf_policy_disables_log4j_by_its_state_key():
    rule = RULES_BY_ID["waf-managed-rules-log4j"]
    policy = {"managedRules": {"managedRuleSets": [{"ruleSetType": "OWASP", "ruleSetVersion": "3.2", "ruleGroupOverrides": [
        {"ruleGroupName": "REQUEST-944-APPLICATION-ATTACK-JAVA", "rules": [{"ruleId": "944250", "state": "Disabled"}]}]}]}}
    assert len(violations(rule, policy, token="azure-native:network:WebApplicationFirewallPolicy")) == 1


def test_a_vm_without_an_agent_setting_gets_azures_default_agent():
    assert violations(RULES_BY_ID["vm-agent-provisioned"], {"osProfile": {"computerName": "vm01"}}) == []


def test_a_vm_on_an_attached_os_disk_is_skipped_not_passed_by_the_agent_rule():
    from amsterdam_cloud.policies.rule_model import Resource, judge
    from amsterdam_cloud.policies.settings import Settings

    vm = Resource(urn="urn:pulumi:prod::p::azure-native:compute:VirtualMachine::vm", type="azure-native:compute:"
                  "VirtualMachine", props={"storageProfile": {"osDisk": {"createOption": "Attach"}}})
    reporter = judge(RULES_BY_ID["vm-agent-provisioned"], vm, Settings.from_properties({"environment": "prod"}))
    assert reporter.violations == [] and len(reporter.skipped) == 1


def test_the_extension_allowlist_is_what_the_components_install():
    """The allowlist and the components' extensions are one set: a component adding one must say so here."""
    import inspect
    import re

    from amsterdam_cloud.components.compute.virtual_machine import AGENTS
    from amsterdam_cloud.components.workplace import session_hosts
    from amsterdam_cloud.policies.rules.compute.vm_extension_allowlist import ALLOWED

    installed = {(publisher.lower(), kind.lower()) for agents in AGENTS.values() for _, publisher, kind, _ in agents}
    installed |= {(publisher.lower(), kind.lower()) for publisher, kind in re.findall(
        r'publisher="([^"]+)", type="([^"]+)"', inspect.getsource(session_hosts))}
    assert installed <= ALLOWED and ALLOWED - installed == {("microsoft.azure.activedirectory", "aadsshloginforlinux")}


def test_a_scale_set_with_an_extension_off_the_allowlist_is_a_violation():
    scale_set = {"virtualMachineProfile": {"extensionProfile": {"extensions": [
        {"name": "ama", "publisher": "Microsoft.Azure.Monitor", "type": "AzureMonitorLinuxAgent"},
        {"name": "access", "publisher": "Microsoft.OSTCExtensions", "type": "VMAccessForLinux"}]}}}
    [message] = violations(RULES_BY_ID["vm-extension-allowlist"], scale_set,
                           token="azure-native:compute:VirtualMachineScaleSet")
    assert message.startswith("virtualMachineProfile.extensionProfile.extensions[1]: extension")


def test_a_windows_scale_set_is_skipped_by_the_ssh_key_rule():
    windows = {"virtualMachineProfile": {"osProfile": {"windowsConfiguration": {"provisionVMAgent": True}}}}
    assert violations(RULES_BY_ID["vmss-linux-ssh-keys"], windows) == []


def test_a_windows_vm_and_a_vm_on_an_attached_disk_are_skipped_by_the_ssh_key_rule():
    rule = RULES_BY_ID["vm-linux-ssh-keys"]
    assert violations(rule, {"osProfile": {"windowsConfiguration": {"provisionVMAgent": True}}}) == []
    assert violations(rule, {"osProfile": {"adminPassword": secret()},
                             "storageProfile": {"osDisk": {"osType": "Windows"}}}) == []
    assert violations(rule, {"storageProfile": {"osDisk": {"createOption": "Attach"}}}) == []


@pytest.mark.parametrize("environment,found", [("dev", 0), ("prod", 1)])
def test_a_vm_that_names_no_operating_system_is_unknown_not_failed_as_linux(environment, found):
    messages = violations(RULES_BY_ID["vm-linux-ssh-keys"], {"osProfile": {"computerName": "reports-01"}},
                          environment=environment)
    assert len(messages) == found and all("operating system" in m for m in messages)
