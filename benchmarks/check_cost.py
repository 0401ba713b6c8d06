"""Print what peers and a brand's kinds of posts cost: `fit` with 5 peers, and `check` beside the plain model.

    python benchmarks/check_cost.py --eval-dir PATH/TO/eval [--posts 6000] [--rounds 5]

From `twcs_support_en.csv` (the voices with at least 150 posts, in name order):
  - `voicecheck fit` of the first voice's first 100 posts with the next five voices' first 100
    posts each as `--peers`, as a user runs it (a whole process, wall time, median of
    `--rounds`): the goal is 10 s;
  - `check` of `--posts` posts of the corpus against that model and against the same brand
    fitted without peers, in-process CPU time, the two in turns: with peers, within a tenth;
  - `check` of the same posts against the model `speed.py` fits (the corpus's first 1,000 posts,
    support replies that come in kinds, so that their style is read against the brand's nearest
    posts), in turns with the same model reading each post's style against its centre (for
    timing only): within a tenth.
Medians of `--rounds` rounds; each check renders its results as `check --format jsonl` does.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from voicecheck import api
from voicecheck.core import Post
from voicecheck.messages import result_dict
from voicecheck.store import SavedModel

#: The goals: seconds to fit with 5 peers; check time with peers, or with the nearest posts'
#: style, against the plain model's.
FIT_WITH_PEERS_SECONDS = 10.0
CHECK_RATIO = 1.10
TRAIN = 100
PEERS = 5


def corpus(eval_dir: Path) -> list[tuple[str, str]]:
    """(voice, text) of every post of the support corpus, in the file's order."""
    csv.field_size_limit(10**8)
    with open(eval_dir / "twcs_support_en.csv", encoding="utf-8") as handle:
        return [(row["brand"], row["text"]) for row in csv.DictReader(handle)]


def voices(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Each voice's posts, the voices with at least TRAIN + 50 of them, in name order."""
    by_voice: dict[str, list[str]] = {}
    for voice, text in rows:
        by_voice.setdefault(voice, []).append(text)
    return {name: texts for name, texts in sorted(by_voice.items()) if len(texts) >= TRAIN + 50}


def corpus_posts(rows: list[tuple[str, str]], count: int) -> list[Post]:
    """`count` posts of the corpus in its order, repeated with a suffix past its end (as `speed.py` makes them)."""
    texts = [text for _, text in rows]
    return [
        Post(f"p{i}", texts[i % len(texts)] + ("" if i < len(texts) else f" ({i // len(texts)})"), "twitter")
        for i in range(count)
    ]


def posts_of(texts: list[str], tag: str) -> list[Post]:
    return [Post(f"{tag}{i}", text, "twitter") for i, text in enumerate(texts)]


def write_csv(path: Path, texts: list[str]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "channel", "text"])
        writer.writerows((f"p{i}", "twitter", text) for i, text in enumerate(texts))
    return path


def fit_seconds(brand: list[str], peers: dict[str, list[str]], rounds: int) -> float:
    """Wall seconds of `voicecheck fit BRAND --peers NAME=PATH...`, a whole process, median of `rounds`."""
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        command = [sys.executable, "-m", "voicecheck", "fit", "-q", str(write_csv(work / "brand.csv", brand))]
        for i, (name, texts) in enumerate(peers.items()):
            command += ["--peers", f"{name}={write_csv(work / f'peer{i}.csv', texts)}"]
        times = []
        for round_ in range(rounds):
            started = time.perf_counter()
            subprocess.run([*command, "--out", str(work / f"model{round_}")], check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def check_cpu(saved: SavedModel, posts: list[Post]) -> float:
    """CPU seconds of a check of `posts`, its results rendered as JSON lines."""
    started = time.process_time()
    for result in api.check(saved, posts):
        json.dumps(result_dict(result, "en"), ensure_ascii=False)
    return time.process_time() - started


def in_turns(runs: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """The median of each run's figure over `rounds`, the runs taken in turns."""
    figures: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            figures[name].append(run())
    return {name: statistics.median(values) for name, values in figures.items()}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, required=True, help="folder with twcs_support_en.csv")
    parser.add_argument("--posts", type=int, default=6_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    rows = corpus(args.eval_dir)
    by_voice = voices(rows)
    names = list(by_voice)
    brand = by_voice[names[0]][:TRAIN]
    peers = {name: by_voice[name][:TRAIN] for name in names[1 : 1 + PEERS]}
    posts = corpus_posts(rows, args.posts)

    took = fit_seconds(brand, peers, args.rounds)
    print(
        f"cost    fit of {TRAIN} posts with {PEERS} peers of {TRAIN} posts (voicecheck fit, a whole process): "
        f"{took:.2f} s (median of {args.rounds}); goal ≤ {FIT_WITH_PEERS_SECONDS:.0f} s: "
        f"{verdict(took <= FIT_WITH_PEERS_SECONDS)}",
        flush=True,
    )

    alone = api.fit(posts_of(brand, "b"))
    with_peers = api.fit(posts_of(brand, "b"), peers={name: posts_of(texts, name) for name, texts in peers.items()})
    for saved in (alone, with_peers):
        check_cpu(saved, posts)  # pipelines loaded, and spaCy's caches filled, before anything is timed
    own = corpus_posts([(names[0], text) for text in by_voice[names[0]][TRAIN:]], args.posts)
    for saved in (alone, with_peers):
        check_cpu(saved, own)
    for label, checked in (("posts of the corpus", posts), ("of the brand's own other posts", own)):
        cpu = in_turns(
            {"alone": partial(check_cpu, alone, checked), "peers": partial(check_cpu, with_peers, checked)}, args.rounds
        )
        ratio = cpu["peers"] / cpu["alone"]
        print(
            f"cost    check of {len(checked):,} {label} with {PEERS} peers: {1e6 * cpu['peers'] / len(checked):.0f} µs "
            f"of CPU a post against {1e6 * cpu['alone'] / len(checked):.0f} without (medians of {args.rounds} in "
            f"turns): {ratio:.2f} times; goal ≤ {CHECK_RATIO:.2f}: {verdict(ratio <= CHECK_RATIO)}",
            flush=True,
        )

    kinds = api.fit(corpus_posts(rows, 1_000))
    if not kinds.model.style_by_neighbours_:
        print("cost    the 1,000 support replies are not read as a brand whose posts come in kinds: nothing to compare")
        return

    def read_against(nearest: bool) -> Callable[[], float]:
        def run() -> float:
            kinds.model.style_by_neighbours_ = nearest  # for timing only: the centre's scores ignore the calibration
            return check_cpu(kinds, posts)

        return run

    for nearest in (True, False):  # each reading warmed up before anything is timed
        kinds.model.style_by_neighbours_ = nearest
        check_cpu(kinds, posts)
    cpu = in_turns({"nearest": read_against(True), "centre": read_against(False)}, args.rounds)
    kinds.model.style_by_neighbours_ = True
    ratio = cpu["nearest"] / cpu["centre"]
    print(
        f"cost    check of {len(posts):,} posts, a brand whose posts come in kinds (1,000 support replies): "
        f"{1e6 * cpu['nearest'] / len(posts):.0f} µs of CPU a post with its style read against its nearest posts, "
        f"against {1e6 * cpu['centre'] / len(posts):.0f} against its centre (medians of {args.rounds} in turns): "
        f"{ratio:.2f} times; goal ≤ {CHECK_RATIO:.2f}: {verdict(ratio <= CHECK_RATIO)}",
        flush=True,
    )


if __name__ == "__main__":
    main()
