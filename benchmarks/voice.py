"""Print the voice goals: how well a brand's voice is told from others, with and without peers.

    python benchmarks/voice.py --eval-dir PATH/TO/eval [--voicecheck CMD] [--only NAME,...]

For every voice corpus in `--eval-dir` (a CSV with `brand` and `text` columns), three figures,
each from the same draws of posts:
  - `voice_auc.py CORPUS`: voicecheck's one-class model (no peers);
  - `voice_reference.py CORPUS`: a plain character n-gram nearest-neighbour search with IDF
    from the brand's posts alone, the bar the one-class model must clear on every corpus;
  - `voice_auc.py CORPUS --peers 5`: five other voices of the corpus given to `fit --peers`,
    scored on voices it never saw and on its peers' other posts.
Each goal is printed beside its figure with PASS or FAIL. The goals for the support and the
French politics corpora are the project's; every other corpus is held to the reference and
to the false-flag rate. Then `check_cost.py` prints what peers and a brand's kinds of posts
cost `fit` and `check` (on the support corpus), beside their goals.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Per corpus: AUC without peers, and with 5 peers AUC on unseen voices and on the peers.
GOALS = {
    "twcs_support_en.csv": {"auc": 0.90, "unseen": 0.95, "peer_auc": 0.98},
    "fr_politics_tweets_fr.csv": {"auc": 0.85, "unseen": 0.90, "peer_auc": 0.95},
}
#: Goals every corpus shares, with 5 peers.
PEER_DETECTION, PEER_NAMED, FALSE_FLAG = 0.80, 0.80, 0.07


@dataclass
class Figures:
    line: str

    def value(self, label: str) -> float | None:
        """The number after `label` in a summary line ("AUC mean 0.885" → 0.885)."""
        match = re.search(re.escape(label) + r"\s+([0-9.]+|nan)", self.line)
        return float(match.group(1)) if match else None


def voice_corpora(eval_dir: Path) -> list[Path]:
    """The CSV files of `eval_dir` whose posts are labelled with the voice that wrote them."""
    found = []
    for path in sorted(eval_dir.glob("*.csv")):
        with open(path, encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
        if {"brand", "text"} <= set(header):
            found.append(path)
    return found


def last_line(command: list[str]) -> Figures:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = result.stdout.strip().splitlines()
    return Figures(lines[-1] if lines else f"failed: {result.stderr.strip()[-300:]}")


def verdict(figure: float | None, goal: float, higher: bool = True) -> str:
    if figure is None:
        return "FAIL (no figure)"
    met = figure >= goal if higher else figure <= goal
    return f"{figure:.3f} (goal {'≥' if higher else '≤'} {goal:.2f}: {'PASS' if met else 'FAIL'})"


def corpus_lines(corpus: Path, eval_dir: Path, voicecheck: str) -> list[str]:
    auc = [sys.executable, str(eval_dir / "voice_auc.py"), str(corpus), "--voicecheck", voicecheck]
    plain = last_line(auc)
    reference = last_line([sys.executable, str(HERE / "voice_reference.py"), str(corpus)])
    peers = last_line([*auc, "--peers", "5"])
    goals = GOALS.get(corpus.name, {})
    bar = reference.value("AUC mean") or 0.0
    name = corpus.name
    lines = [
        f"voice   {plain.line}",
        f"voice   {reference.line}",
        f"voice   {name}: no peers, AUC {verdict(plain.value('AUC mean'), bar)} against the reference; "
        f"false-flag {verdict(plain.value('false-flag'), FALSE_FLAG, higher=False)}",
        f"peers   {peers.line}",
        f"peers   {name}: peer detection {verdict(peers.value('peer detection'), PEER_DETECTION)}; "
        f"peer named {verdict(peers.value('peer named'), PEER_NAMED)}; "
        f"false-flag {verdict(peers.value('false-flag'), FALSE_FLAG, higher=False)}",
    ]
    if goals:
        lines.insert(
            3,
            f"voice   {name}: no peers, AUC {verdict(plain.value('AUC mean'), goals['auc'])}",
        )
        lines.append(
            f"peers   {name}: unseen voices AUC {verdict(peers.value('AUC mean'), goals['unseen'])}; "
            f"peer AUC {verdict(peers.value('peer AUC mean'), goals['peer_auc'])}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, required=True, help="folder with the corpora and voice_auc.py")
    parser.add_argument("--voicecheck", default="voicecheck", help="command that runs voicecheck")
    parser.add_argument("--only", default="", help="comma-separated corpus file names (default: every one)")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    for corpus in voice_corpora(args.eval_dir):
        if only and corpus.name not in only:
            continue
        for line in corpus_lines(corpus, args.eval_dir, args.voicecheck):
            print(line, flush=True)
    if not only or "twcs_support_en.csv" in only:
        cost_command = [sys.executable, str(HERE / "check_cost.py"), "--eval-dir", str(args.eval_dir)]
        cost = subprocess.run(cost_command, check=False)
        if cost.returncode:
            sys.exit(f"check_cost.py failed (exit {cost.returncode}): its figures are missing")


if __name__ == "__main__":
    main()
