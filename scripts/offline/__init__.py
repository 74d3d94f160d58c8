"""The offline plan: the real Pulumi program run in-process under the SDK's mocks, recorded like `pulumi stack export`."""
