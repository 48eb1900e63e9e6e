"""voicereflect: an offline voice reflection assistant."""

__version__ = "0.1.0"
