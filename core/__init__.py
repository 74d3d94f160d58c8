"""Facts every layer shares (components, stacks, scripts): the foundation of the house; it imports nothing above it."""
