"""The amsterdam-baseline CrossGuard pack: assembles the rules; levels and settings come from --policy-pack-config."""

from pulumi_policy import EnforcementLevel, PolicyPack

from amsterdam_cloud.policies.crossguard import build_policies

PolicyPack(
    name="amsterdam-baseline",
    enforcement_level=EnforcementLevel.ADVISORY,  # config/<env>.json raises acc and prod to mandatory
    policies=build_policies(),
)
