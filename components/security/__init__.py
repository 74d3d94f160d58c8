"""Security components: key vaults and the like, secure by default."""
