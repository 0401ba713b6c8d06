"""voicecheck: learn a brand's voice and flag posts that drift from it."""

__version__ = "0.1.0"

#: Version of the on-disk model layout; a model written with another one is refused.
MODEL_FORMAT = 12
