"""Messaging: Event Hubs and Service Bus namespaces."""
