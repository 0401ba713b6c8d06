"""Reading an evaluation corpus as the voice scripts draw from it: each voice's texts, shuffled."""

from __future__ import annotations

import csv
import random
from pathlib import Path


def shuffled_voices(path: Path, least: int, seed: int = 0) -> tuple[dict[str, list[str]], random.Random]:
    """The texts of each voice with at least `least` posts, in name order, each shuffled by one
    generator seeded with `seed` (as the evaluation's `voice_auc.py` shuffles them), and that
    generator, for the draws that follow."""
    csv.field_size_limit(10**8)
    by_voice: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_voice.setdefault(row["brand"], []).append(row["text"])
    rng = random.Random(seed)
    kept = {}
    for voice in sorted(by_voice):
        if len(by_voice[voice]) >= least:
            rng.shuffle(by_voice[voice])
            kept[voice] = by_voice[voice]
    return kept, rng
