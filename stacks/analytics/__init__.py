"""The analytics project (`amsterdam-analytics`): the data teams' workspaces, one stack per environment."""
