"""The state backend program (Blob Storage for state, Key Vault keys for secrets): its own Pulumi project."""
