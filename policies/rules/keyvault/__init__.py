"""Key Vault: recoverable, RBAC-authorised, private."""
