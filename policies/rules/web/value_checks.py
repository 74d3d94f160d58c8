"""App Service value checks, declared as data (see `rules/values.py`)."""

from amsterdam_cloud.policies.rule_model import Severity
from amsterdam_cloud.policies.rules.common import UNSET
from amsterdam_cloud.policies.rules.values import value_rule

APPS = ("azure-native:web:WebApp", "azure-native:web:WebAppSlot")

RULES = (
    value_rule(id="webapp-http2", title="Web and function apps serve HTTP/2", severity=Severity.LOW,
               controls=("BIO 14.1.2", "CIS 9.8"), applies_to=APPS, path="siteConfig.http20Enabled", want=True,
               default=False, fix="set siteConfig.http20Enabled=True",
               defaults_source="web SiteConfig, API 2024-04-01: http20Enabled unset is false (HTTP/1.1 only)"),
    value_rule(id="webapp-scm-min-tls12", title="Web and function app deployment (SCM) sites require TLS 1.2",
               severity=Severity.HIGH, controls=("BIO 10.1.1", "BIO 14.1.2"), applies_to=APPS,
               path="siteConfig.scmMinTlsVersion", min_tls=True, default="1.2",
               fix="set siteConfig.scmMinTlsVersion='1.2'",
               defaults_source="web SiteConfig, API 2024-04-01: scmMinTlsVersion unset is 1.2 for new sites"),
    value_rule(id="webapp-ftp-basic-auth-disabled", title="Web and function apps allow no FTP basic authentication",
               severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.2.4", "CIS 9.9"),
               applies_to=("azure-native:web:WebAppFtpAllowed", "azure-native:web:WebAppFtpAllowedSlot"),
               path="allow", want=False, default=UNSET, fix="set allow=False (publish with Entra ID)",
               defaults_source="web WebAppFtpAllowed, API 2024-04-01: allow is required; without this resource "
                               "basic publishing credentials stay on"),
    value_rule(id="webapp-scm-basic-auth-disabled", title="Web and function apps allow no SCM basic authentication",
               severity=Severity.HIGH, controls=("BIO 9.4.2", "BIO 9.2.4"),
               applies_to=("azure-native:web:WebAppScmAllowed", "azure-native:web:WebAppScmAllowedSlot"),
               path="allow", want=False, default=UNSET, fix="set allow=False (deploy with Entra ID)",
               defaults_source="web WebAppScmAllowed, API 2024-04-01: allow is required; without this resource "
                               "basic publishing credentials stay on"),
    value_rule(id="webapp-ftps-disabled", title="Web and function apps allow no FTP", severity=Severity.MEDIUM,
               controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 9.9"),
               applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"), path="siteConfig.ftpsState",
               allowed=("Disabled",), default="AllAllowed", fix="set siteConfig.ftpsState='Disabled'",
               defaults_source='web WebApp, API 2025-05-01: ftpsState unset is AllAllowed'),
    value_rule(id="webapp-https-only", title="Web and function apps accept HTTPS only", severity=Severity.HIGH,
               controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 9.2"),
               applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"), path="httpsOnly", want=True,
               default=False, fix="set httpsOnly=True",
               defaults_source='web WebApp, API 2025-05-01: httpsOnly unset means HTTP is served'),
    value_rule(id="webapp-min-tls12", title="Web and function apps require TLS 1.2", severity=Severity.HIGH,
               controls=("BIO 10.1.1", "BIO 14.1.2", "CIS 9.3"),
               applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"), path="siteConfig.minTlsVersion",
               min_tls=True, default="1.2", fix="set siteConfig.minTlsVersion='1.2'",
               remediation="Leave siteConfig.minTlsVersion unset (1.2) or set '1.2' or '1.3'.",
               defaults_source='web WebApp, API 2025-05-01: new apps default to minTlsVersion 1.2'),
    value_rule(id="webapp-public-network-access-disabled", title="Web and function apps are reachable only privately",
               severity=Severity.HIGH, controls=("BIO 13.1.1", "BIO 13.1.3"),
               applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"), path="publicNetworkAccess",
               allowed=("Disabled",), default="Enabled",
               fix="set publicNetworkAccess='Disabled' and publish through a private endpoint",
               remediation="Set publicNetworkAccess='Disabled' and publish through the city's Application Gateway or Front Door with a private endpoint.",
               defaults_source="web WebApp, API 2025-05-01: publicNetworkAccess unset or '' is Enabled"),
    value_rule(id="webapp-remote-debugging-disabled", title="Web and function apps have remote debugging off",
               severity=Severity.MEDIUM, controls=("BIO 12.5.1", "BIO 14.2.5"),
               applies_to=("azure-native:web:WebApp", "azure-native:web:WebAppSlot"),
               path="siteConfig.remoteDebuggingEnabled", want=False, default=False,
               fix="set siteConfig.remoteDebuggingEnabled=False",
               remediation='Leave siteConfig.remoteDebuggingEnabled unset or False.',
               defaults_source='web WebApp, API 2025-05-01: remote debugging is off unless enabled'),
)
