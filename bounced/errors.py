"""The small exception hierarchy that library code raises and the CLI reports."""


class BouncedError(Exception):
    """Base class of every error bounced raises on purpose."""


class ConfigError(BouncedError):
    """The configuration is missing, unreadable or invalid."""


class StoreError(BouncedError):
    """The database cannot be opened or written."""


class VerpError(BouncedError):
    """A VERP address cannot be encoded or decoded."""


class InputError(BouncedError):
    """An input path does not exist or cannot be read."""
