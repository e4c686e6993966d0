"""Errors that stop a run before work is done, with a message naming the culprit and the fix."""


class ConfigError(ValueError):
    """A config value (or a combination of values) that cannot work."""


class InputError(ValueError):
    """An input file whose content cannot be processed."""
