"""The host pool under mocks: EU metadata, no public exposure, one kind of application group, office-hours scaling."""

from __future__ import annotations

import asyncio

import pulumi
import pytest

from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.workplace.host_pool import HostPool, HostPoolArgs, Registration, RemoteApp
from amsterdam_cloud.components.workplace.schedule import OfficeHours

from .conftest import USERS, ZONES, endpoint

WVD = "privatelink.wvd.microsoft.com"


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> HostPoolArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, private_endpoints=endpoint(WVD),
                      resource_group_name="rg-workplace", metadata_location="westeurope",
                      friendly_name="Werkplek", max_session_limit=32, user_group_ids=(USERS,),
                      registration=Registration(expires="2026-12-01T00:00:00Z"))
        values.update(overrides)
        return HostPoolArgs(**values)
    return make


def test_pool_and_workspace_take_no_public_traffic_by_default(plan_inline, args):
    plan = plan_inline(lambda: HostPool("avd", args()))
    assert plan.named("avd-pool").inputs["publicNetworkAccess"] == "Disabled"
    assert plan.named("avd-workspace").inputs["publicNetworkAccess"] == "Disabled"


def test_clients_from_internet_opens_the_pool_to_clients_only(plan_inline, args):
    plan = plan_inline(lambda: HostPool("avd", args(clients_from_internet=True)))
    assert plan.named("avd-pool").inputs["publicNetworkAccess"] == "EnabledForClientsOnly"


def test_every_avd_object_keeps_its_metadata_in_the_given_eu_location(plan_inline, args):
    plan = plan_inline(lambda: HostPool("avd", args(metadata_location="North Europe")))
    avd = [r for r in plan.resources if r.type.startswith("azure-native:desktopvirtualization:") and
           "location" in r.inputs]
    assert len(avd) == 4 and {r.inputs["location"] for r in avd} == {"northeurope"}


def test_metadata_outside_the_eu_is_refused(args):
    with pytest.raises(InterfaceError, match="metadata_location: 'eastus2' keeps AVD metadata outside the EU"):
        args(metadata_location="eastus2")


def test_session_hosts_and_clients_reach_pool_and_feed_over_private_endpoints(plan_inline, args):
    plan = plan_inline(lambda: HostPool("avd", args()))
    pool = plan.named("avd-pe").inputs["privateLinkServiceConnections"][0]
    feed = plan.named("avd-workspace-feed").inputs["privateLinkServiceConnections"][0]
    assert (pool["groupIds"], pool["privateLinkServiceId"]) == (["connection"], plan.named("avd-pool").id)
    assert (feed["groupIds"], feed["privateLinkServiceId"]) == (["feed"], plan.named("avd-workspace").id)
    assert plan.named("avd-workspace-feed-dns").inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == ZONES[WVD]


def test_a_pool_without_a_private_endpoint_is_refused(args):
    with pytest.raises(InterfaceError, match="private_endpoints: empty"):
        args(private_endpoints=())


def test_desktop_pool_publishes_one_desktop_group_in_the_workspace(plan_inline, args):
    plan = plan_inline(lambda: HostPool("avd", args()))
    groups = plan.of_type("azure-native:desktopvirtualization:ApplicationGroup")
    assert [g.inputs["applicationGroupType"] for g in groups] == ["Desktop"]
    assert plan.named("avd-pool").inputs["preferredAppGroupType"] == "Desktop"
    assert plan.named("avd-workspace").inputs["applicationGroupReferences"] == [groups[0].id]
    assert plan.of_type("azure-native:desktopvirtualization:Application") == []


def test_remoteapp_pool_publishes_its_applications_and_no_desktop(plan_inline, args):
    apps = (RemoteApp(name="word", file_path="C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE"),)
    plan = plan_inline(lambda: HostPool("avd", args(application_group_type="RemoteApp", remote_apps=apps)))
    groups = plan.of_type("azure-native:desktopvirtualization:ApplicationGroup")
    assert [g.inputs["applicationGroupType"] for g in groups] == ["RemoteApp"]
    assert plan.named("avd-pool").inputs["preferredAppGroupType"] == "RailApplications"
    app = plan.named("avd-app-word").inputs
    assert app["commandLineSetting"] == "DoNotAllow" and app["filePath"].endswith("WINWORD.EXE")


def test_desktop_and_remoteapps_are_never_mixed_in_one_pool(args):
    with pytest.raises(InterfaceError, match="never mixed in one pool"):
        args(remote_apps=(RemoteApp(name="word", file_path="C:\\word.exe"),))


def test_users_get_desktop_virtualization_user_on_the_application_group(plan_inline, args):
    plan = plan_inline(lambda: HostPool("avd", args()))
    role = plan.named("avd-apps-role-0").inputs
    assert role["scope"] == plan.named("avd-apps").id and role["principalId"] == USERS
    assert role["principalType"] == "Group"
    assert role["roleDefinitionId"].endswith("/1d18fff3-a72a-46b5-b4a9-0b38a3cd7e63")


def test_start_vm_on_connect_and_secure_rdp_properties(plan_inline, args):
    pool = plan_inline(lambda: HostPool("avd", args())).named("avd-pool").inputs
    assert pool["startVMOnConnect"] is True
    assert "redirectclipboard:i:0" in pool["customRdpProperty"] and "drivestoredirect:s:" in pool["customRdpProperty"]
    assert "enablerdsaadauth:i:1" in pool["customRdpProperty"]


def test_scaling_plan_follows_the_office_hours_and_quiets_the_other_days(plan_inline, args):
    hours = OfficeHours(ramp_up_start="06:30", peak_start="08:00", ramp_down_start="16:00", off_peak_start="18:00",
                        ramp_up_minimum_hosts_pct=25)
    plan = plan_inline(lambda: HostPool("avd", args(office_hours=hours)))
    scaling = plan.named("avd-scaling").inputs
    office, quiet = scaling["schedules"]
    assert office["daysOfWeek"] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert office["rampUpStartTime"] == {"hour": 6, "minute": 30} and office["offPeakStartTime"]["hour"] == 18
    assert (office["rampUpMinimumHostsPct"], quiet["rampUpMinimumHostsPct"]) == (25, 0)
    assert quiet["daysOfWeek"] == ["Saturday", "Sunday"]
    assert scaling["hostPoolReferences"] == [{"hostPoolArmPath": plan.named("avd-pool").id,
                                              "scalingPlanEnabled": True}]
    assert scaling["timeZone"] == "W. Europe Standard Time"


def test_personal_pool_deallocates_desktops_their_users_left(plan_inline, args):
    plan = plan_inline(lambda: HostPool("avd", args(pool_type="Personal")))
    assert plan.named("avd-pool").inputs["loadBalancerType"] == "Persistent"
    assert plan.named("avd-pool").inputs["maxSessionLimit"] == 1
    assert plan.named("avd-scaling").inputs.get("schedules") is None
    office = plan.named("avd-scaling-office-days").inputs
    assert office["rampUpStartVMOnConnect"] == "Enable" and office["offPeakActionOnDisconnect"] == "Deallocate"


def test_every_avd_object_sends_its_logs_to_the_workspace(plan_inline, args, workspace_id):
    plan = plan_inline(lambda: HostPool("avd", args()))
    targets = {r.inputs["resourceUri"] for r in plan.of_type("azure-native:monitor:DiagnosticSetting")
               if r.inputs["workspaceId"] == workspace_id and r.inputs["logs"]}
    assert targets == {plan.named(n).id for n in ("avd-pool", "avd-apps", "avd-workspace", "avd-scaling")}


def test_registration_token_expiry_is_set_for_hosts_to_register(plan_inline, args):
    plan = plan_inline(lambda: HostPool("avd", args()))
    assert plan.named("avd-pool").inputs["registrationInfo"] == {
        "expirationTime": "2026-12-01T00:00:00Z", "registrationTokenOperation": "Update"}


def test_an_expired_window_sends_no_expiry_so_azure_accepts_later_changes_to_the_pool(plan_inline, args):
    plan = plan_inline(lambda: HostPool("avd", args(registration=Registration(expires="2026-12-01T00:00:00Z",
                                                                              renew=False))))
    assert plan.named("avd-pool").inputs["registrationInfo"] == {"registrationTokenOperation": "None"}
    assert any("window ends at 2026-12-01T00:00:00Z" in warning and "renew the token" in warning
               for warning in plan.warnings)


def test_a_registration_expiry_that_is_not_utc_iso_8601_is_refused():
    with pytest.raises(InterfaceError, match="Registration.expires: '2026-12-01 00:00'; expected an ISO 8601"):
        Registration(expires="2026-12-01 00:00")


def test_without_an_expiry_no_token_is_issued(plan_inline, args):
    seen = {}

    def program():
        seen["token"] = HostPool("avd", args(registration=None)).registration_token

    assert "registrationInfo" not in plan_inline(program).named("avd-pool").inputs
    assert seen["token"] is None


class _DeploymentMocks(pulumi.runtime.Mocks):
    """A deployment (not a preview) where Azure answers retrieveRegistrationToken."""

    def __init__(self) -> None:
        self.invoked: list[tuple[str, dict]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        return f"/ids/{args.name}", {**args.inputs, "name": args.inputs.get("hostPoolName", args.name)}

    def call(self, args: pulumi.runtime.MockCallArgs):
        self.invoked.append((args.token, dict(args.args)))
        return {"token": "eyJ-registration-token", "expirationTime": "2026-12-01T00:00:00Z"}


def test_in_a_deployment_the_token_is_retrieved_from_azure_as_a_secret(args):
    mocks = _DeploymentMocks()
    asyncio.set_event_loop(asyncio.new_event_loop())  # the offline engine of earlier tests closes its own
    pulumi.runtime.set_mocks(mocks, project="amsterdam-workplace", stack="dev", preview=False)
    token = HostPool("avd", args()).registration_token

    @pulumi.runtime.test
    def check():
        def seen(values):
            value, secret = values
            assert value == "eyJ-registration-token" and secret is True
            assert mocks.invoked == [("azure-native:desktopvirtualization:getHostPoolRegistrationToken",
                                      {"hostPoolName": "avd-pool", "resourceGroupName": "rg-workplace"})]
        return pulumi.Output.all(token, pulumi.Output.from_input(token.is_secret())).apply(seen)

    check()


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(HostPool, args)
