"""PostgreSQL and MySQL server parameters keep connection logging and auditing on where a stack sets them.

It judges a Configuration's value; `database-server-has-logging-parameters` fails the server that declares none
(Azure's default leaves log_disconnections, connection throttling and MySQL's audit log off), so the two together
cover CIS 4.3.2-4.3.6, 4.4.3 and 4.4.4.
"""

from __future__ import annotations

from typing import Any

from amsterdam_cloud.policies.rule_model import Report, Resource, Rule, Severity
from amsterdam_cloud.policies.rules.common import OFF, server_parameter

MUST_STAY_ON = ("log_checkpoints", "log_connections", "log_disconnections", "connection_throttle.enable",
                "audit_log_enabled")
RETENTION = ("logfiles.retention_days", "log_retention_days")
"""Server log retention in days: flexible server's parameter, and single server's older name."""
MIN_LOG_RETENTION_DAYS = 4
AUDIT_EVENTS = "audit_log_events"
REQUIRED_AUDIT_EVENT = "CONNECTION"
"""CIS 4.4.4: the audit log records connections (CONNECTION, or CONNECTION_V2 which adds failed attempts' codes)."""


def check(resource: Resource, report: Report, settings: Any) -> None:
    found = server_parameter(resource, report, names=(*MUST_STAY_ON, *RETENTION, AUDIT_EVENTS), kind="logging",
                             fix="set the logging parameters from the program")
    if found is None:
        return
    name, text, value = found
    if name in MUST_STAY_ON and (text in OFF or not text):
        report(f"{name} is {value!r}; set it to ON so connections and changes are logged")
    elif name == AUDIT_EVENTS:
        events = [event.strip().upper() for event in text.split(",")]
        if not any(event.startswith(REQUIRED_AUDIT_EVENT) for event in events):
            report(f"audit_log_events is {value!r}; include {REQUIRED_AUDIT_EVENT} so every sign-in is audited")
    elif name in RETENTION:
        try:
            days = int(text)
        except ValueError:
            report(f"{name} is {value!r}, not a number of days; set it to >= {MIN_LOG_RETENTION_DAYS}")
            return
        if days < MIN_LOG_RETENTION_DAYS:
            report(f"{name} is {days}; keep server logs at least {MIN_LOG_RETENTION_DAYS} days")


RULE = Rule(
    id="database-logging-parameters",
    title="Database servers keep connection logging and audit logging on",
    severity=Severity.MEDIUM,
    controls=("BIO 12.4.1", "BIO 12.4.3", "CIS 4.3.2", "CIS 4.3.3", "CIS 4.3.4", "CIS 4.3.5", "CIS 4.3.6",
              "CIS 4.4.3", "CIS 4.4.4"),
    remediation="Set log_checkpoints, log_connections, log_disconnections, connection_throttle.enable and "
                "audit_log_enabled to ON, audit_log_events to include CONNECTION; keep logfiles.retention_days >= 4.",
    check=check,
    applies_to=("azure-native:dbforpostgresql:Configuration", "azure-native:dbformysql:Configuration"),
    settings=("environment",),
    defaults_source="PostgreSQL/MySQL flexible server parameters: an override is judged; a parameter not set keeps "
                    "the server's default, which `database-server-has-logging-parameters` fails",
)
