"""Containers: registry, Container Apps and AKS."""
