"""Migration tooling: discover an AWS or on-prem estate, map it to Azure, plan waves, generate app config."""
