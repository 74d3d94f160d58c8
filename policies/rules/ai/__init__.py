"""Azure AI services accounts."""
