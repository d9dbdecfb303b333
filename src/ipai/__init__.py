"""ipai: offline, open AI for intellectual-property information services."""

__version__ = "0.1.0"
