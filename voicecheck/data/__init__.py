"""Data shipped with voicecheck: the background model of ordinary English and French, and word registers."""
