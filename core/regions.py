"""The Azure region names the city knows, and which of them are inside the EU: one list for config, rules and guardrails."""

from functools import lru_cache


# Azure regions whose data centres are in an EU member state (Azure/Bio-Compliancy B.01.3 plus the newer EU regions).
EU_REGIONS: frozenset[str] = frozenset({
    "westeurope", "northeurope",
    "swedencentral", "swedensouth",
    "germanywestcentral", "germanynorth",
    "francecentral", "francesouth",
    "italynorth", "polandcentral", "spaincentral",
    "austriaeast", "belgiumcentral", "denmarkeast",
})

# European, but outside the EU: never allowed by default.
NON_EU_EUROPE: frozenset[str] = frozenset({
    "uksouth", "ukwest", "switzerlandnorth", "switzerlandwest", "norwayeast", "norwaywest",
})

OTHER_REGIONS: frozenset[str] = frozenset({
    "eastus", "eastus2", "westus", "westus2", "westus3", "centralus", "northcentralus", "southcentralus",
    "westcentralus", "canadacentral", "canadaeast", "brazilsouth", "brazilsoutheast", "mexicocentral",
    "chilecentral", "eastasia", "southeastasia", "japaneast", "japanwest", "koreacentral", "koreasouth",
    "australiaeast", "australiasoutheast", "australiacentral", "australiacentral2", "centralindia",
    "southindia", "westindia", "jioindiawest", "jioindiacentral", "uaenorth", "uaecentral", "qatarcentral",
    "israelcentral", "southafricanorth", "southafricawest", "indonesiacentral", "malaysiawest",
    "newzealandnorth", "taiwannorth",
})

KNOWN_REGIONS: frozenset[str] = EU_REGIONS | NON_EU_EUROPE | OTHER_REGIONS

# Not regions but location values Azure uses for resources that have no region.
GLOBAL_LOCATIONS: frozenset[str] = frozenset({"global", "europe"})


@lru_cache(maxsize=1024, typed=True)  # typed: a secret's location never shares a cache entry with plain text
def normalize_location(value: str) -> str:
    """Azure's canonical form of a location: `"West Europe"` and `"west-europe"` are both `westeurope`."""
    text = "".join(ch for ch in value.lower() if ch.isalnum())
    return text if type(value) is str else type(value)(text)  # a str subclass (the pack's SecretText) stays one


# Types that exist only globally: their location is `global` (any casing) by design, so no region applies.
# Azure Policy's built-in "Allowed locations" skips them the same way (see REFERENCE.md, data residency).
GLOBAL_ONLY_TYPES: frozenset[str] = frozenset({
    "azure-native:dns:Zone",
    "azure-native:privatedns:PrivateZone",
    "azure-native:privatedns:VirtualNetworkLink",
    "azure-native:frontdoor:FrontDoor",
    "azure-native:frontdoor:Policy",                  # Front Door (classic) WAF policy
    "azure-native:frontdoor:NetworkExperimentProfile",
    "azure-native:cdn:Profile",                       # Front Door Standard/Premium and CDN profiles
    "azure-native:cdn:Policy",                        # Front Door Standard/Premium WAF policy
    "azure-native:cdn:AFDEndpoint",
    "azure-native:trafficmanager:Profile",
    "azure-native:monitor:ActionGroup",
    "azure-native:monitor:TenantActionGroup",
    "azure-native:monitor:ActivityLogAlert",
    "azure-native:monitor:MetricAlert",               # multi-resource metric alerts are global
    "azure-native:monitor:PrivateLinkScope",          # an AMPLS is created in `global` only
    "azure-native:communication:CommunicationService",  # data residency is `dataLocation`, checked apart
    "azure-native:communication:EmailService",
    "azure-native:communication:Domain",
    "azure-native:botservice:Bot",
    "azure-native:azureactivedirectory:B2CTenant",     # location is a geography: "Europe"
})

# Azure Virtual Desktop keeps host pool, application group and workspace metadata in the geography of the
# object's location; the Europe geography is served from these regions.
AVD_EU_METADATA_REGIONS: frozenset[str] = frozenset({"westeurope", "northeurope"})

# Azure Communication Services `dataLocation` values whose data centres are inside the EU.
COMMUNICATION_EU_DATA_LOCATIONS: frozenset[str] = frozenset({"europe", "germany", "france"})

# Azure OpenAI / AI Foundry deployment types (sku.name) that keep processing inside the EU data boundary:
# Standard and Provisioned stay in the resource's region, DataZone* stay in the EU data zone. Every `Global*`
# type may process prompts in any Azure region.
AI_EU_DEPLOYMENT_SKUS: frozenset[str] = frozenset({
    "standard", "provisionedmanaged", "datazonestandard", "datazoneprovisionedmanaged", "datazonebatch",
})
