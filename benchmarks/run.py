"""Print every figure voicecheck is measured by: voice, tone, speed and memory.

    python benchmarks/run.py --eval-dir PATH/TO/eval [--skip voice,tone,service,speed,memory]

`--eval-dir` is a folder holding the evaluation corpora and their scripts (`voice_auc.py`,
`tone_formality.py`, `twcs_support_en.csv`, `fr_politics_tweets_fr.csv`, `formality_en.csv`,
`formality_fr_pairs.csv`); the voice figures include bilingual brands made of an English and
a French voice (`voice_bilingual.py`). Everything runs the installed `voicecheck` command in
subprocesses, as users do. Times are medians of repeated runs; speed is also given as a ratio
against proselint run on the same posts in the same session, since absolute times on a
shared machine are noisy.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import shutil
import statistics
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


def timed(cmd: list[str], repeat: int = 3) -> float:
    """Median wall time of `cmd` over `repeat` runs; fails loudly if the command fails."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(cmd)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            sys.exit(f"{' '.join(cmd[:3])}… failed ({result.returncode}): {result.stderr[-500:]}")
    return statistics.median(times)


def peak_memory_mib(cmd: list[str]) -> float:
    """Peak resident memory of `cmd`, measured by a fresh parent so no other child counts."""
    probe = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"
    )
    result = run([sys.executable, "-c", probe, *cmd])
    kib, code = result.stdout.split()
    if code not in ("0", "1"):
        sys.exit(f"memory run failed: {result.stderr[-500:]}")
    return int(kib) / 1024


def voice(eval_dir: Path) -> list[str]:
    lines = []
    for corpus in ("twcs_support_en.csv", "fr_politics_tweets_fr.csv"):
        result = run([sys.executable, str(eval_dir / "voice_auc.py"), str(eval_dir / corpus)])
        lines.append(f"voice   {_last_line(result)}")
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


def english_posts(eval_dir: Path, count: int) -> list[str]:
    with open(eval_dir / "twcs_support_en.csv", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    return [f"{texts[i % len(texts)]} ({i // len(texts)})" if i >= len(texts) else texts[i] for i in range(count)]


def write_csv(path: Path, texts: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "channel", "text"])
        writer.writerows((f"p{i}", "twitter", text) for i, text in enumerate(texts))


def speed_and_memory(eval_dir: Path, skip: set[str]) -> list[str]:
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        posts = english_posts(eval_dir, 200_000)
        write_csv(work / "fit1000.csv", posts[:1000])
        write_csv(work / "check20k.csv", posts[:20_000])
        write_csv(work / "one.csv", posts[:1])
        model = work / "model"
        fit_seconds = timed(["voicecheck", "fit", "-q", str(work / "fit1000.csv"), "--out", str(model)])
        lines.append(f"speed   fit on 1,000 posts: {fit_seconds:.1f} s (median of 3)")
        if "speed" not in skip:
            check = ["voicecheck", "check", "-q", "--model", str(model), "--format", "jsonl", "--fail-on", "never"]
            cold = timed([*check, str(work / "one.csv")], repeat=5)
            lines.append(f"speed   cold check of one post: {cold:.2f} s wall (median of 5)")
            seconds = timed([*check, str(work / "check20k.csv")])
            lines.append(f"speed   check 20,000 posts: {seconds:.1f} s = {20_000 / seconds:,.0f} posts/s (median of 3)")
            both = timed([*check, "--jobs", "2", str(work / "check20k.csv")])
            lines.append(
                f"speed   check 20,000 posts --jobs 2: {both:.1f} s = {20_000 / both:,.0f} posts/s (median of 3); "
                f"{seconds / both:.2f} times one job"
            )
            floor = [sys.executable, str(HERE / "spacy_floor.py")]
            floor_cold = timed([*floor, str(work / "one.csv")], repeat=5)
            floor_all = timed([*floor, str(work / "check20k.csv")])
            lines.append(
                "speed   floor, spaCy alone (import, blank English tokenizer, nothing else): "
                f"one post {floor_cold:.2f} s; "
                f"20,000 posts {floor_all:.1f} s = {20_000 / floor_all:,.0f} posts/s; "
                f"voicecheck takes {cold / floor_cold:.1f} and {seconds / floor_all:.1f} times as long"
            )
            if shutil.which("proselint"):
                markdown = work / "posts.md"
                markdown.write_text("\n\n".join(p.replace("\n", " ") for p in posts[:20_000]) + "\n", encoding="utf-8")
                lint = timed(["proselint", "check", str(markdown)])
                lines.append(
                    f"speed   proselint on the same 20,000 posts (one Markdown file): {lint:.1f} s = "
                    f"{20_000 / lint:,.0f} posts/s; voicecheck/proselint throughput ratio {lint / seconds:.2f}"
                )
            else:
                lines.append("speed   proselint not installed (pip install proselint): no comparison")
        if "memory" not in skip:
            write_csv(work / "check200k.csv", posts)
            check = ["voicecheck", "check", "-q", "--model", str(model), "--format", "jsonl", "--fail-on", "never"]
            small = peak_memory_mib([*check, "--output", str(work / "a.jsonl"), str(work / "check20k.csv")])
            large = peak_memory_mib([*check, "--output", str(work / "b.jsonl"), str(work / "check200k.csv")])
            lines.append(f"memory  peak RSS checking 20,000 posts: {small:.0f} MiB; 200,000 posts: {large:.0f} MiB")
            both = [*check, "--jobs", "2", "--output", str(work / "c.jsonl"), str(work / "check20k.csv")]
            jobs = peak_memory_mib(both)
            lines.append(f"memory  peak RSS checking 20,000 posts --jobs 2: {jobs:.0f} MiB (largest process)")
    return lines


def service(eval_dir: Path) -> list[str]:
    del eval_dir  # the service is measured on the sample brand's posts
    result = run([sys.executable, str(HERE / "service_latency.py")])
    return [result.stdout.strip() or f"service failed: {result.stderr[-300:]}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, required=True, help="folder with the evaluation corpora")
    parser.add_argument("--skip", default="", help="comma-separated: voice, tone, service, speed, memory")
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
        for line in speed_and_memory(args.eval_dir, skip):
            print(line, flush=True)


if __name__ == "__main__":
    main()
