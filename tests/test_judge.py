"""Judging: the notes made once per model and reused for every post that needs them."""

from __future__ import annotations

from voicecheck.judge import judging
from voicecheck.store import SavedModel


def test_a_new_channel_is_worked_out_once_and_told_apart_from_a_typo(sample_model: SavedModel) -> None:
    context = judging(sample_model)
    typo, new = context.new_channel("instagrm"), context.new_channel("tiktok")
    assert (typo.code, dict(typo.figures)) == ("new_channel_typo", {"channel": "instagrm", "nearest": "instagram"})
    assert (new.code, dict(new.figures)) == ("new_channel", {"channel": "tiktok"})
    assert context.new_channel("instagrm") is typo  # the same note, not a second search
    assert judging(sample_model) is context
