"""Which azure-native resource types the offline plan understands, and the ARM id each one gets.

Each template is the resource's ARM id with `{inputName}` placeholders (the engine's camelCase input names);
`{rg}` stands for `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}`. The last placeholder is the
resource's own name: when the program leaves it unset, the resource is auto-named as azure-native does it from
this path (`core/naming.py`, which also holds each type's naming rule). A type missing here is reported by the
mocks, never guessed: add it here, and its naming rule to `core/naming.py` (a test keeps the two in step).
"""

RG = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"

ARM_ID_TEMPLATES: dict[str, str] = {
    # resources, identity, governance
    "azure-native:resources:ResourceGroup": RG,
    "azure-native:managedidentity:UserAssignedIdentity":
        "{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{resourceName}",
    "azure-native:authorization:ManagementLockByScope": "{scope}/providers/Microsoft.Authorization/locks/{lockName}",
    "azure-native:authorization:RoleAssignment":
        "{scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}",
    "azure-native:authorization:PolicyAssignment":
        "{scope}/providers/Microsoft.Authorization/policyAssignments/{policyAssignmentName}",
    "azure-native:authorization:PolicyDefinition":
        "/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/policyDefinitions/{policyDefinitionName}",
    "azure-native:authorization:PolicyDefinitionAtManagementGroup":
        "/providers/Microsoft.Management/managementGroups/{managementGroupId}"
        "/providers/Microsoft.Authorization/policyDefinitions/{policyDefinitionName}",
    "azure-native:authorization:PolicyExemption":
        "{scope}/providers/Microsoft.Authorization/policyExemptions/{policyExemptionName}",
    "azure-native:management:ManagementGroup": "/providers/Microsoft.Management/managementGroups/{groupId}",
    "azure-native:management:ManagementGroupSubscription":
        "/providers/Microsoft.Management/managementGroups/{groupId}/subscriptions/{subscriptionId}",
    "azure-native:subscription:Alias": "/providers/Microsoft.Subscription/aliases/{aliasName}",
    "azure-native:authorization:RoleDefinition":
        "{scope}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}",
    "azure-native:authorization:PimRoleEligibilitySchedule":
        "{scope}/providers/Microsoft.Authorization/roleEligibilityScheduleRequests"
        "/{roleEligibilityScheduleRequestName}",
    "azure-native:security:Pricing": "/subscriptions/{subscriptionId}/providers/Microsoft.Security/pricings/{pricingName}",
    "azure-native:consumption:Budget": "{scope}/providers/Microsoft.Consumption/budgets/{budgetName}",
    # monitoring
    "azure-native:operationalinsights:Workspace":
        "{rg}/providers/Microsoft.OperationalInsights/workspaces/{workspaceName}",
    "azure-native:monitor:ActionGroup": "{rg}/providers/Microsoft.Insights/actionGroups/{actionGroupName}",
    "azure-native:monitor:ActivityLogAlert":
        "{rg}/providers/Microsoft.Insights/activityLogAlerts/{activityLogAlertName}",
    "azure-native:monitor:DiagnosticSetting": "{resourceUri}/providers/Microsoft.Insights/diagnosticSettings/{name}",
    "azure-native:monitor:SubscriptionDiagnosticSetting":
        "/subscriptions/{subscriptionId}/providers/Microsoft.Insights/diagnosticSettings/{name}",
    "azure-native:monitor:DataCollectionRule":
        "{rg}/providers/Microsoft.Insights/dataCollectionRules/{dataCollectionRuleName}",
    "azure-native:monitor:DataCollectionRuleAssociation":
        "{resourceUri}/providers/Microsoft.Insights/dataCollectionRuleAssociations/{associationName}",
    # monitoring of operations: private ingestion, log alerts, flow logs, Defender reporting, Application Insights
    "azure-native:monitor:PrivateLinkScope": "{rg}/providers/Microsoft.Insights/privateLinkScopes/{scopeName}",
    "azure-native:monitor:PrivateLinkScopedResource":
        "{rg}/providers/Microsoft.Insights/privateLinkScopes/{scopeName}/scopedResources/{name}",
    "azure-native:monitor:DataCollectionEndpoint":
        "{rg}/providers/Microsoft.Insights/dataCollectionEndpoints/{dataCollectionEndpointName}",
    "azure-native:monitor:ScheduledQueryRule": "{rg}/providers/Microsoft.Insights/scheduledQueryRules/{ruleName}",
    "azure-native:network:FlowLog":
        "{rg}/providers/Microsoft.Network/networkWatchers/{networkWatcherName}/flowLogs/{flowLogName}",
    "azure-native:security:SecurityContact":
        "/subscriptions/{subscriptionId}/providers/Microsoft.Security/securityContacts/{securityContactName}",
    "azure-native:security:Automation": "{rg}/providers/Microsoft.Security/automations/{automationName}",
    "azure-native:applicationinsights:Component": "{rg}/providers/Microsoft.Insights/components/{resourceName}",
    # shared hosting: a public app's custom domain and its certificate in the platform's Front Door profile
    "azure-native:cdn:AFDCustomDomain":
        "{rg}/providers/Microsoft.Cdn/profiles/{profileName}/customDomains/{customDomainName}",
    "azure-native:cdn:Secret": "{rg}/providers/Microsoft.Cdn/profiles/{profileName}/secrets/{secretName}",
    # network
    "azure-native:network:VirtualNetwork": "{rg}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}",
    "azure-native:network:Subnet":
        "{rg}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}/subnets/{subnetName}",
    "azure-native:network:VirtualNetworkPeering":
        "{rg}/providers/Microsoft.Network/virtualNetworks/{virtualNetworkName}"
        "/virtualNetworkPeerings/{virtualNetworkPeeringName}",
    "azure-native:network:NetworkSecurityGroup":
        "{rg}/providers/Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}",
    "azure-native:network:SecurityRule":
        "{rg}/providers/Microsoft.Network/networkSecurityGroups/{networkSecurityGroupName}"
        "/securityRules/{securityRuleName}",
    "azure-native:network:RouteTable": "{rg}/providers/Microsoft.Network/routeTables/{routeTableName}",
    "azure-native:network:Route": "{rg}/providers/Microsoft.Network/routeTables/{routeTableName}/routes/{routeName}",
    "azure-native:network:AzureFirewall": "{rg}/providers/Microsoft.Network/azureFirewalls/{azureFirewallName}",
    "azure-native:network:FirewallPolicy": "{rg}/providers/Microsoft.Network/firewallPolicies/{firewallPolicyName}",
    "azure-native:network:FirewallPolicyRuleCollectionGroup":
        "{rg}/providers/Microsoft.Network/firewallPolicies/{firewallPolicyName}"
        "/ruleCollectionGroups/{ruleCollectionGroupName}",
    "azure-native:network:BastionHost": "{rg}/providers/Microsoft.Network/bastionHosts/{bastionHostName}",
    "azure-native:network:PublicIPAddress": "{rg}/providers/Microsoft.Network/publicIPAddresses/{publicIpAddressName}",
    "azure-native:network:PrivateEndpoint": "{rg}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}",
    "azure-native:network:PrivateDnsZoneGroup":
        "{rg}/providers/Microsoft.Network/privateEndpoints/{privateEndpointName}"
        "/privateDnsZoneGroups/{privateDnsZoneGroupName}",
    "azure-native:network:NetworkInterface":
        "{rg}/providers/Microsoft.Network/networkInterfaces/{networkInterfaceName}",
    "azure-native:network:ApplicationGateway":
        "{rg}/providers/Microsoft.Network/applicationGateways/{applicationGatewayName}",
    "azure-native:network:WebApplicationFirewallPolicy":
        "{rg}/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/{policyName}",
    "azure-native:network:VirtualNetworkGateway":
        "{rg}/providers/Microsoft.Network/virtualNetworkGateways/{virtualNetworkGatewayName}",
    "azure-native:network:DdosProtectionPlan":
        "{rg}/providers/Microsoft.Network/ddosProtectionPlans/{ddosProtectionPlanName}",
    "azure-native:network:NatGateway": "{rg}/providers/Microsoft.Network/natGateways/{natGatewayName}",
    "azure-native:privatedns:PrivateZone": "{rg}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}",
    "azure-native:privatedns:VirtualNetworkLink":
        "{rg}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}"
        "/virtualNetworkLinks/{virtualNetworkLinkName}",
    "azure-native:dns:Zone": "{rg}/providers/Microsoft.Network/dnszones/{zoneName}",
    "azure-native:frontdoor:Policy":
        "{rg}/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/{policyName}",
    "azure-native:cdn:Profile": "{rg}/providers/Microsoft.Cdn/profiles/{profileName}",
    "azure-native:cdn:AFDEndpoint": "{rg}/providers/Microsoft.Cdn/profiles/{profileName}/afdEndpoints/{endpointName}",
    "azure-native:cdn:AFDOriginGroup":
        "{rg}/providers/Microsoft.Cdn/profiles/{profileName}/originGroups/{originGroupName}",
    "azure-native:cdn:AFDOrigin":
        "{rg}/providers/Microsoft.Cdn/profiles/{profileName}/originGroups/{originGroupName}/origins/{originName}",
    "azure-native:cdn:Route":
        "{rg}/providers/Microsoft.Cdn/profiles/{profileName}/afdEndpoints/{endpointName}/routes/{routeName}",
    "azure-native:cdn:SecurityPolicy":
        "{rg}/providers/Microsoft.Cdn/profiles/{profileName}/securityPolicies/{securityPolicyName}",
    "azure-native:privatedns:PrivateRecordSet":
        "{rg}/providers/Microsoft.Network/privateDnsZones/{privateZoneName}/{recordType}/{relativeRecordSetName}",
    # secrets and data
    "azure-native:keyvault:Vault": "{rg}/providers/Microsoft.KeyVault/vaults/{vaultName}",
    "azure-native:keyvault:Secret": "{rg}/providers/Microsoft.KeyVault/vaults/{vaultName}/secrets/{secretName}",
    "azure-native:keyvault:Key": "{rg}/providers/Microsoft.KeyVault/vaults/{vaultName}/keys/{keyName}",
    "azure-native:storage:StorageAccount": "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}",
    "azure-native:storage:BlobServiceProperties":
        "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/blobServices/{blobServicesName}",
    "azure-native:storage:BlobContainer":
        "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/blobServices/default/containers/{containerName}",
    "azure-native:storage:FileShare":
        "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/fileServices/default/shares/{shareName}",
    "azure-native:dbforpostgresql:Server": "{rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/{serverName}",
    "azure-native:dbforpostgresql:Administrator":
        "{rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/administrators/{objectId}",
    "azure-native:dbforpostgresql:Database":
        "{rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/databases/{databaseName}",
    "azure-native:dbforpostgresql:Configuration":
        "{rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/{serverName}/configurations/{configurationName}",
    "azure-native:dbformysql:Server": "{rg}/providers/Microsoft.DBforMySQL/flexibleServers/{serverName}",
    "azure-native:dbformysql:AzureADAdministrator":
        "{rg}/providers/Microsoft.DBforMySQL/flexibleServers/{serverName}/administrators/{administratorName}",
    "azure-native:dbformysql:Configuration":
        "{rg}/providers/Microsoft.DBforMySQL/flexibleServers/{serverName}/configurations/{configurationName}",
    "azure-native:dbformysql:Database":
        "{rg}/providers/Microsoft.DBforMySQL/flexibleServers/{serverName}/databases/{databaseName}",
    "azure-native:sql:Server": "{rg}/providers/Microsoft.Sql/servers/{serverName}",
    "azure-native:cosmosdb:DatabaseAccount": "{rg}/providers/Microsoft.DocumentDB/databaseAccounts/{accountName}",
    "azure-native:cosmosdb:SqlResourceSqlDatabase":
        "{rg}/providers/Microsoft.DocumentDB/databaseAccounts/{accountName}/sqlDatabases/{databaseName}",
    "azure-native:cosmosdb:SqlResourceSqlContainer":
        "{rg}/providers/Microsoft.DocumentDB/databaseAccounts/{accountName}/sqlDatabases/{databaseName}"
        "/containers/{containerName}",
    "azure-native:cosmosdb:SqlResourceSqlRoleAssignment":
        "{rg}/providers/Microsoft.DocumentDB/databaseAccounts/{accountName}/sqlRoleAssignments/{roleAssignmentId}",
    "azure-native:servicebus:Namespace": "{rg}/providers/Microsoft.ServiceBus/namespaces/{namespaceName}",
    "azure-native:servicebus:Queue": "{rg}/providers/Microsoft.ServiceBus/namespaces/{namespaceName}/queues/{queueName}",
    "azure-native:redis:Redis": "{rg}/providers/Microsoft.Cache/redis/{name}",
    # compute and hosting
    "azure-native:containerregistry:Registry":
        "{rg}/providers/Microsoft.ContainerRegistry/registries/{registryName}",
    "azure-native:web:AppServicePlan": "{rg}/providers/Microsoft.Web/serverfarms/{name}",
    "azure-native:web:WebApp": "{rg}/providers/Microsoft.Web/sites/{name}",
    "azure-native:web:WebAppFtpAllowed": "{rg}/providers/Microsoft.Web/sites/{name}/basicPublishingCredentialsPolicies/ftp",
    "azure-native:web:WebAppScmAllowed": "{rg}/providers/Microsoft.Web/sites/{name}/basicPublishingCredentialsPolicies/scm",
    "azure-native:app:ManagedEnvironment": "{rg}/providers/Microsoft.App/managedEnvironments/{environmentName}",
    "azure-native:app:ContainerApp": "{rg}/providers/Microsoft.App/containerApps/{containerAppName}",
    "azure-native:containerservice:ManagedCluster":
        "{rg}/providers/Microsoft.ContainerService/managedClusters/{resourceName}",
    "azure-native:compute:VirtualMachine": "{rg}/providers/Microsoft.Compute/virtualMachines/{vmName}",
    "azure-native:compute:Disk": "{rg}/providers/Microsoft.Compute/disks/{diskName}",
    # digital workplace
    "azure-native:desktopvirtualization:HostPool":
        "{rg}/providers/Microsoft.DesktopVirtualization/hostPools/{hostPoolName}",
    "azure-native:desktopvirtualization:ApplicationGroup":
        "{rg}/providers/Microsoft.DesktopVirtualization/applicationGroups/{applicationGroupName}",
    "azure-native:desktopvirtualization:Workspace":
        "{rg}/providers/Microsoft.DesktopVirtualization/workspaces/{workspaceName}",
    "azure-native:desktopvirtualization:ScalingPlan":
        "{rg}/providers/Microsoft.DesktopVirtualization/scalingPlans/{scalingPlanName}",
    "azure-native:desktopvirtualization:ScalingPlanPersonalSchedule":
        "{rg}/providers/Microsoft.DesktopVirtualization/scalingPlans/{scalingPlanName}"
        "/personalSchedules/{scalingPlanScheduleName}",
    "azure-native:desktopvirtualization:Application":
        "{rg}/providers/Microsoft.DesktopVirtualization/applicationGroups/{applicationGroupName}"
        "/applications/{applicationName}",
    "azure-native:compute:VirtualMachineExtension":
        "{rg}/providers/Microsoft.Compute/virtualMachines/{vmName}/extensions/{vmExtensionName}",
    "azure-native:storage:FileServiceProperties":
        "{rg}/providers/Microsoft.Storage/storageAccounts/{accountName}/fileServices/{fileServicesName}",
    "azure-native:resources:AzurePowerShellScript":
        "{rg}/providers/Microsoft.Resources/deploymentScripts/{scriptName}",
    "azure-native:compute:Gallery": "{rg}/providers/Microsoft.Compute/galleries/{galleryName}",
    "azure-native:compute:GalleryImage":
        "{rg}/providers/Microsoft.Compute/galleries/{galleryName}/images/{galleryImageName}",
    "azure-native:recoveryservices:Vault": "{rg}/providers/Microsoft.RecoveryServices/vaults/{vaultName}",
    "azure-native:recoveryservices:ProtectionPolicy":
        "{rg}/providers/Microsoft.RecoveryServices/vaults/{vaultName}/backupPolicies/{policyName}",
    "azure-native:recoveryservices:ProtectionContainer":
        "{rg}/providers/Microsoft.RecoveryServices/vaults/{vaultName}/backupFabrics/{fabricName}"
        "/protectionContainers/{containerName}",
    "azure-native:recoveryservices:ProtectedItem":
        "{rg}/providers/Microsoft.RecoveryServices/vaults/{vaultName}/backupFabrics/{fabricName}"
        "/protectionContainers/{containerName}/protectedItems/{protectedItemName}",
    # analytics and AI
    "azure-native:machinelearningservices:Workspace":
        "{rg}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}",
    "azure-native:machinelearningservices:Compute":
        "{rg}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}/computes/{computeName}",
    "azure-native:machinelearningservices:Datastore":
        "{rg}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}/datastores/{name}",
    "azure-native:cognitiveservices:Account": "{rg}/providers/Microsoft.CognitiveServices/accounts/{accountName}",
    "azure-native:cognitiveservices:Deployment":
        "{rg}/providers/Microsoft.CognitiveServices/accounts/{accountName}/deployments/{deploymentName}",
    # global-only types (core/regions.py GLOBAL_ONLY_TYPES): Azure Policy's allowed-locations rule names them
    "azure-native:frontdoor:FrontDoor": "{rg}/providers/Microsoft.Network/frontDoors/{frontDoorName}",
    "azure-native:frontdoor:NetworkExperimentProfile":
        "{rg}/providers/Microsoft.Network/NetworkExperimentProfiles/{profileName}",
    "azure-native:cdn:Policy": "{rg}/providers/Microsoft.Cdn/cdnWebApplicationFirewallPolicies/{policyName}",
    "azure-native:trafficmanager:Profile": "{rg}/providers/Microsoft.Network/trafficmanagerprofiles/{profileName}",
    "azure-native:monitor:TenantActionGroup":
        "/providers/Microsoft.Management/managementGroups/{managementGroupId}"
        "/providers/Microsoft.Insights/tenantActionGroups/{tenantActionGroupName}",
    "azure-native:monitor:MetricAlert": "{rg}/providers/Microsoft.Insights/metricAlerts/{ruleName}",
    "azure-native:communication:EmailService":
        "{rg}/providers/Microsoft.Communication/emailServices/{emailServiceName}",
    "azure-native:communication:Domain":
        "{rg}/providers/Microsoft.Communication/emailServices/{emailServiceName}/domains/{domainName}",
    "azure-native:botservice:Bot": "{rg}/providers/Microsoft.BotService/botServices/{resourceName}",
    "azure-native:azureactivedirectory:B2CTenant":
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}"
        "/providers/Microsoft.AzureActiveDirectory/b2cDirectories/{resourceName}",
    "azure-native:communication:CommunicationService":
        "{rg}/providers/Microsoft.Communication/communicationServices/{communicationServiceName}",
    # connectivity: gateways, the DNS Private Resolver, the CI agents' Managed DevOps Pool
    "azure-native:network:LocalNetworkGateway":
        "{rg}/providers/Microsoft.Network/localNetworkGateways/{localNetworkGatewayName}",
    "azure-native:network:VirtualNetworkGatewayConnection":
        "{rg}/providers/Microsoft.Network/connections/{virtualNetworkGatewayConnectionName}",
    "azure-native:dnsresolver:DnsResolver": "{rg}/providers/Microsoft.Network/dnsResolvers/{dnsResolverName}",
    "azure-native:dnsresolver:InboundEndpoint":
        "{rg}/providers/Microsoft.Network/dnsResolvers/{dnsResolverName}/inboundEndpoints/{inboundEndpointName}",
    "azure-native:dnsresolver:OutboundEndpoint":
        "{rg}/providers/Microsoft.Network/dnsResolvers/{dnsResolverName}/outboundEndpoints/{outboundEndpointName}",
    "azure-native:dnsresolver:DnsForwardingRuleset":
        "{rg}/providers/Microsoft.Network/dnsForwardingRulesets/{dnsForwardingRulesetName}",
    "azure-native:dnsresolver:ForwardingRule":
        "{rg}/providers/Microsoft.Network/dnsForwardingRulesets/{dnsForwardingRulesetName}"
        "/forwardingRules/{forwardingRuleName}",
    "azure-native:dnsresolver:PrivateResolverVirtualNetworkLink":
        "{rg}/providers/Microsoft.Network/dnsForwardingRulesets/{dnsForwardingRulesetName}"
        "/virtualNetworkLinks/{virtualNetworkLinkName}",
    "azure-native:devcenter:DevCenter": "{rg}/providers/Microsoft.DevCenter/devcenters/{devCenterName}",
    "azure-native:devcenter:Project": "{rg}/providers/Microsoft.DevCenter/projects/{projectName}",
    "azure-native:devopsinfrastructure:Pool": "{rg}/providers/Microsoft.DevOpsInfrastructure/pools/{poolName}",
}
