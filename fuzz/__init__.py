"""Fuzz targets for voicecheck, run on demand: `python -m fuzz.readers --help`."""
