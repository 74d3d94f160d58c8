"""App secrets are Key Vault references, never values in the app's configuration (CIS 9.10).

A web or function app's setting or connection string that holds a credential must be a Key Vault reference
(`@Microsoft.KeyVault(SecretUri=...)` or `@Microsoft.KeyVault(VaultName=...;SecretName=...)`): the site's
configuration is readable by everyone who may list its settings, the vault keeps access, versions and audit in one
place. A setting holds a credential when its value is a Pulumi secret, carries one (a URL with a password, a webhook
URL, a signature in a query: `core.secrets.is_credential_url`; a connection string's `Password=`, `AccountKey=`,
`SharedAccessKey=`; a private key) or its name says so (`core.secrets.is_secret_name`, the one classifier the
migration and the app config use: JWT_SECRET, AUTH_TOKEN, SLACK_WEBHOOK, DB_PASSWORD...), unless its value is a
switch (true, false, a number of up to 5 digits), a URL without a credential in it (`KEY_VAULT_URI`) or the kind of an
identity-based connection (`<connection>__credential: managedidentity`); Application Insights' two settings hold
identifiers (`IDENTIFIER_SETTINGS`). A Container App's secret must name its `keyVaultUrl` instead of carrying a
`value`. What it cannot see: a credential under an innocent name whose value does not look like one (a
review's job; the value's entropy alone also flags client ids, so it is not used).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from amsterdam_cloud.core.secrets import is_credential_url, is_secret_name
from amsterdam_cloud.policies.rule_model import SECRET, UNKNOWN, Report, Resource, Rule, SecretText, Severity, \
    as_list, unwrap

KEY_VAULT_REFERENCE = "@microsoft.keyvault("
CREDENTIAL_VALUE = re.compile(r"(password|pwd|accountkey|sharedaccesskey|sharedaccesssignature|client_?secret)\s*=|"
                              r"\bsig=|-----begin [a-z ]*private key-----", re.IGNORECASE)
NOT_A_CREDENTIAL = re.compile(r"^(true|false|[0-9]{1,5}|managedidentity)$", re.IGNORECASE)
"""Values a credential-named setting may hold that are no credential: a switch, a short number (a port, a timeout;
a longer one may be a numeric key or PIN), or the kind of an identity-based connection
(`AzureWebJobsStorage__credential: managedidentity`)."""
IDENTIFIER_SETTINGS = ("APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING")
"""Application Insights' settings: its connection string (instrumentation key and endpoints, which Microsoft says
is no security token; the component turns local auth off, so ingestion needs Entra ID) and its authentication
string (`Authorization=AAD;ClientId=<the identity>`). Their names are no sign of a credential; their values are
still judged."""
SITE_TYPES = ("azure-native:web:WebApp", "azure-native:web:WebAppSlot")
SETTINGS_TYPES = ("azure-native:web:WebAppApplicationSettings", "azure-native:web:WebAppApplicationSettingsSlot")
CONTAINER_APP = "azure-native:app:ContainerApp"
CONNECTION_STRING = "connection string"
FIX = "store it as a Key Vault secret and set @Microsoft.KeyVault(SecretUri=...) (the app's identity reads it)"


def _credential_name(name: Any) -> bool:
    return isinstance(name, str) and is_secret_name(name) and name.upper() not in IDENTIFIER_SETTINGS


def _judge(where: str, name: Any, value: Any, report: Report) -> None:
    """One setting: a credential in it must be a Key Vault reference."""
    value = unwrap(value)
    if value is UNKNOWN:  # a connection string may always hold one; a setting when its name says so
        if where == CONNECTION_STRING or _credential_name(name):
            report.unknown(f"{where} {name}", FIX)
        return
    if isinstance(value, str) and value.strip().lower().startswith(KEY_VAULT_REFERENCE):
        return
    if value is SECRET or isinstance(value, SecretText):
        report(f"{where} {name} holds a secret value in the app's configuration; {FIX}")
    elif isinstance(value, str) and (is_credential_url(value) or CREDENTIAL_VALUE.search(value)):
        report(f"{where} {name} holds what looks like a credential; {FIX}")
    elif (_credential_name(name) and value not in (None, "") and not NOT_A_CREDENTIAL.match(str(value).strip())
          and "://" not in str(value)):  # a URL's credential shows in the URL (is_credential_url, above)
        report(f"{where} {name} is named as a credential but is no Key Vault reference; {FIX}")


def _pairs(items: Any, key: str) -> Iterable[tuple[Any, Any]]:
    """(name, value) of a list of `{name, <key>}` objects; an unknown list is one unknown pair."""
    listed = as_list(items)
    if listed is UNKNOWN:
        yield "(the list)", UNKNOWN
        return
    for item in listed:
        if isinstance(item, dict):
            yield unwrap(item.get("name")), item.get(key)


def check(resource: Resource, report: Report, settings: Any) -> None:
    if resource.type in SITE_TYPES:
        for name, value in _pairs(resource.get("siteConfig.appSettings"), "value"):
            _judge("app setting", name, value, report)
        for name, value in _pairs(resource.get("siteConfig.connectionStrings"), "connectionString"):
            _judge(CONNECTION_STRING, name, value, report)
    elif resource.type in SETTINGS_TYPES:
        properties = unwrap(resource.get("properties"))
        if properties is UNKNOWN:
            report.unknown("properties (the app settings)", FIX)
        elif isinstance(properties, dict):
            for name, value in properties.items():
                _judge("app setting", name, value, report)
    else:
        for name, value in _pairs(resource.get("configuration.secrets"), "value"):
            if value is not None and unwrap(value) is not UNKNOWN:
                report(f"secret {name} carries its value in the app; name the Key Vault secret in keyVaultUrl (with "
                       "the identity that reads it) instead")
            elif value is not None or name == "(the list)":
                report.unknown(f"secret {name}", "name the Key Vault secret in keyVaultUrl instead of a value")


RULE = Rule(
    id="app-secrets-from-key-vault",
    title="App Service and Container Apps read secrets from Key Vault",
    severity=Severity.HIGH,
    controls=("BIO 9.2.4", "BIO 10.1.2", "CIS 9.10"),
    remediation="Keep credentials in Key Vault: app settings as @Microsoft.KeyVault(...) references, Container Apps "
                "secrets with keyVaultUrl and an identity (the components' `secrets` do this).",
    check=check,
    applies_to=(*SITE_TYPES, *SETTINGS_TYPES, CONTAINER_APP),
    defaults_source="Use Key Vault references as app settings (learn.microsoft.com/azure/app-service/"
                    "app-service-key-vault-references); Container Apps secrets (manage-secrets: keyVaultUrl)",
)
