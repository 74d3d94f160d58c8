"""Every PostgreSQL and MySQL flexible server declares the logging parameters CIS asks for: without the
Configuration a server keeps Azure's default, which leaves them off (PostgreSQL's log_disconnections and connection
throttling, 3 days of server logs; MySQL's audit log).

`database-logging-parameters` judges each Configuration's value; this rule fails the server that lacks one (Azure
Policy's "Connection throttling should be enabled for PostgreSQL flexible servers" is the same AuditIfNotExists).
A Configuration points at its server by the property dependency of its `serverName` input, else by its own ARM id
(`{server id}/configurations/{parameter}`); the parameter is its `name` output (the input `configurationName`).
"""

from __future__ import annotations

from typing import Any, Sequence

from amsterdam_cloud.policies.rule_model import UNKNOWN, Resource, Severity, StackReport, StackRule
from amsterdam_cloud.policies.rules.stack.links import child_parents, index

POSTGRES, MYSQL = "azure-native:dbforpostgresql:Server", "azure-native:dbformysql:Server"
CONFIGURATIONS = ("azure-native:dbforpostgresql:Configuration", "azure-native:dbformysql:Configuration")
REQUIRED = {
    POSTGRES: ("log_checkpoints", "log_connections", "log_disconnections", "connection_throttle.enable",
               "logfiles.retention_days"),
    MYSQL: ("audit_log_enabled", "audit_log_events"),
}
"""The parameters each server type must declare (their values: `database-logging-parameters`)."""


def _parameter(configuration: Resource) -> Any:
    """The parameter a Configuration sets: its `name` output, the `configurationName` input, or its id's last segment."""
    for value in (configuration.get("name"), configuration.get("configurationName")):
        if value is not None:
            return value
    return configuration.id.rsplit("/", 1)[-1] if configuration.id else UNKNOWN


def check(resources: Sequence[Resource], report: StackReport, settings: Any) -> None:
    by_urn, by_arm_id = index(resources)
    declared: dict[str, set[str]] = {}
    unresolved: list[tuple[str | None, str | None]] = []
    """(server URN or None, parameter or None) of each Configuration whose server or parameter is unknown."""
    for configuration in resources:
        if configuration.type not in CONFIGURATIONS:
            continue
        parameter = _parameter(configuration)
        parameter = parameter.lower() if isinstance(parameter, str) else None
        owners: list[str | None] = [s.urn for s in child_parents(configuration, "serverName", by_urn, by_arm_id)]
        if parameter is None or not owners:
            unresolved.extend((owner, parameter) for owner in owners or [None])
            continue
        for owner in owners:
            declared.setdefault(str(owner), set()).add(parameter)
    for server in resources:
        missing = [p for p in REQUIRED.get(server.type, ()) if p not in declared.get(server.urn, ())]
        maybe = [p for p in missing if any(owner in (None, server.urn) and found in (None, p)
                                           for owner, found in unresolved)]
        definite = [p for p in missing if p not in maybe]
        if definite:
            report(f"declares no {', '.join(definite)} server parameter; Azure's default leaves the logging CIS "
                   "asks for off: add a Configuration (source='user-override') for each, as the toolkit's components "
                   "do", server.urn)
        elif maybe:
            report.unknown(f"which server and parameter each Configuration sets (for {', '.join(maybe)})",
                           "give each Configuration server_name=server.name and a literal configuration_name",
                           server.urn)


RULE = StackRule(
    id="database-server-has-logging-parameters",
    title="Every PostgreSQL and MySQL flexible server declares its logging parameters",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.3", "CIS 4.3.2", "CIS 4.3.3", "CIS 4.3.4", "CIS 4.3.5", "CIS 4.3.6",
              "CIS 4.4.3", "CIS 4.4.4"),
    remediation="Add a Configuration per parameter with server_name=server.name: PostgreSQL log_checkpoints, "
                "log_connections, log_disconnections, connection_throttle.enable on and logfiles.retention_days 4-7; "
                "MySQL audit_log_enabled ON and audit_log_events with CONNECTION.",
    check=check,
    applies_to=(POSTGRES, MYSQL),
    defaults_source="PostgreSQL flexible server parameters (learn.microsoft.com/azure/postgresql/flexible-server/"
                    "concepts-server-parameters): log_disconnections off, connection_throttle.enable off, "
                    "logfiles.retention_days 3; MySQL flexible server audit logs (concepts-audit-logs): "
                    "'By default, audit logs are disabled'",
)
