"""Event Hubs and Service Bus value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.values import value_rule

NAMESPACES = ("azure-native:eventhub:Namespace", "azure-native:servicebus:Namespace")

RULES = (
    value_rule(id="messaging-local-auth-disabled", title="Event Hubs and Service Bus accept Entra ID only, no SAS keys",
               severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.2.4"), applies_to=NAMESPACES,
               path="disableLocalAuth", want=True, default=False, fix="set disableLocalAuth=True",
               defaults_source="eventhub/servicebus Namespace, API 2024-01-01: disableLocalAuth unset is false"),
    value_rule(id="messaging-min-tls12", title="Event Hubs and Service Bus require TLS 1.2",
               severity=Severity.HIGH, controls=("BIO 10.1.1", "BIO 14.1.2"), applies_to=NAMESPACES,
               path="minimumTlsVersion", min_tls=True, default="1.2", fix="set minimumTlsVersion='1.2'",
               defaults_source="eventhub/servicebus Namespace, API 2024-01-01: minimumTlsVersion unset is 1.2"),
    value_rule(id="messaging-public-network-access-disabled",
               title="Event Hubs and Service Bus are reachable only privately", severity=Severity.HIGH,
               controls=("BIO 13.1.1", "BIO 13.1.3"), applies_to=NAMESPACES, path="publicNetworkAccess",
               allowed=("Disabled", "SecuredByPerimeter"), default="Enabled",
               fix="set publicNetworkAccess='Disabled' and reach the namespace through a private endpoint",
               defaults_source="eventhub/servicebus Namespace, API 2024-01-01: publicNetworkAccess unset is Enabled"),
)
