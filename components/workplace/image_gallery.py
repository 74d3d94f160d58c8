"""The session hosts' image definition in an Azure Compute Gallery: where the city's golden image versions go.

The image pipeline (Azure Image Builder or Packer, outside this stack) publishes versions `Major.Minor.Patch` into
the definition; session hosts are built from `<definition id>/versions/<version>`. Secure by default: the gallery is
shared with nobody (RBAC only: no community, direct or cross-tenant sharing); the definition takes generation 2
Windows images for Trusted Launch VMs only, as the hosts are built (`components/compute/baseline.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import compute

from amsterdam_cloud.components.interfaces import NO_DIAGNOSTICS, CommonArgs, WithInterfaces, require_name, supports

IMAGE_FEATURES = (("SecurityType", "TrustedLaunch"), ("IsAcceleratedNetworkSupported", "True"))
"""Gallery image features: Trusted Launch VMs only (secure boot, vTPM); the hosts' NICs use accelerated
networking."""


@dataclass(frozen=True, kw_only=True)
class ImageGalleryArgs(CommonArgs):
    SUPPORTS = supports("lock", "role_assignments", "protect",
                        reason="a gallery has no logs, private endpoint or identity")
    resource_group_name: pulumi.Input[str]
    """The gallery's resource group (the hosts'); the component never creates it."""
    location: str
    """The gallery's home region (the hosts'); image versions are replicated to it by the image pipeline."""
    gallery_name: str
    """1-80 letters, digits, underscores and periods (no hyphens), e.g. gal_amsterdam_workplace_prod."""
    image_name: str = "win11-avd-m365"
    """The image definition's name in the gallery."""
    publisher: str = "GemeenteAmsterdam"
    """The definition's identifier (publisher, offer, sku): unique in the gallery, fixed once created."""
    offer: str = "avd-win11-m365"
    sku: str = "win11-24h2-gen2"
    description: str = "Windows 11 multi-session with Microsoft 365 Apps: the city's AVD session host image"
    """What the gallery and the definition say they hold."""

    def __post_init__(self) -> None:
        super().__post_init__()
        require_name("azure-native:compute:Gallery", self.gallery_name, "ImageGalleryArgs.gallery_name")
        require_name("azure-native:compute:GalleryImage", self.image_name, "ImageGalleryArgs.image_name")


class ImageGallery(WithInterfaces, pulumi.ComponentResource):
    """The gallery (`resource_id`, `name`) and its image definition (`image_definition_id`); `version_id(v)` is
    the id session hosts reference. A gallery has no diagnostic logs or metrics."""

    def __init__(self, name: str, args: ImageGalleryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("amsterdam:workplace:ImageGallery", name, None, opts)
        tags = dict(args.tags)
        gallery = compute.Gallery(
            f"{name}-gallery", gallery_name=args.gallery_name, resource_group_name=args.resource_group_name,
            location=args.location, description=args.description, tags=tags,
            opts=self.child_options(args, stateful=True))
        self.add_interfaces(name, scope_id=gallery.id, args=args, diagnostics=NO_DIAGNOSTICS)
        image = compute.GalleryImage(
            f"{name}-image", gallery_name=gallery.name, gallery_image_name=args.image_name,
            resource_group_name=args.resource_group_name, location=args.location, description=args.description,
            os_type=compute.OperatingSystemTypes.WINDOWS,
            os_state=compute.OperatingSystemStateTypes.GENERALIZED, hyper_v_generation="V2", architecture="x64",
            identifier=compute.GalleryImageIdentifierArgs(publisher=args.publisher, offer=args.offer, sku=args.sku),
            features=[compute.GalleryImageFeatureArgs(name=feature, value=value) for feature, value in IMAGE_FEATURES],
            tags=tags, opts=self.child_options(args, stateful=True))
        self.resource_id, self.name = gallery.id, gallery.name
        self.image_definition_id = image.id
        self.register_outputs({"resource_id": self.resource_id, "name": self.name,
                               "image_definition_id": self.image_definition_id})

    def version_id(self, version: str) -> pulumi.Output[str]:
        """The id of one image version of the definition (the image pipeline publishes it)."""
        return pulumi.Output.concat(self.image_definition_id, "/versions/", version)
