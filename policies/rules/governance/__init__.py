"""Subscription governance: Defender plans, guardrail assignments, roles."""
