"""The Azure region names the city knows, and which of them are inside the EU: one list for config, rules and guardrails."""

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


def normalize_location(value: str) -> str:
    """Azure's canonical form of a location: `"West Europe"` and `"west-europe"` are both `westeurope`."""
    return "".join(ch for ch in value.lower() if ch.isalnum())
