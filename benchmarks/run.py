"""Print every figure voicecheck is measured by: voice, tone, speed and memory.

    python benchmarks/run.py --eval-dir PATH/TO/eval [--skip voice,tone,service,speed,memory]

`--eval-dir` is a folder holding the evaluation corpora and their scripts (`voice_auc.py`,
`tone_formality.py`, the voice corpora, `formality_en.csv`, `formality_fr_pairs.csv`); the
voice figures are every voice corpus there with and without peers, beside a nearest-neighbour
reference, with what peers cost `fit` and `check` (`voice.py`, which runs `check_cost.py`),
and bilingual brands made of an English and a French voice (`voice_bilingual.py`).
Everything runs the installed `voicecheck` command in subprocesses, as users do. Times are
medians of repeated runs; each speed goal is printed with its ratio against a peer measured
in the same run (`speed.py`: spaCy's own start-up for a cold check, one process for `--jobs
2`, proselint on the same posts for throughput), since
absolute times on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TONE_PAIRS = HERE / "tone_pairs.csv"


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]


def voice(eval_dir: Path) -> list[str]:
    """Every voice corpus with and without peers, beside the nearest-neighbour reference (`voice.py`)."""
    result = run([sys.executable, str(HERE / "voice.py"), "--eval-dir", str(eval_dir)])
    lines = result.stdout.strip().splitlines() or [f"voice   failed: {result.stderr[-300:]}"]
    bilingual = HERE / "voice_bilingual.py"
    result = run([sys.executable, str(bilingual), "--eval-dir", str(eval_dir)])
    lines.append(f"voice   {_last_line(result)}")
    return lines


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-300:]


def tone(eval_dir: Path) -> list[str]:
    result = run([
        sys.executable, str(eval_dir / "tone_formality.py"),
        "--en", str(eval_dir / "formality_en.csv"), "--fr", str(eval_dir / "formality_fr_pairs.csv"),
    ])  # fmt: skip
    lines = [f"tone    {_last_line(result)}"]
    lines.append(f"tone    {tone_pairs()}")
    return lines


def tone_pairs() -> str:
    """Share of hand-labelled pairs (benchmarks/tone_pairs.csv) ordered right, per dimension."""
    with open(TONE_PAIRS, encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "lang", "text"])
            for i, pair in enumerate(pairs):
                writer.writerow([f"more{i}", pair["lang"], pair["more"]])
                writer.writerow([f"less{i}", pair["lang"], pair["less"]])
        result = run(["voicecheck", "tone", "--format", "jsonl", "-q", str(path)])
    tones = {o["id"]: o["tone"] for o in map(json.loads, result.stdout.splitlines())}
    parts = []
    for dimension in ("formality", "humor", "irreverence", "enthusiasm"):
        rows = [i for i, p in enumerate(pairs) if p["dimension"] == dimension]
        right = sum(tones[f"more{i}"][dimension] > tones[f"less{i}"][dimension] for i in rows)
        parts.append(f"{dimension} {right}/{len(rows)}")
    return "own labelled pairs ordered right (en+fr): " + ", ".join(parts)


def speed_and_memory(eval_dir: Path, skip: set[str], proselint: str | None) -> list[str]:
    """The speed and memory goals, each with its figure and its peer measured beside it (`speed.py`)."""
    parts = {"fit", "cold", "throughput"} if "speed" in skip else set()
    parts |= {"memory"} if "memory" in skip else set()
    command = [sys.executable, str(HERE / "speed.py"), "--eval-dir", str(eval_dir), "--skip", ",".join(sorted(parts))]
    if proselint:
        command += ["--proselint", proselint]
    result = run(command)
    return result.stdout.strip().splitlines() or [f"speed   failed: {result.stderr[-300:]}"]


def service(eval_dir: Path) -> list[str]:
    del eval_dir  # the service is measured on the sample brand's posts
    result = run([sys.executable, str(HERE / "service_latency.py")])
    return [result.stdout.strip() or f"service failed: {result.stderr[-300:]}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, required=True, help="folder with the evaluation corpora")
    parser.add_argument("--skip", default="", help="comma-separated: voice, tone, service, speed, memory")
    parser.add_argument("--proselint", default=shutil.which("proselint"),
                        help="how to run proselint beside check's throughput (default: proselint on PATH)")  # fmt: skip
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    version = run(["voicecheck", "--version"]).stdout.strip()
    print(f"# {version} | Python {platform.python_version()} | {platform.machine()} | "
          f"{time.strftime('%Y-%m-%d')}", flush=True)  # fmt: skip
    sections = [("tone", tone), ("voice", voice), ("service", service)]
    for name, function in sections:
        if name not in skip:
            for line in function(args.eval_dir):
                print(line, flush=True)
    if not {"speed", "memory"} <= skip:
        for line in speed_and_memory(args.eval_dir, skip, args.proselint):
            print(line, flush=True)


if __name__ == "__main__":
    main()
