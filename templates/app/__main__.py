"""${DESCRIPTION}: one app on the city's platform. The app is described in Pulumi.<stack>.yaml (`app:app`,
contract: docs/app-config.md); `App` builds everything else from the platform stack's outputs."""

from pathlib import Path

import pulumi

from amsterdam_cloud.components.app_hosting.app import App, AppArgs
from amsterdam_cloud.components.app_hosting.config import from_pulumi

app = App("app", AppArgs.of(from_pulumi(Path(__file__).parent)))  # the backend: Pulumi.yaml beside this file
for key, value in app.exports().items():
    pulumi.export(key, value)
