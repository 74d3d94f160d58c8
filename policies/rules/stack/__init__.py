"""Stack level: diagnostics to the city workspace, protection and locks on stateful resources, log retention."""
