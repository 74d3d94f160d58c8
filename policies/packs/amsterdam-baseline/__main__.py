"""The amsterdam-baseline CrossGuard pack: assembles the rules; levels and settings come from --policy-pack-config."""

from pulumi_policy import EnforcementLevel, PolicyPack

from amsterdam_cloud.policies.crossguard import build_policies

PolicyPack(
    name="amsterdam-baseline",
    enforcement_level=EnforcementLevel.MANDATORY,  # fail closed: only config/dev.json and test.json lower it
    policies=build_policies(),
)
