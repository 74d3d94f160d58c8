"""Profile backup under mocks: a private vault, a daily Azure Files policy with its retention, the share protected."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError
from amsterdam_cloud.components.workplace.profile_backup import BackupRetention, ProfileBackup, ProfileBackupArgs

from .conftest import endpoint

ACCOUNT = ("/subscriptions/00000001-0000-4000-8000-000000000001/resourceGroups/rg-hosts/providers/"
           "Microsoft.Storage/storageAccounts/amsavdprofilesdev")


@pytest.fixture
def args(tags, diagnostics):
    def make(**overrides) -> ProfileBackupArgs:
        values = dict(tags=tags, diagnostic_settings=diagnostics, resource_group_name="rg-hosts",
                      location="westeurope", vault_name="rsv-amsterdam-workplace-dev", storage_account_id=ACCOUNT,
                      storage_account_name="amsavdprofilesdev", share_name="profiles")
        values.update(overrides)
        return ProfileBackupArgs(**values)
    return make


def test_the_vault_takes_no_public_traffic_keeps_deleted_backups_and_alerts_on_failed_jobs(plan_inline, args):
    plan = plan_inline(lambda: ProfileBackup("backup", args()))
    properties = plan.named("backup-vault").inputs["properties"]
    assert properties["publicNetworkAccess"] == "Disabled"
    assert properties["securitySettings"]["softDeleteSettings"]["softDeleteState"] == "Enabled"
    assert properties["securitySettings"]["immutabilitySettings"] == {"state": "Unlocked"}
    assert properties["monitoringSettings"]["azureMonitorAlertSettings"] == {"alertsForAllJobFailures": "Enabled"}
    settings = plan.of_type("azure-native:monitor:DiagnosticSetting")
    assert [s.inputs["resourceUri"] for s in settings] == [plan.named("backup-vault").id]


def test_weekly_points_are_kept_only_when_asked(plan_inline, args):
    daily = plan_inline(lambda: ProfileBackup("backup", args())).named("backup-policy").inputs["properties"]
    assert "weeklySchedule" not in daily["retentionPolicy"]
    assert daily["retentionPolicy"]["dailySchedule"]["retentionDuration"] == {"count": 30, "durationType": "Days"}
    weekly = plan_inline(lambda: ProfileBackup("backup", args(retention=BackupRetention(
        daily_days=30, weekly_weeks=12)))).named("backup-policy").inputs["properties"]["retentionPolicy"]
    assert weekly["weeklySchedule"]["retentionDuration"] == {"count": 12, "durationType": "Weeks"}
    assert weekly["weeklySchedule"]["daysOfTheWeek"] == ["Sunday"]


def test_the_account_is_registered_and_the_share_protected_by_the_policy(plan_inline, args):
    plan = plan_inline(lambda: ProfileBackup("backup", args()))
    container = plan.named("backup-container")
    assert container.inputs["containerName"] == "StorageContainer;Storage;rg-hosts;amsavdprofilesdev"
    assert container.inputs["properties"]["acquireStorageAccountLock"] == "Acquire"
    item = plan.named("backup-share")
    assert item.inputs["containerName"] == container.inputs["containerName"]
    assert item.inputs["properties"]["policyId"] == plan.named("backup-policy").id
    assert container.urn in item.dependencies


@pytest.mark.parametrize("retention", [dict(daily_days=0), dict(daily_days=201), dict(daily_days=150,
                                                                                       weekly_weeks=51)])
def test_retention_beyond_what_a_share_keeps_is_refused(retention):
    with pytest.raises(InterfaceError, match="BackupRetention"):
        BackupRetention(**retention)


def test_a_private_endpoint_is_refused_because_files_backup_needs_none(args):
    with pytest.raises(InterfaceError, match="ProfileBackupArgs.private_endpoints"):
        args(private_endpoints=endpoint("privatelink.file.core.windows.net"))


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(ProfileBackup, args)
