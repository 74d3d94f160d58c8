"""Compute: virtual machines for workloads that move as they are (rehost)."""
