"""The digital workplace program (Azure Virtual Desktop): its own Pulumi project, one stack per environment."""
