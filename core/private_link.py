"""The private-link DNS zones the city uses, by the sub-resource whose private endpoints register in them.

One table (Azure's documented zone names: learn.microsoft.com/azure/private-link/private-endpoint-dns) for every
reader: the connectivity and environment hubs create the zones from it, the governance DINE assignments point each
sub-resource's endpoints at them, and the components (apps, workplace, analytics, private ingestion) look up the
zone of each endpoint they create.
"""

from __future__ import annotations

from typing import Mapping

PRIVATE_LINK_ZONES: Mapping[str, tuple[str, ...]] = {
    "vault": ("privatelink.vaultcore.azure.net",),                                # Key Vault
    **{sub: (f"privatelink.{sub}.core.windows.net",) for sub in ("blob", "dfs", "file", "queue", "table", "web")},
    "sql": ("privatelink.database.windows.net",),                                 # Azure SQL
    "postgres": ("privatelink.postgres.database.azure.com",),
    "mysql": ("privatelink.mysql.database.azure.com",),
    "cosmos": ("privatelink.documents.azure.com",),                               # Cosmos DB (NoSQL)
    "redis": ("privatelink.redis.cache.windows.net",),
    "registry": ("privatelink.azurecr.io",),
    "sites": ("privatelink.azurewebsites.net",),                                  # App Service and Functions
    "containerapps": ("privatelink.{location}.azurecontainerapps.io",),           # Container Apps environments
    "ai": ("privatelink.cognitiveservices.azure.com", "privatelink.openai.azure.com"),
    "ml": ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"),
    "servicebus": ("privatelink.servicebus.windows.net",),                        # Service Bus
    "eventhub": ("privatelink.servicebus.windows.net",),                          # Event Hubs share its zone
    "datafactory": ("privatelink.datafactory.azure.net",),
    "databricks": ("privatelink.azuredatabricks.net",),
    "search": ("privatelink.search.windows.net",),
    "monitor": ("privatelink.monitor.azure.com", "privatelink.oms.opinsights.azure.com",   # Azure Monitor (AMPLS)
                "privatelink.ods.opinsights.azure.com", "privatelink.agentsvc.azure-automation.net",
                "privatelink.blob.core.windows.net"),
    "avd-connection": ("privatelink.wvd.microsoft.com",),                         # Azure Virtual Desktop
    "avd-feed": ("privatelink.wvd.microsoft.com",),
}
"""Sub-resource key -> its zones; `{location}` stands for the region (Container Apps' zone is regional)."""


def zone(key: str) -> str:
    """The one zone of a sub-resource that has exactly one (`zone("vault")`); a KeyError names an unknown key."""
    (name,) = PRIVATE_LINK_ZONES[key]
    return name


def city_private_link_zones(location: str) -> tuple[str, ...]:
    """Every zone of the table once, in its order, `{location}` filled in: the zones a hub creates and links."""
    names = (name.format(location=location) for zones in PRIVATE_LINK_ZONES.values() for name in zones)
    return tuple(dict.fromkeys(names))
