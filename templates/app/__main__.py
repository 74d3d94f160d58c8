"""${DESCRIPTION}: one app on the city's platform. The app is described in Pulumi.<stack>.yaml (`app:app`,
contract: docs/app-config.md); `App` builds everything else from the platform stack's outputs, which this program
reads (checked against their contract, `PlatformOutputs`) and passes in with the deploying identity's tenant."""

from pathlib import Path

import pulumi
from pulumi_azure_native import authorization

from amsterdam_cloud.components.app_hosting.app import App, AppArgs, LandingZoneOutputs
from amsterdam_cloud.components.app_hosting.config import from_pulumi
from amsterdam_cloud.core.platform_outputs import PlatformOutputs

spec = from_pulumi(Path(__file__).parent)  # the backend: Pulumi.yaml beside this file
platform = PlatformOutputs.read(spec.platform_stack)
client = authorization.get_client_config()
zone = LandingZoneOutputs.read(spec.landing_zone, client.subscription_id) if spec.landing_zone else None
app = App("app", AppArgs.of(spec, platform=platform, tenant_id=client.tenant_id, landing_zone=zone,
                            deploying_subscription_id=client.subscription_id))
for key, value in app.exports().items():
    pulumi.export(key, value)
