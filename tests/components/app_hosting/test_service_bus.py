"""The Service Bus namespace under mocks: the shared interfaces it declares (its queues are tested through App)."""

from __future__ import annotations

from amsterdam_cloud.components.app_hosting.service_bus import ServiceBus, ServiceBusArgs, ServiceBusQueue


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, tags):
    conforms(ServiceBus, lambda: ServiceBusArgs(
        tags=tags, resource_group_name="rg-app", location="westeurope", namespace_name="sb-parkeer-dev-abc123",
        queues=(ServiceBusQueue(name="orders"),)))
