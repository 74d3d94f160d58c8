"""The `cityctl` command line and its helpers: offline plan, policy check, migration, delivery."""
