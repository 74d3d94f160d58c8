"""Monitoring: Log Analytics and Application Insights accept Entra ID only."""
