"""Print the speed and memory goals of `voicecheck check` and `fit`, each with its figure,
pass or fail, and its ratio against the peer measured beside it in the same run.

    python benchmarks/speed.py --eval-dir PATH/TO/eval [--proselint CMD] [--repeat N]

Posts are the English customer-support replies of `twcs_support_en.csv`, repeated with a
suffix up to 200,000; the model is fitted on the first 1,000. Every figure is a whole
`voicecheck` process, start-up included, as a user or a pre-commit hook runs it:

- cold check of one post, against `python -c "import spacy; spacy.blank('en')('x')"`
  (the least any check that tokenizes with spaCy starts in), the two run in turns;
- check of 20,000 posts in one process and with `--jobs 2`, whose outputs must be identical;
  the start-up share is given too (the same run less a cold check);
- proselint over the same 20,000 posts as one Markdown file (`--proselint CMD`, for
  instance a proselint installed in a virtual environment of its own);
- peak memory over 20,000 and 200,000 posts, and with `--jobs 2` (the largest process);
- fit on 1,000 posts.

Times are medians of runs taken in turns, so that a busy machine slows both sides of a ratio
alike. Python files are compiled to bytecode first, as an installed package is.
"""

from __future__ import annotations

import argparse
import csv
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: The reference a cold check is held to: spaCy imported, its blank English pipeline made and run.
SPACY_BLANK = [sys.executable, "-c", "import spacy; spacy.blank('en')('x')"]
MiB = 1024 * 1024


def environment() -> dict[str, str]:
    """This environment, with bytecode written as an installed package has it."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(cmd, capture_output=True, check=False, env=environment(), **kwargs)  # type: ignore[call-overload]
    if result.returncode not in (0, 1):
        sys.exit(f"{shlex.join(cmd[:4])}… failed ({result.returncode}): {result.stderr.decode()[-800:]}")
    return result


def seconds(cmd: list[str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    result = run(cmd)
    return time.perf_counter() - start, result.stdout


def in_turns(commands: dict[str, list[str]], repeat: int) -> dict[str, list[float]]:
    """Wall seconds of each command over `repeat` rounds, the commands run in turns within a round."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            times[name].append(seconds(cmd)[0])
    return times


def peak_memory_mib(cmd: list[str]) -> float:
    """Peak resident memory of `cmd` (its largest process), measured by a fresh parent so no other child counts."""
    probe = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)"
    )
    kib, code = run([sys.executable, "-c", probe, *cmd]).stdout.split()
    if code not in (b"0", b"1"):
        sys.exit(f"memory run of {shlex.join(cmd[:4])}… failed ({code.decode()})")
    return int(kib) / 1024


def english_posts(eval_dir: Path, count: int) -> list[str]:
    with open(eval_dir / "twcs_support_en.csv", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    return [f"{texts[i % len(texts)]} ({i // len(texts)})" if i >= len(texts) else texts[i] for i in range(count)]


def write_csv(path: Path, texts: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "channel", "text"])
        writer.writerows((f"p{i}", "twitter", text) for i, text in enumerate(texts))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def median(values: list[float]) -> float:
    return statistics.median(values)


class Speed:
    """The files and commands of one run."""

    def __init__(self, work: Path, eval_dir: Path, repeat: int) -> None:
        self.work, self.repeat = work, repeat
        self.posts = english_posts(eval_dir, 200_000)
        for name, count in (("one", 1), ("fit1000", 1000), ("check20k", 20_000), ("check200k", 200_000)):
            write_csv(work / f"{name}.csv", self.posts[:count])
        self.model = work / "model"
        self.check = [sys.executable, "-m", "voicecheck", "check", "-q", "--model", str(self.model)]
        self.check += ["--format", "jsonl", "--fail-on", "never"]

    def fit(self) -> list[str]:
        fit = [sys.executable, "-m", "voicecheck", "fit", "-q", str(self.work / "fit1000.csv")]
        times = [seconds([*fit, "--out", str(self.work / f"fit{i}")])[0] for i in range(self.repeat)]
        run([*fit, "--out", str(self.model)])
        took = median(times)
        return [f"fit      1,000 posts: {took:.2f} s (median of {self.repeat}); goal ≤ 5 s: {verdict(took <= 5.0)}"]

    def cold(self) -> tuple[list[str], float]:
        rounds = max(2 * self.repeat + 1, 7)
        times = in_turns({"spacy": SPACY_BLANK, "check": [*self.check, str(self.work / "one.csv")]}, rounds)
        spacy, check = median(times["spacy"]), median(times["check"])
        ratio = check / spacy
        return [
            f"cold     check of one post: {check:.2f} s wall (median of {rounds}); "
            f"goal ≤ 1.0 s: {verdict(check <= 1.0)}",
            f"cold     spaCy import + blank('en') + one doc beside it: {spacy:.2f} s; check takes {ratio:.2f} times "
            f"as long; goal ≤ 1.2: {verdict(ratio <= 1.2)}",
        ], check

    def throughput(self, cold: float, proselint: list[str] | None) -> list[str]:
        posts = str(self.work / "check20k.csv")
        commands = {"1": [*self.check, posts], "2": [*self.check, "--jobs", "2", posts]}
        markdown = self.work / "posts.md"
        if proselint:
            markdown.write_text("\n\n".join(p.replace("\n", " ") for p in self.posts[:20_000]) + "\n", encoding="utf-8")
            commands["proselint"] = [*proselint, "check", str(markdown)]
        times = in_turns(commands, self.repeat)
        one, two = median(times["1"]), median(times["2"])
        same = run(commands["1"]).stdout == run(commands["2"]).stdout
        lines = [
            f"check    20,000 posts, one process: {one:.2f} s = {20_000 / one:,.0f} posts/s (median of {self.repeat}); "
            f"goal ≥ 5,000: {verdict(20_000 / one >= 5000)}; start-up excluded (less a cold check): "
            f"{20_000 / max(one - cold, 1e-9):,.0f} posts/s",
            f"check    20,000 posts, --jobs 2: {two:.2f} s = {20_000 / two:,.0f} posts/s, {one / two:.2f} times one "
            f"process; results {'identical' if same else 'DIFFERENT'}; goal ≥ 10,000 and identical: "
            f"{verdict(20_000 / two >= 10_000 and same)}; "
            f"start-up excluded: {20_000 / max(two - cold, 1e-9):,.0f} posts/s",
        ]
        if proselint:
            lint = median(times["proselint"])
            lines.append(
                f"check    proselint on the same 20,000 posts (one Markdown file): {lint:.2f} s = {20_000 / lint:,.0f} "
                f"posts/s; voicecheck's throughput is {lint / one:.2f} times proselint's (one process), "
                f"{lint / two:.2f} with --jobs 2; goal ≥ 1.0: {verdict(lint / one >= 1.0)}"
            )
        else:
            lines.append("check    proselint not measured (give --proselint CMD)")
        return lines

    def memory(self) -> list[str]:
        def peak(name: str, *options: str) -> float:
            out = str(self.work / f"{name}.jsonl")
            return peak_memory_mib([*self.check, *options, "--output", out, str(self.work / f"{name}.csv")])

        small, large, jobs = peak("check20k"), peak("check200k"), peak("check20k", "--jobs", "2")
        ok = max(small, large, jobs) <= 500 and large <= 1.1 * small
        return [
            f"memory   peak RSS over 20,000 posts: {small:.0f} MiB; 200,000 posts: {large:.0f} MiB "
            f"({large / small:.2f} times); --jobs 2, largest process: {jobs:.0f} MiB; "
            f"goal ≤ 500 MiB and flat: {verdict(ok)}"
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, required=True, help="folder with twcs_support_en.csv")
    parser.add_argument("--proselint", help="how to run proselint: its command, or its path in another environment")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (cold start: at least 7)")
    parser.add_argument("--skip", default="", help="comma-separated: fit, cold, throughput, memory")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    import voicecheck

    run([sys.executable, "-m", "compileall", "-q", str(Path(voicecheck.__path__[0]))])
    with tempfile.TemporaryDirectory() as tmp:
        speed = Speed(Path(tmp), args.eval_dir, args.repeat)
        sections: list[Callable[[], list[str]]] = []
        fit_lines = speed.fit()  # the model every other figure reads
        if "fit" not in skip:
            sections.append(lambda: fit_lines)
        cold_lines, cold = speed.cold() if not {"cold", "throughput"} <= skip else ([], 0.0)
        if "cold" not in skip:
            sections.append(lambda: cold_lines)
        if "throughput" not in skip:
            proselint = shlex.split(args.proselint) if args.proselint else None
            sections.append(lambda: speed.throughput(cold, proselint))
        if "memory" not in skip:
            sections.append(speed.memory)
        for section in sections:
            for line in section():
                print(line, flush=True)


if __name__ == "__main__":
    main()
