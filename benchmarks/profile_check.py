"""Where a check's CPU time goes, in-process, stage by stage: the profile behind the speed figures.

    python benchmarks/profile_check.py [--eval-dir PATH/TO/eval] [--posts 20000] [--single 500]

Loads the sample brand's model (or, with `--eval-dir`, fits one on the first 1,000 posts of
`twcs_support_en.csv`, as `speed.py` does), then profiles with cProfile, in CPU time:
  - a batch check of `--posts` posts (the sample's new posts repeated, or the corpus's), rendered
    as JSON lines as `check --format jsonl` renders them;
  - `--single` checks of one post each, as the service judges a lone request;
  - the same posts in checks of `--gathered` posts each (default 8), as the service judges the
    requests of 8 busy clients gathered into one batch.
With `--style centre`, a model that reads a brand's style against its nearest posts (model
format 12, a brand whose posts come in kinds) reads it against the centre instead: run both,
in turns, to see what the nearest posts cost.
It prints the CPU time per post without the profiler, and each stage's share under it: reading
posts with spaCy, building the features, scoring, judging (verdicts, reasons, examples), and
rendering. Start-up is not in these figures: `python -X importtime -m voicecheck check ...`
shows the imports, and `speed.py` times whole processes beside spaCy's own start-up.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import json
import pstats
import time
from pathlib import Path

from voicecheck import api
from voicecheck.core import Post
from voicecheck.messages import result_dict
from voicecheck.readers import ReadStats, read_posts
from voicecheck.store import load

ROOT = Path(__file__).resolve().parent.parent
#: The stages, as the functions that do them (file, function name) and what the output calls them.
STAGES = {
    "spaCy (nlp.parse)": ("nlp.py", "parse"),
    "features (features.table.build_table, spaCy included)": ("table.py", "build_table"),
    "scores (model.scored)": ("model.py", "scored"),
    "  of which the nearest brand posts' style (model._new_nearest_style)": ("model.py", "_new_nearest_style"),
    "judging (judge.judge)": ("judge.py", "judge"),
    "rendering (messages.result_dict + json.dumps)": ("messages.py", "result_dict"),
}


def corpus_posts(eval_dir: Path, count: int) -> list[Post]:
    csv.field_size_limit(10**8)
    with open(eval_dir / "twcs_support_en.csv", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    repeated = (texts[i % len(texts)] + ("" if i < len(texts) else f" #{i}") for i in range(count))
    return [Post(f"p{i}", text, "twitter") for i, text in enumerate(repeated)]


def render(result: object) -> str:
    return json.dumps(result_dict(result, "en"), ensure_ascii=False)  # type: ignore[arg-type]


def profiled(work: object) -> tuple[float, pstats.Stats]:
    """CPU seconds of `work()` without the profiler, and its profile (a second run)."""
    started = time.process_time()
    work()  # type: ignore[operator]
    took = time.process_time() - started
    profile = cProfile.Profile()
    profile.runcall(work)  # type: ignore[arg-type]
    return took, pstats.Stats(profile)


def shares(stats: pstats.Stats) -> list[str]:
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    lines = []
    for label, (file, name) in STAGES.items():
        cumulative = sum(
            entry[3]
            for (path, _, function), entry in stats.stats.items()  # type: ignore[attr-defined]
            if path.endswith(file) and function == name
        )
        lines.append(f"  {100 * cumulative / total:5.1f}%  {label}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", type=Path, help="fit on the support corpus, as speed.py does")
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--single", type=int, default=500)
    parser.add_argument("--gathered", type=int, default=8, help="posts per check in the gathered run")
    parser.add_argument(
        "--style",
        choices=["as-fitted", "centre"],
        default="as-fitted",
        help="centre: read every post's style against the brand's centre, where the model reads its "
        "nearest posts (for timing the two side by side only: the scores no longer follow the calibration)",
    )
    args = parser.parse_args()
    if args.eval_dir:
        saved = api.fit(corpus_posts(args.eval_dir, 1_000))
        posts = corpus_posts(args.eval_dir, args.posts)
    else:
        saved = load(ROOT / "models" / "maison-claire")
        new = list(read_posts([ROOT / "samples" / "new_posts.csv"], ReadStats()))
        posts = [Post(f"p{i}", new[i % len(new)].text, new[i % len(new)].channel) for i in range(args.posts)]
    if args.style == "centre":
        saved.model.style_by_neighbours_ = False
    print(f"style read against the brand's nearest posts: {'yes' if saved.model.style_by_neighbours_ else 'no'}")
    list(api.check(saved, posts[:200]))  # pipelines and caches loaded before anything is timed
    took, stats = profiled(lambda: [render(result) for result in api.check(saved, posts)])
    print(f"batch of {len(posts):,} posts: {1e6 * took / len(posts):.0f} µs of CPU per post, without the profiler")
    print("\n".join(shares(stats)))
    singles = posts[: args.single]
    took, stats = profiled(lambda: [render(next(iter(api.check(saved, [post])))) for post in singles])
    print(f"{len(singles)} checks of one post each: {1e3 * took / len(singles):.2f} ms of CPU per check")
    print("\n".join(shares(stats)))
    size = max(args.gathered, 1)
    gathered = [singles[start : start + size] for start in range(0, len(singles), size)]
    took, stats = profiled(lambda: [[render(result) for result in api.check(saved, batch)] for batch in gathered])
    print(f"{len(gathered)} checks of {size} posts each: {1e3 * took / len(singles):.2f} ms of CPU per post")
    print("\n".join(shares(stats)))


if __name__ == "__main__":
    main()
