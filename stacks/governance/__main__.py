"""The governance program: read the typed config once, build the management group hierarchy, place the
subscriptions, define the custom roles and who holds them, assign the city's policy at its groups with the roles
each assignment needs, and the exemptions. App teams' landing zones: stacks/landing_zones (one stack per env).

Its own project: the hierarchy is tenant-wide and changes on its own cadence, by the platform team only.
"""

import pulumi

from amsterdam_cloud.components.governance.hierarchy import Hierarchy, HierarchyArgs
from amsterdam_cloud.components.governance.policy import Policy, PolicyArgs
from amsterdam_cloud.components.governance.roles import Rbac, RbacArgs
from amsterdam_cloud.stacks.governance.config import from_pulumi

config = from_pulumi()
hierarchy = Hierarchy("mg", HierarchyArgs(tenant_id=config.tenant_id, prefix=config.prefix,
                                          subscriptions=config.subscriptions,
                                          sandbox_budget_monthly_eur=config.sandbox_budget_monthly_eur,
                                          budget_emails=config.alert_emails))
rbac = Rbac("rbac", RbacArgs(root_group_id=hierarchy.resource_id, platform_operators=config.rbac["platformOperators"],
                             auditors=config.rbac["auditors"], break_glass=config.rbac["breakGlass"]))
policy = Policy("policy", PolicyArgs(group_ids=hierarchy.group_ids, root_group_name=hierarchy.name,
                                     location=config.location, assignments=config.assignments,
                                     exemptions=config.exemptions, enforce=config.enforce))

pulumi.export("managementGroupIds", hierarchy.group_ids)
pulumi.export("customRoleIds", rbac.role_definition_ids)
pulumi.export("policyAssignmentIds", policy.assignment_ids)
pulumi.export("policyPrincipalIds", policy.principal_ids)
