"""Errors that stop a run before work is done, each naming the file, line or key and the fix."""


class ConfigError(ValueError):
    """A configuration value or combination of values that cannot work."""


class InputError(ValueError):
    """A raw input (manifest row, corpus file) that cannot be read as declared."""
