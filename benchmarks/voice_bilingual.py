"""A brand that writes in English and French: how well is its voice told from others?

    python benchmarks/voice_bilingual.py --eval-dir PATH/TO/eval [--voicecheck CMD]

The evaluation corpora hold one language each, so a bilingual brand is made of two voices:
the i-th English voice of `twcs_support_en.csv` with the i-th French voice of
`fr_politics_tweets_fr.csv`, in name order, among voices with 200 posts or more (9 pairs in
the corpora as shipped). As in `voice_auc.py`, per brand:
`voicecheck fit` on 100 posts of each of its two voices, then `voicecheck check` on 100
held-out posts of each and on 200 posts of other voices, half English and half French. The
files carry no language column: voicecheck detects it. Prints ROC-AUC of `score`, the
false-flag rate (the brand's own posts flagged) and the detection rate (other voices' posts
flagged), per brand and as means, in the same form as `voice_auc.py`.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from corpora import shuffled_voices
from sklearn.metrics import roc_auc_score

TRAIN, TEST = 100, 100


def voices(path: Path) -> dict[str, list[str]]:
    """Each voice's texts, shuffled with a fixed seed, for voices with enough posts."""
    return shuffled_voices(path, TRAIN + TEST)[0]


def write(path: Path, texts: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "channel"])
        writer.writerows((f"p{i}", text, "twitter") for i, text in enumerate(texts))


def strangers(corpus: dict[str, list[str]], own: str, count: int, rng: random.Random) -> list[str]:
    others = [voice for voice in corpus if voice != own]
    return [rng.choice(corpus[rng.choice(others)][TRAIN:]) for _ in range(count)]


def judge(command: list[str], train: list[str], test: list[str]) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        write(work / "train.csv", train)
        write(work / "test.csv", test)
        for args in (["fit", work / "train.csv", "--out", work / "model"],
                     ["check", "--model", work / "model", "--format", "jsonl", "--fail-on", "never",
                      work / "test.csv"]):  # fmt: skip
            done = subprocess.run([*command, *map(str, args)], capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"{args[0]} failed ({done.returncode}): {done.stderr[-500:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, required=True)
    parser.add_argument("--voicecheck", default="voicecheck", help="the command to run (default: voicecheck)")
    args = parser.parse_args()
    english = voices(args.eval_dir / "twcs_support_en.csv")
    french = voices(args.eval_dir / "fr_politics_tweets_fr.csv")
    rng = random.Random(1)
    aucs, false_flags, detections = [], [], []
    for en_voice, fr_voice in zip(english, french, strict=False):
        train = english[en_voice][:TRAIN] + french[fr_voice][:TRAIN]
        own = english[en_voice][TRAIN : TRAIN + TEST] + french[fr_voice][TRAIN : TRAIN + TEST]
        others = strangers(english, en_voice, TEST, rng) + strangers(french, fr_voice, TEST, rng)
        results = judge(args.voicecheck.split(), train, own + others)
        truth = [1] * len(own) + [0] * len(others)
        scores = [float(r["score"]) for r in results]
        flagged = [bool(r["flagged"]) for r in results]
        aucs.append(roc_auc_score(truth, scores))
        false_flags.append(sum(flagged[: len(own)]) / len(own))
        detections.append(sum(flagged[len(own) :]) / len(others))
        print(f"{en_voice + ' + ' + fr_voice:40s} auc {aucs[-1]:.3f} false-flag {false_flags[-1]:.2f} "
              f"detect {detections[-1]:.2f}", flush=True)  # fmt: skip
    print(f"bilingual brands: {len(aucs)} AUC mean {_mean(aucs):.3f} min {min(aucs):.3f} | "
          f"false-flag {_mean(false_flags):.3f} | detection {_mean(detections):.3f}")  # fmt: skip


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


if __name__ == "__main__":
    main()
