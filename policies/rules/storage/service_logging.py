"""Each blob, queue and table service of a storage account sends its reads, writes and deletes to the city's workspace
(CIS 3.13, 3.5, 3.14).

A storage account's own scope has metrics only: its resource logs (StorageRead, StorageWrite, StorageDelete) are
its services', each a diagnostic setting of its own on `{account}/{blob|queue|table}Services/default`. Which
services an account has follows from its kind (`core/storage_logging.py`; a FileStorage account has none of the
three and is skipped with that reason). A setting is placed by its ARM id (or a known `resourceUri`); a new one whose
scope is not known yet (a new one in a real preview) counts for one missing service of the account its property
dependency names, as the dependency of every extension resource does: which service it logs shows once deployed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Sequence

from amsterdam_cloud.core.storage_logging import LOGGED_SERVICES, logged_services, service_scope
from amsterdam_cloud.policies.rule_model import UNKNOWN, Resource, Severity, StackReport, StackRule
from amsterdam_cloud.policies.rules.stack.diagnostic_settings import (DIAGNOSTIC_SETTING, UNKNOWN_PREFIX,
                                                                      enables_every, report_problems,
                                                                      setting_problem)
from amsterdam_cloud.policies.rules.stack.links import extension_scope, index

ACCOUNT = "azure-native:storage:StorageAccount"
CATEGORIES = frozenset({"storageread", "storagewrite", "storagedelete"})
SERVICE_SCOPES = tuple(service_scope("", service).lower() for service in LOGGED_SERVICES)
"""The ends of the scopes this rule judges (`/queueservices/default`)."""
FIX = ("send the service's logs (categoryGroup allLogs) to the city's workspace with a monitor.DiagnosticSetting whose "
       "resource_uri is '{account}/{service}Services/default' (components: create_storage_service_diagnostics)")


def _scope(setting: Resource) -> str | None:
    """The lower-cased ARM id the setting applies to: cut from its id, else its known resourceUri; None if unknown."""
    scope = extension_scope(setting, "Microsoft.Insights")
    if scope is None:
        uri = setting.get("resourceUri")
        scope = uri.lower().rstrip("/") if isinstance(uri, str) and uri is not UNKNOWN else None
    return scope


def _problem(setting: Resource, by_urn: Mapping[str, Resource], by_id: Mapping[str, Resource],
             settings: Any) -> str:
    """"" when the setting sends every read, write and delete to the city's workspace; else what is wrong (starting
    with UNKNOWN_PREFIX when only an unknown value stands in the way)."""
    problem = setting_problem(setting, by_urn, by_id, settings)
    if problem:
        return problem
    every = enables_every(setting, CATEGORIES)
    if every is UNKNOWN:
        return f"{UNKNOWN_PREFIX}the log categories of diagnostic setting {setting.name}"
    return "" if every else (f"diagnostic setting {setting.name} sends neither allLogs nor each of StorageRead, "
                             "StorageWrite and StorageDelete")


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    by_urn, by_id = index(resources)
    at_scope: dict[str, list[str]] = {}   # service scope -> problems of its settings ("" for a good one)
    unplaced: dict[str, list[str]] = {}   # account URN -> problems of its settings whose scope is not known yet
    for setting in resources:
        if setting.type != DIAGNOSTIC_SETTING:
            continue
        scope = _scope(setting)
        if scope is not None:
            if scope.endswith(SERVICE_SCOPES):  # only settings on a storage service concern this rule
                at_scope.setdefault(scope, []).append(_problem(setting, by_urn, by_id, settings))
            continue
        for urn in setting.property_dependencies.get("resourceUri", ()):
            if urn in by_urn and by_urn[urn].type == ACCOUNT:
                unplaced.setdefault(urn, []).append(_problem(setting, by_urn, by_id, settings))
    for account in resources:
        if account.type != ACCOUNT:
            continue
        kind = account.get("kind")
        # an unknown kind may be FileStorage (nothing to log); a missing or undocumented one is held to all three
        known = logged_services(kind) if isinstance(kind, str) and kind is not UNKNOWN else None
        services = None if kind is UNKNOWN else known if known is not None else tuple(LOGGED_SERVICES)
        if services == ():
            report.skip(f"a {kind} account has no blob, queue or table service to log", account.urn)
            continue
        missing = []   # (service, problems of the settings at its scope)
        for service in services if services is not None else tuple(LOGGED_SERVICES):
            problems = at_scope.get(service_scope(account.id, service).lower(), []) if account.id else []
            if not problems or all(problems):
                missing.append((service, problems))
        # Settings of this account whose scope Azure has not named yet (new ones in a real preview): the dependency
        # is a known relation, as for every extension resource; which service each one logs shows once deployed.
        pending = unplaced.get(account.urn, [])
        good, maybe = pending.count(""), sum(p.startswith(UNKNOWN_PREFIX) for p in pending)
        for index_, (service, problems) in enumerate(missing):
            fix = FIX.replace("{service}", service)
            cis = LOGGED_SERVICES[service]
            if index_ < good:
                continue
            if index_ < good + maybe or (not problems and services is None):
                what = ("the workspace or logs of a new diagnostic setting of the account" if index_ < good + maybe
                        else "the kind of the account")
                report.unknown(f"{what} (whether its {service} service logs, {cis})", fix, account.urn)
            elif problems:
                report_problems(report, [f"{p} (its {service} service)" for p in problems], fix, account.urn)
            else:
                report(f"its {service} service sends its reads, writes and deletes nowhere (no diagnostic setting "
                       f"on {service}Services/default; {cis}); {fix}", account.urn)


RULE = StackRule(
    id="storage-service-logging",
    title="Storage accounts' blob, queue and table services log reads, writes and deletes to the city's workspace",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.3", *LOGGED_SERVICES.values()),
    remediation="Add a DiagnosticSetting (allLogs) on each blobServices/queueServices/tableServices 'default' of "
                "the account, to the central workspace (components/interfaces.py create_storage_service_diagnostics).",
    check=check,
    applies_to=(ACCOUNT, DIAGNOSTIC_SETTING),
    settings=("logAnalyticsWorkspaceIds",),
    defaults_source="monitor DiagnosticSetting, API 2021-05-01-preview: a storage service sends no resource logs "
                    "without a diagnostic setting of its own (learn.microsoft.com/azure/storage/blobs/"
                    "monitor-blob-storage)",
)
