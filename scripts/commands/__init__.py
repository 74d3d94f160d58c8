"""One module per `cityctl` subcommand; each defines `register(subparsers)` and is found by `scripts.cli`."""
