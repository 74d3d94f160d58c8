"""Storage accounts: encryption in transit, no public or key-based access."""
