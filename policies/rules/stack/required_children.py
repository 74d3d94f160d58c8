"""A parent whose security setting lives in a child resource must have that child: Azure's default without it is off.

The value rules (`sql-auditing-enabled`, `webapp-ftp-basic-auth-disabled`, `storage-blob-soft-delete`...) judge
the child when it exists; these stack rules fail the parent that has none (Checkov fails CKV_AZURE_23 the same way).
A child points at its parent through the property dependency of its parent input, else through its own ARM id
(`{parent id}/auditingSettings/default`, `{site id}/basicPublishingCredentialsPolicies/ftp`: two segments down).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from amsterdam_cloud.policies.rule_model import Resource, Severity, StackReport, StackRule, equals_ci, of_types
from amsterdam_cloud.policies.rules.stack.links import child_parents, index


@dataclass(frozen=True, kw_only=True)
class ChildPair:
    """One parent type and the child resource types that carry its setting."""

    parents: dict[str, tuple[str, str]]
    """Parent type -> (child type, the child's input naming that parent)."""
    child_text: str
    """What the parent lacks, as the finding says it (`no ServerBlobAuditingPolicy`)."""
    exempt: Callable[[Resource], str | None] | None = None
    """Why a parent needs no such child (a skip with that reason), or None when it does; None: every parent does."""


def _check_for(pair: ChildPair):
    """The stack check: every parent of `pair.parents` has a child of its type pointing at it."""

    def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
        by_urn, by_arm_id = index(resources)
        child_types = {child: parent_input for child, parent_input in pair.parents.values()}
        have: set[str] = set()
        unresolved = 0  # children whose parent is not known until deployment
        for child in of_types(resources, child_types):
            parents = child_parents(child, child_types[child.type], by_urn, by_arm_id)
            if parents:
                have.update(parent.urn for parent in parents)
            else:
                unresolved += 1
        for parent in of_types(resources, pair.parents):
            if parent.urn in have:
                continue
            reason = pair.exempt(parent) if pair.exempt else None
            if reason:
                report.skip(reason, parent.urn)
                continue
            if unresolved:
                report.unknown(f"which parent each {pair.child_text} belongs to",
                               f"give {pair.parents[parent.type][0].split(':')[-1]} a {pair.parents[parent.type][1]} "
                               "from the parent's outputs", parent.urn)
            else:
                report(f"has no {pair.child_text}; Azure leaves the setting off without it", parent.urn)

    return check


def _no_blob_endpoint(account: Resource) -> str | None:
    """A FileStorage account serves Azure Files only: it has no blob endpoint, so no blob service to protect."""
    if equals_ci(account.get("kind"), "FileStorage"):
        return "a FileStorage account has no blob endpoint (Azure Files only), so it has no blob service"
    return None


SQL = "azure-native:sql:Server"
ACCOUNT = "azure-native:storage:StorageAccount"
WEB_APP, WEB_SLOT = "azure-native:web:WebApp", "azure-native:web:WebAppSlot"

RULES = (
    StackRule(
        id="sql-server-has-auditing-policy", title="Every Azure SQL server has a server auditing policy",
        severity=Severity.HIGH, controls=("BIO 12.4.1", "BIO 12.4.3", "CIS 4.1.1"),
        remediation="Add a sql.ServerBlobAuditingPolicy (state='Enabled', retentionDays>=90, to the city's Log "
                    "Analytics workspace) with server_name=server.name.",
        check=_check_for(ChildPair(parents={SQL: ("azure-native:sql:ServerBlobAuditingPolicy", "serverName")},
                                   child_text="ServerBlobAuditingPolicy")),
        applies_to=(SQL,),
        defaults_source="Auditing for Azure SQL Database (learn.microsoft.com/azure/azure-sql/database/"
                        "auditing-overview): a server without an auditing policy does not audit; CIS 4.1.1 "
                        "'By default, Auditing is disabled'"),
    StackRule(
        id="sql-server-has-alert-policy", title="Every Azure SQL server has a security alert policy",
        severity=Severity.MEDIUM, controls=("BIO 12.2.1", "BIO 12.6.1"),
        remediation="Add a sql.ServerSecurityAlertPolicy (state='Enabled', no disabled_alerts) with "
                    "server_name=server.name.",
        check=_check_for(ChildPair(parents={SQL: ("azure-native:sql:ServerSecurityAlertPolicy", "serverName")},
                                   child_text="ServerSecurityAlertPolicy")),
        applies_to=(SQL,),
        defaults_source="sql ServerSecurityAlertPolicy, API 2023-08-01: a new server's policy state is Disabled "
                        "unless Microsoft Defender for SQL is enabled"),
    StackRule(
        id="webapp-has-ftp-basic-auth-policy", title="Every web and function app declares its FTP basic-auth policy",
        severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.2.4", "CIS 9.9"),
        remediation="Add a web.WebAppFtpAllowed (allow=False) with name=site.name (WebAppFtpAllowedSlot for a slot).",
        check=_check_for(ChildPair(parents={WEB_APP: ("azure-native:web:WebAppFtpAllowed", "name"),
                                            WEB_SLOT: ("azure-native:web:WebAppFtpAllowedSlot", "slot")},
                                   child_text="WebAppFtpAllowed (FTP basic-auth policy)")),
        applies_to=(WEB_APP, WEB_SLOT),
        defaults_source="Disable basic authentication in App Service deployments (learn.microsoft.com/azure/"
                        "app-service/configure-basic-auth-disable): an app created through ARM allows basic "
                        "publishing credentials (basicPublishingCredentialsPolicies/ftp allow: true)"),
    StackRule(
        id="webapp-has-scm-basic-auth-policy", title="Every web and function app declares its SCM basic-auth policy",
        severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.2.4"),
        remediation="Add a web.WebAppScmAllowed (allow=False) with name=site.name (WebAppScmAllowedSlot for a slot).",
        check=_check_for(ChildPair(parents={WEB_APP: ("azure-native:web:WebAppScmAllowed", "name"),
                                            WEB_SLOT: ("azure-native:web:WebAppScmAllowedSlot", "slot")},
                                   child_text="WebAppScmAllowed (SCM basic-auth policy)")),
        applies_to=(WEB_APP, WEB_SLOT),
        defaults_source="Disable basic authentication in App Service deployments (learn.microsoft.com/azure/"
                        "app-service/configure-basic-auth-disable): an app created through ARM allows basic "
                        "publishing credentials (basicPublishingCredentialsPolicies/scm allow: true)"),
    StackRule(
        id="storage-account-has-blob-service", title="Every storage account with a blob endpoint declares its blob "
                                                     "service (soft delete)",
        severity=Severity.MEDIUM, controls=("BIO 10.1.2", "CIS 3.11"),
        remediation="Add a storage.BlobServiceProperties (blob_services_name='default', delete_retention_policy "
                    "enabled with days>=7) with account_name=account.name; a FileStorage account has no blob "
                    "endpoint and is skipped.",
        check=_check_for(ChildPair(parents={ACCOUNT: ("azure-native:storage:BlobServiceProperties", "accountName")},
                                   child_text="BlobServiceProperties (blob soft delete)", exempt=_no_blob_endpoint)),
        applies_to=(ACCOUNT,),
        defaults_source="storage BlobServiceProperties, API 2024-01-01: deleteRetentionPolicy unset is off, and an "
                        "account created through ARM without a blobServices/default resource keeps it off (the "
                        "portal's 7-day default is the portal's); CIS 3.11 asks 7 to 365 days"),
)
