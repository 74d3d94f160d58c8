"""The digital workplace: Azure Virtual Desktop for city staff (host pool, session hosts, FSLogix profiles)."""
