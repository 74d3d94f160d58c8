"""The image gallery under mocks: a private gallery, a generation 2 Windows definition for Trusted Launch only."""

from __future__ import annotations

import pytest

from amsterdam_cloud.components.interfaces import InterfaceError, Lock
from amsterdam_cloud.components.workplace.image_gallery import ImageGallery, ImageGalleryArgs


@pytest.fixture
def args(tags):
    def make(**overrides) -> ImageGalleryArgs:
        values = dict(tags=tags, resource_group_name="rg-hosts", location="westeurope",
                      gallery_name="gal_amsterdam_workplace_dev")
        values.update(overrides)
        return ImageGalleryArgs(**values)
    return make


def test_the_definition_takes_generation_2_windows_images_for_trusted_launch_vms_only(plan_inline, args):
    image = plan_inline(lambda: ImageGallery("images", args())).named("images-image").inputs
    assert (image["osType"], image["osState"], image["hyperVGeneration"]) == ("Windows", "Generalized", "V2")
    assert {"name": "SecurityType", "value": "TrustedLaunch"} in image["features"]
    assert image["identifier"] == {"publisher": "GemeenteAmsterdam", "offer": "avd-win11-m365",
                                   "sku": "win11-24h2-gen2"}


def test_the_gallery_is_shared_with_nobody_and_locked_when_asked(plan_inline, args):
    plan = plan_inline(lambda: ImageGallery("images", args(lock=Lock(), protect=True)))
    gallery = plan.named("images-gallery")
    assert "sharingProfile" not in gallery.inputs and gallery.protect is True
    assert [lock.inputs["scope"] for lock in plan.of_type("azure-native:authorization:ManagementLockByScope")] == [
        gallery.id]


def test_hosts_reference_a_version_of_the_definition(plan_inline, args):
    seen = {}

    def program():
        gallery = ImageGallery("images", args())
        seen["version"] = gallery.version_id("2026.11.0")
        from pulumi_azure_native import resources
        resources.ResourceGroup("probe", resource_group_name="rg-probe", location="westeurope",
                                tags={"reference": seen["version"]})

    plan = plan_inline(program)
    assert plan.named("probe").inputs["tags"]["reference"] == f"{plan.named('images-image').id}/versions/2026.11.0"


@pytest.mark.parametrize("changes, field", [({"gallery_name": "gal-amsterdam"}, "gallery_name"),
                                            ({"image_name": "-avd"}, "image_name")])
def test_names_azure_refuses_name_the_field(args, changes, field):
    with pytest.raises(InterfaceError, match=f"ImageGalleryArgs.{field}"):
        args(**changes)


def test_it_honours_the_interfaces_it_declares_and_refuses_the_others(conforms, args):
    conforms(ImageGallery, args)
