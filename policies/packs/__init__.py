"""CrossGuard policy packs: each folder is one pack for `pulumi preview --policy-pack policies/packs/<pack>`."""
