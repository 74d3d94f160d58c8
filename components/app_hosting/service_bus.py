"""A Service Bus namespace for an app (where SQS queues and SNS topics move): Premium (the tier with private
endpoints), Entra ID only (no SAS keys), no public network access, TLS 1.2, a queue per source queue (sessions for
a FIFO queue, dead-lettering on expiry); who sends and receives comes in `role_assignments` (Azure Service Bus
Data Sender and Receiver)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import servicebus

from amsterdam_cloud.components.interfaces import CommonArgs, DiagnosticSupport, InterfaceError, WithInterfaces, \
    require_name, supports

NAMESPACE = "azure-native:servicebus:Namespace"
QUEUE = "azure-native:servicebus:Queue"


@dataclass(frozen=True, kw_only=True)
class ServiceBusQueue:
    """One queue (an SQS queue's counterpart)."""

    name: str
    """The queue's name (1-260 letters, digits, `. - _ /`, starting and ending with one of the first two)."""
    sessions: bool = False
    """Off: no ordering; on: sessions, for first-in-first-out per session (an SQS FIFO queue's message groups)."""
    message_ttl: str = "P14D"
    """How long a message waits (ISO 8601); SQS keeps at most 14 days."""


@dataclass(frozen=True, kw_only=True)
class ServiceBusArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints", "protect",
                        reason="the namespace needs no identity of its own: the app's identity is granted send and "
                               "receive")
    resource_group_name: pulumi.Input[str]
    """The namespace's resource group; the component never creates it."""
    location: str
    """The namespace's EU region."""
    namespace_name: str
    """Globally unique, 6-50 letters, digits and hyphens, starting with a letter."""
    queues: tuple[ServiceBusQueue, ...]
    """At least one queue."""
    messaging_units: int = 1
    """Premium messaging units (1, 2, 4, 8 or 16)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name(NAMESPACE, self.namespace_name, "ServiceBusArgs.namespace_name")
        if not self.queues:
            raise InterfaceError("ServiceBusArgs.queues: empty; expected at least one queue")
        for queue in self.queues:
            require_name(QUEUE, queue.name, "ServiceBusArgs.queues")
        if self.messaging_units not in (1, 2, 4, 8, 16):
            raise InterfaceError(f"ServiceBusArgs.messaging_units: {self.messaging_units}; expected 1, 2, 4, 8 or 16")


class ServiceBus(WithInterfaces, pulumi.ComponentResource):
    """The namespace; `host_name` is what clients connect to (`<Connection>__fullyQualifiedNamespace`)."""

    def __init__(self, name: str, args: ServiceBusArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:apphosting:ServiceBus", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        namespace = servicebus.Namespace(
            f"{name}-namespace", resource_group_name=args.resource_group_name, location=args.location,
            namespace_name=args.namespace_name,
            sku=servicebus.SBSkuArgs(name=servicebus.SkuName.PREMIUM, tier=servicebus.SkuTier.PREMIUM,
                                    capacity=args.messaging_units),
            premium_messaging_partitions=1, disable_local_auth=True, minimum_tls_version="1.2",
            public_network_access="Disabled", tags=dict(args.tags), opts=self.child_options(args, stateful=True))
        for index, queue in enumerate(args.queues):
            servicebus.Queue(
                f"{name}-queue-{index}", resource_group_name=args.resource_group_name, namespace_name=namespace.name,
                queue_name=queue.name, requires_session=queue.sessions, default_message_time_to_live=queue.message_ttl,
                dead_lettering_on_message_expiration=True, max_delivery_count=10, opts=child)
        self.add_interfaces(name, scope_id=namespace.id, args=args, diagnostics=DiagnosticSupport(),
                            private_endpoint_group_id="namespace", resource_group_name=args.resource_group_name,
                            location=args.location)
        self.resource_id, self.name = namespace.id, namespace.name
        self.host_name = namespace.name.apply(lambda n: f"{n}.servicebus.windows.net")
        self.register_outputs({"resource_id": self.resource_id, "name": self.name, "host_name": self.host_name})
