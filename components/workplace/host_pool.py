"""An Azure Virtual Desktop host pool with its one application group, its AVD workspace and its scaling plan.

Secure by default: the metadata (management plane) lives in an EU metadata region; the host pool and workspace
take no public traffic (session hosts and clients come in over private endpoints), opting clients in from the
internet is a visible switch; one kind of application group per pool (a desktop *or* RemoteApps, never mixed: a
user given both gets two connections to the same hosts); clipboard, drive, USB and port redirection are off;
start-VM-on-connect is on and an office-hours scaling plan stops what nobody uses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

import pulumi
from pulumi_azure_native import desktopvirtualization as avd

from amsterdam_cloud.components.interfaces import (CommonArgs, DiagnosticSupport, InterfaceError, PrivateEndpoint,
                                                   RoleAssignment, WithInterfaces, create_diagnostic_settings,
                                                   create_private_endpoints, create_role_assignments, supports)
from amsterdam_cloud.components.workplace.schedule import DAYS, OfficeHours
from amsterdam_cloud.components.workplace.sizing import POOL_TYPES
from amsterdam_cloud.core.regions import AVD_EU_METADATA_REGIONS, normalize_location

APPLICATION_GROUP_TYPES = ("Desktop", "RemoteApp")
EXPIRY_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
"""How a registration token's expiry is written (ISO 8601, UTC)."""
AVD_LOGS = DiagnosticSupport(logs=True, metrics=False)
"""AVD objects send logs (connections, errors, checkpoints, autoscale), they have no platform metrics."""

SECURE_RDP_PROPERTIES = ";".join((
    "enablerdsaadauth:i:1",        # single sign-on with Entra ID to Entra-joined hosts
    "targetisaadjoined:i:1",
    "redirectclipboard:i:0",       # no copying data out of the workplace
    "drivestoredirect:s:",         # no local drives
    "usbdevicestoredirect:s:",     # no USB devices
    "redirectcomports:i:0",
    "redirectsmartcards:i:1",
    "redirectprinters:i:1",
    "audiomode:i:0",
    "audiocapturemode:i:1",        # Teams calls
    "camerastoredirect:s:*",
    "use multimon:i:1",
    "screen capture protection:i:1",
    "redirectwebauthn:i:1",
))
"""RDP properties: Entra SSO, Teams audio and camera; no clipboard, drive, USB or port redirection; screen capture
protection on."""


@dataclass(frozen=True, kw_only=True)
class RemoteApp:
    """One application published from the pool's hosts (RemoteApp application groups only)."""

    name: str
    """The application's name in the group (letters, digits, hyphens)."""
    file_path: str
    """The executable on the session hosts, e.g. C:\\Program Files\\...\\app.exe."""
    friendly_name: str | None = None
    """The name users see; unset: the application's name."""
    command_line_arguments: str | None = None
    """Fixed arguments; unset: the application starts without arguments, and clients cannot add any."""

    def __post_init__(self) -> None:
        if not self.name or not all(c.isalnum() or c == "-" for c in self.name):
            raise InterfaceError(f"RemoteApp.name: {self.name!r}; expected letters, digits and hyphens")
        if not self.file_path:
            raise InterfaceError(f"RemoteApp.file_path: empty for {self.name}; expected the path of the executable")


@dataclass(frozen=True, kw_only=True)
class Registration:
    """The host registration token, renewed on purpose: its expiry comes from config (the hour it was renewed plus
    its lifetime), never from the clock, so a deployment that renews nothing sends the pool the same input and
    Azure issues no new token."""

    expires: str
    """ISO 8601 UTC time the token expires (AVD accepts 1 hour to 30 days ahead when it issues one)."""
    renew: bool = True
    """True: the pool holds a token with this expiry (issued when `expires` changes); False: the window is over,
    the pool is sent operation None and no expiry, so a later change to the pool is not refused for an expiry in
    the past (Azure: "ExpirationTime value must be between one hour and 30 days from now") and no host registers."""

    def __post_init__(self) -> None:
        try:
            dt.datetime.strptime(self.expires, EXPIRY_FORMAT)
        except ValueError:
            raise InterfaceError(f"Registration.expires: {self.expires!r}; expected an ISO 8601 UTC time such as "
                                 "2026-12-04T08:00:00Z") from None

    def as_registration_info(self) -> avd.RegistrationInfoArgs:
        if self.renew:
            return avd.RegistrationInfoArgs(expiration_time=self.expires, registration_token_operation="Update")
        return avd.RegistrationInfoArgs(registration_token_operation="None")


@dataclass(frozen=True, kw_only=True)
class HostPoolArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "diagnostic_settings", "private_endpoints",
                        reason="the host pool needs no identity and holds no state (the profiles do)")
    resource_group_name: pulumi.Input[str]
    """Resource group of the AVD objects (in the metadata location); the component never creates it."""
    metadata_location: str
    """Where AVD keeps the pool's, group's, workspace's and plan's metadata: westeurope or northeurope."""
    friendly_name: str
    """The name users see for the workspace and desktop."""
    max_session_limit: int
    """Sessions one host takes at most (from the sizing formula)."""
    pool_type: str = "Pooled"
    """Pooled: users share multi-session hosts; Personal: each user gets a desktop of their own."""
    application_group_type: str = "Desktop"
    """Desktop: users get the full desktop; RemoteApp: they get the applications in `remote_apps` only."""
    remote_apps: tuple[RemoteApp, ...] = ()
    """The applications a RemoteApp group publishes; must be empty for a Desktop group."""
    user_group_ids: tuple[str, ...] = ()
    """Entra ID groups whose members may use the workplace (Desktop Virtualization User on the application group);
    empty: nobody is assigned yet."""
    office_hours: OfficeHours = field(default_factory=OfficeHours)
    """Monday to Friday, 07:00-19:00 Amsterdam time; other days hosts run only on demand."""
    start_vm_on_connect: bool = True
    """On: a user's connection starts a stopped host (the scaling plan can stop them all at night)."""
    clients_from_internet: bool = False
    """Off: clients and session hosts reach the pool and workspace only over private endpoints (the city network or
    VPN); on: clients may connect from the internet (EnabledForClientsOnly), session hosts still only privately."""
    rdp_properties: str = SECURE_RDP_PROPERTIES
    """Entra SSO, Teams; no clipboard, drive, USB or port redirection (see SECURE_RDP_PROPERTIES)."""
    registration: Registration | None = None
    """The registration token window (renewed on purpose, see `Registration`); unset: no token, no new host can
    register."""
    agent_update_day: str = "Saturday"
    """Day of the week the AVD agent updates (at 02:00 office time); Saturday: outside office days."""
    scaling_exclusion_tag: str = "avd-scaling-exclude"
    """A host tagged with this is left alone by the scaling plan (for maintenance)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        location = normalize_location(self.metadata_location)
        if location not in AVD_EU_METADATA_REGIONS:
            raise InterfaceError(f"HostPoolArgs.metadata_location: {self.metadata_location!r} keeps AVD metadata "
                                 f"outside the EU; expected {' or '.join(sorted(AVD_EU_METADATA_REGIONS))}")
        if self.pool_type not in POOL_TYPES:
            raise InterfaceError(f"HostPoolArgs.pool_type: {self.pool_type!r}; expected {' or '.join(POOL_TYPES)}")
        if self.application_group_type not in APPLICATION_GROUP_TYPES:
            raise InterfaceError(f"HostPoolArgs.application_group_type: {self.application_group_type!r}; expected "
                                 f"{' or '.join(APPLICATION_GROUP_TYPES)}")
        if self.application_group_type == "RemoteApp" and not self.remote_apps:
            raise InterfaceError("HostPoolArgs.remote_apps: empty; a RemoteApp group needs the applications it "
                                 "publishes")
        if self.application_group_type == "Desktop" and self.remote_apps:
            raise InterfaceError("HostPoolArgs.remote_apps: a Desktop group publishes the desktop, not applications; "
                                 "put RemoteApps in a pool of their own (never mixed in one pool)")
        if self.application_group_type == "RemoteApp" and self.pool_type == "Personal":
            raise InterfaceError("HostPoolArgs.application_group_type: RemoteApp on a Personal pool; publish "
                                 "applications from a Pooled pool")
        if not 1 <= self.max_session_limit <= 999_999:
            raise InterfaceError(f"HostPoolArgs.max_session_limit: {self.max_session_limit}; expected at least 1")
        if not self.private_endpoints:
            raise InterfaceError("HostPoolArgs.private_endpoints: empty; session hosts reach the pool, and clients "
                                 "the workspace, only over a private endpoint: pass one in the workplace's endpoint "
                                 "subnet with the privatelink.wvd.microsoft.com zone")
        if self.agent_update_day not in DAYS:
            raise InterfaceError(f"HostPoolArgs.agent_update_day: {self.agent_update_day!r}; expected a day name")
        names = [app.name for app in self.remote_apps]
        if len(set(names)) != len(names):
            raise InterfaceError(f"HostPoolArgs.remote_apps: {names} names an application twice")


def _time(value: str) -> avd.TimeArgs:
    hour, minute = OfficeHours.clock(value)
    return avd.TimeArgs(hour=hour, minute=minute)


def pooled_schedules(hours: OfficeHours) -> list[avd.ScalingScheduleArgs]:
    """Office days keep a share of the hosts warm; quiet days start hosts only when someone connects."""
    def schedule(name: str, days: tuple[str, ...], minimum_pct: int) -> avd.ScalingScheduleArgs:
        return avd.ScalingScheduleArgs(
            name=name, days_of_week=list(days),
            ramp_up_start_time=_time(hours.ramp_up_start), ramp_up_load_balancing_algorithm="BreadthFirst",
            ramp_up_minimum_hosts_pct=minimum_pct, ramp_up_capacity_threshold_pct=hours.ramp_up_capacity_threshold_pct,
            peak_start_time=_time(hours.peak_start), peak_load_balancing_algorithm="BreadthFirst",
            ramp_down_start_time=_time(hours.ramp_down_start), ramp_down_load_balancing_algorithm="DepthFirst",
            ramp_down_minimum_hosts_pct=hours.ramp_down_minimum_hosts_pct,
            ramp_down_capacity_threshold_pct=hours.ramp_down_capacity_threshold_pct,
            ramp_down_force_logoff_users=False, ramp_down_stop_hosts_when="ZeroActiveSessions",
            ramp_down_wait_time_minutes=hours.ramp_down_wait_minutes,
            ramp_down_notification_message="Your session host is being shut down; please save your work and sign "
                                           "out. Sign in again to continue on another host.",
            off_peak_start_time=_time(hours.off_peak_start), off_peak_load_balancing_algorithm="DepthFirst")

    schedules = [schedule("office-days", hours.days, hours.ramp_up_minimum_hosts_pct)]
    if hours.quiet_days:
        schedules.append(schedule("quiet-days", hours.quiet_days, 0))
    return schedules


class HostPool(WithInterfaces, pulumi.ComponentResource):
    """The pool, its application group, AVD workspace (`avd_workspace_id`) and scaling plan. `resource_id`/`name`:
    the host pool's; `registration_token`: the secret session hosts register with (unknown in a preview)."""

    def __init__(self, name: str, args: HostPoolArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:workplace:HostPool", name, None, opts)
        tags = dict(args.tags)
        location = normalize_location(args.metadata_location)
        child = pulumi.ResourceOptions(parent=self)
        hours = args.office_hours
        pooled = args.pool_type == "Pooled"
        desktop = args.application_group_type == "Desktop"
        pool = avd.HostPool(
            f"{name}-pool", resource_group_name=args.resource_group_name, location=location,
            host_pool_name=f"{name}-pool", friendly_name=args.friendly_name,
            description=f"{args.friendly_name}: {args.pool_type.lower()} host pool",
            host_pool_type=args.pool_type, load_balancer_type="BreadthFirst" if pooled else "Persistent",
            personal_desktop_assignment_type=None if pooled else "Automatic",
            max_session_limit=args.max_session_limit if pooled else 1,
            preferred_app_group_type="Desktop" if desktop else "RailApplications",
            start_vm_on_connect=args.start_vm_on_connect, validation_environment=False,
            public_network_access="EnabledForClientsOnly" if args.clients_from_internet else "Disabled",
            custom_rdp_property=args.rdp_properties,
            registration_info=args.registration.as_registration_info() if args.registration else None,
            agent_update=avd.AgentUpdatePropertiesArgs(
                type="Scheduled", use_session_host_local_time=False, maintenance_window_time_zone=hours.time_zone,
                maintenance_windows=[avd.MaintenanceWindowPropertiesArgs(day_of_week=avd.DayOfWeek(args.agent_update_day),
                                                                         hour=2)]),
            tags=tags, opts=child)
        self.add_interfaces(name, scope_id=pool.id, args=args, diagnostics=AVD_LOGS,
                            private_endpoint_group_id="connection", resource_group_name=args.resource_group_name,
                            location=location)

        group = avd.ApplicationGroup(
            f"{name}-apps", resource_group_name=args.resource_group_name, location=location,
            application_group_name=f"{name}-{'desktop' if desktop else 'apps'}",
            application_group_type=args.application_group_type, host_pool_arm_path=pool.id,
            friendly_name=args.friendly_name, description=f"{args.application_group_type} for {args.friendly_name}",
            tags=tags, opts=child)
        create_diagnostic_settings(f"{name}-apps", resource_uri=group.id, settings=args.diagnostic_settings,
                                   support=AVD_LOGS, parent=self)
        create_role_assignments(f"{name}-apps", scope_id=group.id, parent=self, assignments=[
            RoleAssignment(role="Desktop Virtualization User", principal_id=group_id, principal_type="Group",
                           description=f"Members use {args.friendly_name}") for group_id in args.user_group_ids])
        for app in args.remote_apps:
            avd.Application(
                f"{name}-app-{app.name}", resource_group_name=args.resource_group_name,
                application_group_name=group.name, application_name=app.name, file_path=app.file_path,
                friendly_name=app.friendly_name or app.name, command_line_arguments=app.command_line_arguments,
                command_line_setting="Require" if app.command_line_arguments else "DoNotAllow",
                show_in_portal=True, opts=pulumi.ResourceOptions(parent=group))

        avd_workspace = avd.Workspace(
            f"{name}-workspace", resource_group_name=args.resource_group_name, location=location,
            workspace_name=f"{name}-workspace", friendly_name=args.friendly_name,
            application_group_references=[group.id],
            public_network_access="Enabled" if args.clients_from_internet else "Disabled",
            tags=tags, opts=child)
        create_diagnostic_settings(f"{name}-workspace", resource_uri=avd_workspace.id,
                                   settings=args.diagnostic_settings, support=AVD_LOGS, parent=self)
        feed = tuple(PrivateEndpoint(subnet_id=e.subnet_id, private_dns_zone_ids=e.private_dns_zone_ids,
                                     group_id="feed", location=e.location,
                                     resource_group_name=e.resource_group_name,
                                     name=f"feed-{index}" if len(args.private_endpoints) > 1 else "feed")
                     for index, e in enumerate(args.private_endpoints))
        create_private_endpoints(f"{name}-workspace", resource_id=avd_workspace.id, endpoints=feed,
                                 default_group_id="feed", resource_group_name=args.resource_group_name,
                                 location=location, tags=tags, parent=self, lock=args.lock)

        plan = avd.ScalingPlan(
            f"{name}-scaling", resource_group_name=args.resource_group_name, location=location,
            scaling_plan_name=f"{name}-scaling", friendly_name=f"{args.friendly_name}: office hours",
            time_zone=hours.time_zone, host_pool_type=args.pool_type, exclusion_tag=args.scaling_exclusion_tag,
            host_pool_references=[avd.ScalingHostPoolReferenceArgs(host_pool_arm_path=pool.id,
                                                                   scaling_plan_enabled=True)],
            schedules=pooled_schedules(hours) if pooled else None, tags=tags, opts=child)
        create_diagnostic_settings(f"{name}-scaling", resource_uri=plan.id, settings=args.diagnostic_settings,
                                   support=AVD_LOGS, parent=self)
        if not pooled:
            self._personal_schedules(name, args, plan)

        self.resource_id, self.name = pool.id, pool.name
        self.application_group_id = group.id
        self.avd_workspace_id = avd_workspace.id
        self.scaling_plan_id = plan.id
        if args.registration and not args.registration.renew:
            pulumi.log.warn(f"{name}: the host registration window ends at {args.registration.expires} (less than "
                            "an hour left, or over); hosts already registered are unaffected, hosts created now "
                            "cannot register: renew the token (registrationTokenRenewedAt: the current hour) before "
                            "adding or replacing hosts", resource=pool)
        self.registration_token = _registration_token(pool, args.resource_group_name) if args.registration else None
        """Secret; unknown in a preview (the token exists only once the pool does); None without registration.
        Hosts take it only when they are created (their agent extension ignores later changes)."""
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "application_group_id": self.application_group_id,
                               "workspace_id": self.avd_workspace_id, "scaling_plan_id": self.scaling_plan_id})

    def _personal_schedules(self, name: str, args: HostPoolArgs, plan: avd.ScalingPlan) -> None:
        """Personal desktops: started on connect, deallocated when their user has been gone a while."""
        hours = args.office_hours
        wait = hours.disconnected_minutes
        for role, days in (("office-days", hours.days), ("quiet-days", hours.quiet_days)):
            if not days:
                continue
            avd.ScalingPlanPersonalSchedule(
                f"{name}-scaling-{role}", resource_group_name=args.resource_group_name,
                scaling_plan_name=plan.name, scaling_plan_schedule_name=role, days_of_week=list(days),
                ramp_up_start_time=_time(hours.ramp_up_start), ramp_up_start_vm_on_connect="Enable",
                ramp_up_auto_start_hosts="None", ramp_up_action_on_disconnect="None",
                ramp_up_action_on_logoff="None",
                peak_start_time=_time(hours.peak_start), peak_start_vm_on_connect="Enable",
                peak_action_on_disconnect="Deallocate", peak_minutes_to_wait_on_disconnect=wait,
                peak_action_on_logoff="Deallocate", peak_minutes_to_wait_on_logoff=hours.ramp_down_wait_minutes,
                ramp_down_start_time=_time(hours.ramp_down_start), ramp_down_start_vm_on_connect="Enable",
                ramp_down_action_on_disconnect="Deallocate", ramp_down_minutes_to_wait_on_disconnect=wait,
                ramp_down_action_on_logoff="Deallocate",
                ramp_down_minutes_to_wait_on_logoff=hours.ramp_down_wait_minutes,
                off_peak_start_time=_time(hours.off_peak_start), off_peak_start_vm_on_connect="Enable",
                off_peak_action_on_disconnect="Deallocate", off_peak_minutes_to_wait_on_disconnect=wait,
                off_peak_action_on_logoff="Deallocate",
                off_peak_minutes_to_wait_on_logoff=hours.ramp_down_wait_minutes,
                opts=pulumi.ResourceOptions(parent=plan))


def _registration_token(pool: avd.HostPool, resource_group_name: pulumi.Input[str]) -> pulumi.Output[str]:
    """The pool's registration token. Azure returns it only from retrieveRegistrationToken (never on the pool
    itself since API 2023-09-05, pulumi-azure-native#3317), and only once the pool exists: in a preview it is
    unknown, as it is for a pool not yet created, so the lookup runs only in a deployment."""
    if pulumi.runtime.is_dry_run():
        return pulumi.Output.secret(pool.id.apply(lambda _: cast(str, pulumi.output.UNKNOWN)))  # unknown: a str
    token = avd.get_host_pool_registration_token_output(host_pool_name=pool.name,
                                                       resource_group_name=resource_group_name)
    return pulumi.Output.secret(token.apply(lambda result: cast(str, result.token)))  # set: registration is
