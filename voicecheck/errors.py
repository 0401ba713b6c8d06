"""Errors the library raises; the CLI turns each into a message and exit code 2."""


class VoicecheckError(Exception):
    """Base class: something the user can fix (input, profile or model)."""


class InputError(VoicecheckError):
    """A posts file that cannot be read as posts."""


class ProfileError(VoicecheckError):
    """A brand.toml that is malformed or has unknown keys."""


class ModelError(VoicecheckError):
    """A model directory that is missing, corrupt or from an incompatible version."""
