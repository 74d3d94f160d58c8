"""Generate a large stack export and the equivalent ARM template, for the policy-check benchmark.

    python benchmarks/policy_check_generate.py --resources 10000 --out-dir out/bench

writes `stack-export.json` (the shape of `pulumi stack export`, what `cityctl policy check` reads) and
`template.json` (an ARM deployment template with the same resources and settings, what Checkov scans). The mix
is a landing zone's worth of app spokes: each unit has a resource group, network security group with rules,
subnet, NIC, VM, storage, key vault, web app, SQL server and database, Cosmos DB, public IP, diagnostic
settings and locks; about a third of the units are deliberately non-compliant.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amsterdam_cloud.core.export_format import UNKNOWN_VALUE  # noqa: E402
from tests.policies.rule_fixtures import city_tags, export_of, resource  # noqa: E402
from amsterdam_cloud.scripts.offline.azure_mocks import provider_outputs  # noqa: E402

STACK = "prod"
SUB = "00000004-0000-4000-8000-000000000004"

# azure-native token -> (ARM type, API version, inputs that stay at the top level of an ARM resource)
ARM = {
    "azure-native:resources:ResourceGroup": ("Microsoft.Resources/resourceGroups", "2024-03-01"),
    "azure-native:network:NetworkSecurityGroup": ("Microsoft.Network/networkSecurityGroups", "2024-05-01"),
    "azure-native:network:Subnet": ("Microsoft.Network/virtualNetworks/subnets", "2024-05-01"),
    "azure-native:network:NetworkInterface": ("Microsoft.Network/networkInterfaces", "2024-05-01"),
    "azure-native:network:PublicIPAddress": ("Microsoft.Network/publicIPAddresses", "2024-05-01"),
    "azure-native:compute:VirtualMachine": ("Microsoft.Compute/virtualMachines", "2024-11-01"),
    "azure-native:storage:StorageAccount": ("Microsoft.Storage/storageAccounts", "2024-01-01"),
    "azure-native:keyvault:Vault": ("Microsoft.KeyVault/vaults", "2024-11-01"),
    "azure-native:web:WebApp": ("Microsoft.Web/sites", "2024-04-01"),
    "azure-native:sql:Server": ("Microsoft.Sql/servers", "2023-08-01"),
    "azure-native:sql:Database": ("Microsoft.Sql/servers/databases", "2023-08-01"),
    "azure-native:cosmosdb:DatabaseAccount": ("Microsoft.DocumentDB/databaseAccounts", "2025-10-15"),
    "azure-native:monitor:DiagnosticSetting": ("Microsoft.Insights/diagnosticSettings", "2021-05-01-preview"),
    "azure-native:authorization:ManagementLockByScope": ("Microsoft.Authorization/locks", "2020-05-01"),
    "azure-native:operationalinsights:Workspace": ("Microsoft.OperationalInsights/workspaces", "2023-09-01"),
}
TOP_LEVEL = {"location", "tags", "sku", "kind", "identity", "zones"}
ARM_NAMES = {"enableHttpsTrafficOnly": "supportsHttpsTrafficOnly", "networkRuleSet": "networkAcls"}
NAME_KEYS = ("resourceGroupName", "networkSecurityGroupName", "subnetName", "networkInterfaceName",
             "publicIpAddressName", "vmName", "accountName", "vaultName", "name", "serverName", "databaseName",
             "workspaceName", "lockName")


def unit(i: int, workspace_urn: str) -> list[dict[str, Any]]:
    """One app spoke's resources (19); every third unit breaks rules the way real mistakes do."""
    bad = i % 3 == 0
    location = "uksouth" if i % 29 == 0 else "westeurope"
    tags = city_tags(STACK, application=f"app{i:04d}")
    rg = f"rg-app{i:04d}"
    out: list[dict[str, Any]] = []

    def add(token: str, name: str, inputs: dict, **options: Any) -> dict:
        entry = resource(token, f"app{i:04d}-{name}", inputs, stack=STACK, outputs=provider_outputs(token, inputs),
                         **options)  # outputs as azure-native returns them in a preview: ids not known yet
        out.append(entry)
        return entry

    add("azure-native:resources:ResourceGroup", "rg", {"resourceGroupName": rg, "location": location, "tags": tags})
    nsg = add("azure-native:network:NetworkSecurityGroup", "nsg", {
        "resourceGroupName": rg, "networkSecurityGroupName": f"nsg-app{i:04d}", "location": location, "tags": tags,
        "securityRules": [
            {"name": "https-from-gateway", "priority": 100, "direction": "Inbound", "access": "Allow",
             "protocol": "Tcp", "sourceAddressPrefix": "10.40.1.0/24", "sourcePortRange": "*",
             "destinationAddressPrefix": "*", "destinationPortRange": "443"},
            {"name": "ssh", "priority": 200, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
             "sourceAddressPrefix": "*" if bad else "10.40.2.0/26", "sourcePortRange": "*",
             "destinationAddressPrefix": "*", "destinationPortRange": "22"},
        ]})
    add("azure-native:network:Subnet", "subnet", {
        "resourceGroupName": rg, "virtualNetworkName": "vnet-apps", "subnetName": f"snet-app{i:04d}",
        "addressPrefix": f"10.{40 + i // 256}.{i % 256}.0/24",
        **({} if bad else {"networkSecurityGroup": {"id": UNKNOWN_VALUE}})})
    add("azure-native:network:NetworkInterface", "nic", {
        "resourceGroupName": rg, "networkInterfaceName": f"nic-app{i:04d}", "location": location, "tags": tags,
        "enableIPForwarding": bad, "ipConfigurations": [{"name": "ipconfig1", "subnet": {"id": UNKNOWN_VALUE},
                                                         "privateIPAllocationMethod": "Dynamic"}]})
    add("azure-native:network:PublicIPAddress", "pip", {
        "resourceGroupName": rg, "publicIpAddressName": f"pip-app{i:04d}", "location": location, "tags": tags,
        "sku": {"name": "Standard"}, "publicIPAllocationMethod": "Static"})
    add("azure-native:compute:VirtualMachine", "vm", {
        "resourceGroupName": rg, "vmName": f"vm-app{i:04d}", "location": location, "tags": tags,
        "hardwareProfile": {"vmSize": "Standard_D2s_v5"},
        "securityProfile": {"securityType": "Standard"} if bad else {
            "securityType": "TrustedLaunch", "encryptionAtHost": True,
            "uefiSettings": {"secureBootEnabled": True, "vTpmEnabled": True}},
        "storageProfile": {"osDisk": {"createOption": "FromImage", "managedDisk": {"storageAccountType": "Premium_LRS"}},
                           "imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts",
                                              "sku": "server", "version": "latest"}},
        "osProfile": {"computerName": f"vm{i:04d}", "adminUsername": "azureuser",
                      "linuxConfiguration": {"disablePasswordAuthentication": True}},
        "networkProfile": {"networkInterfaces": [{"id": UNKNOWN_VALUE}]}})
    storage = add("azure-native:storage:StorageAccount", "st", {
        "resourceGroupName": rg, "accountName": f"stapp{i:04d}", "location": location, "tags": tags,
        "kind": "StorageV2", "sku": {"name": "Standard_ZRS"}, "enableHttpsTrafficOnly": True,
        "minimumTlsVersion": "TLS1_0" if bad else "TLS1_2", "allowBlobPublicAccess": bad,
        "allowSharedKeyAccess": bad, "publicNetworkAccess": "Enabled" if bad else "Disabled",
        "networkRuleSet": {"defaultAction": "Allow" if bad else "Deny"}}, protect=not bad)
    vault = add("azure-native:keyvault:Vault", "kv", {
        "resourceGroupName": rg, "vaultName": f"kv-app{i:04d}", "location": location, "tags": tags,
        "properties": {"tenantId": "9a1b2c3d-0000-4000-8000-000000000001", "sku": {"family": "A", "name": "standard"},
                       "enablePurgeProtection": not bad, "enableRbacAuthorization": True,
                       "publicNetworkAccess": "Enabled" if bad else "Disabled",
                       "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}}, protect=True)
    add("azure-native:web:WebApp", "app", {
        "resourceGroupName": rg, "name": f"app-{i:04d}", "location": location, "tags": tags, "httpsOnly": not bad,
        "publicNetworkAccess": "Disabled", "identity": {"type": "SystemAssigned"},
        "siteConfig": {"minTlsVersion": "1.0" if bad else "1.2", "ftpsState": "AllAllowed" if bad else "Disabled",
                       "remoteDebuggingEnabled": False, "http20Enabled": True}})
    sql = add("azure-native:sql:Server", "sql", {
        "resourceGroupName": rg, "serverName": f"sql-app{i:04d}", "location": location, "tags": tags,
        "minimalTlsVersion": "1.0" if bad else "1.2", "publicNetworkAccess": "Disabled", "version": "12.0",
        "administrators": {"azureADOnlyAuthentication": True, "login": "sql-admins", "sid": UNKNOWN_VALUE,
                           "administratorType": "ActiveDirectory"}}, protect=True)
    add("azure-native:sql:Database", "db", {
        "resourceGroupName": rg, "serverName": f"sql-app{i:04d}", "databaseName": "main", "location": location,
        "tags": tags, "sku": {"name": "GP_S_Gen5", "tier": "GeneralPurpose"}}, protect=True)
    cosmos = add("azure-native:cosmosdb:DatabaseAccount", "cosmos", {
        "resourceGroupName": rg, "accountName": f"cosmos-app{i:04d}", "location": location, "tags": tags,
        "databaseAccountOfferType": "Standard", "disableLocalAuth": not bad, "publicNetworkAccess": "Disabled",
        "locations": [{"locationName": location, "failoverPriority": 0},
                      {"locationName": "switzerlandnorth" if bad else "northeurope", "failoverPriority": 1}]},
        protect=True)
    for target, name in ((storage, "st"), (vault, "kv"), (sql, "sql"), (cosmos, "cosmos"), (nsg, "nsg")):
        add("azure-native:monitor:DiagnosticSetting", f"{name}-diag", {
            "resourceUri": UNKNOWN_VALUE, "workspaceId": UNKNOWN_VALUE, "name": "to-city-workspace",
            "logs": [{"categoryGroup": "allLogs", "enabled": True}], "metrics": [{"category": "AllMetrics",
                                                                                "enabled": True}]},
            property_dependencies={"resourceUri": [target["urn"]], "workspaceId": [workspace_urn]})
    for target, name in ((storage, "st"), (vault, "kv"), (cosmos, "cosmos")):
        if not bad:
            add("azure-native:authorization:ManagementLockByScope", f"{name}-lock", {
                "scope": UNKNOWN_VALUE, "level": "CanNotDelete", "notes": "Stateful: do not delete"},
                property_dependencies={"scope": [target["urn"]]})
    return out


def build(count: int) -> tuple[dict, dict]:
    workspace = resource("azure-native:operationalinsights:Workspace", "law", {
        "resourceGroupName": "rg-management", "workspaceName": "log-city-prod", "location": "westeurope",
        "tags": city_tags(STACK), "retentionInDays": 365, "sku": {"name": "PerGB2018"}}, stack=STACK)
    resources = [workspace]
    i = 0
    while len(resources) < count:
        resources += unit(i, workspace["urn"])
        i += 1
    resources = resources[:count]
    return export_of(*resources, stack=STACK), arm_template(resources)


def arm_template(resources: list[dict]) -> dict:
    """The same resources as an ARM template (what Checkov scans for Azure), properties under `properties`."""
    arm = []
    for entry in resources:
        token = entry["type"]
        arm_type, api = ARM[token]
        inputs = {k: v for k, v in entry["inputs"].items() if v != UNKNOWN_VALUE}
        name = next((inputs[k] for k in NAME_KEYS if isinstance(inputs.get(k), str)), entry["urn"].rsplit("::", 1)[-1])
        item: dict[str, Any] = {"type": arm_type, "apiVersion": api, "name": name}
        props: dict[str, Any] = {}
        for key, value in inputs.items():
            if key in TOP_LEVEL:
                item[key] = value
            elif key in NAME_KEYS or key == "virtualNetworkName":
                continue
            elif token == "azure-native:keyvault:Vault" and key == "properties":
                props.update(value)
            else:
                props[ARM_NAMES.get(key, key)] = value
        if token == "azure-native:network:NetworkSecurityGroup":
            props["securityRules"] = [{"name": r["name"], "properties": {k: v for k, v in r.items() if k != "name"}}
                                      for r in props.get("securityRules", [])]
        item["properties"] = props
        arm.append(item)
    return {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "resources": arm}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=10000)
    parser.add_argument("--out-dir", type=Path, default=Path("out/bench"))
    args = parser.parse_args()
    export, template = build(args.resources)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "stack-export.json").write_text(json.dumps(export))
    (args.out_dir / "template.json").write_text(json.dumps(template))
    print(f"{args.out_dir}: stack-export.json and template.json with {args.resources} resources", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
