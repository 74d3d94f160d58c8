"""Virtual machines, disks and Azure Virtual Desktop host pools."""
