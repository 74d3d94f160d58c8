"""Delivery: the plan diff that guards data, the deploy gate, and driving the Pulumi CLI through the Automation API."""
