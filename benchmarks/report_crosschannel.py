"""Does `report` see drift between a brand's channels and periods, and name a hijacked channel?

    python benchmarks/report_crosschannel.py --corpus PATH/TO/news_crosschannel_en.csv

The corpus has columns `id, brand, channel, text, date`: the same brands on several channels.
For each brand with two channels or more, its posts on every channel are split in two (seed
0): `voicecheck fit` learns the brand from one half, `voicecheck report` reads the other half.
Then, channel by channel, that channel's half is swapped for another brand's posts on the
same channel (the next brand that has it) and the report is read again: the hijacked channel
should be the one named most divergent. Everything runs the installed `voicecheck` command.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

Row = dict[str, str]


def voicecheck(*args: str) -> str:
    done = subprocess.run(["voicecheck", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"voicecheck {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def write(path: Path, rows: list[Row]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ["id", "text", "channel", "date"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def halves(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    shuffled = rows[:]
    random.Random(0).shuffle(shuffled)
    middle = len(shuffled) // 2
    return shuffled[:middle], shuffled[middle:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", required=True, type=Path)
    corpus = parser.parse_args().corpus
    posts: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    with open(corpus, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            posts[row["brand"]][row["channel"]].append(row)
    brands = sorted(b for b in posts if len(posts[b]) >= 2)
    named, tried = 0, 0
    between_all: list[float] = []
    within_all: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for brand in brands:
            split = {channel: halves(rows) for channel, rows in posts[brand].items()}
            train = write(work / "train.csv", [r for first, _ in split.values() for r in first])
            model = work / f"model-{brand}"
            voicecheck("fit", str(train), "--out", str(model), "--quiet")
            own = [r for _, second in split.values() for r in second]
            report = json.loads(voicecheck("report", "--model", str(model), "--format", "json", "--quiet",
                                           str(write(work / "own.csv", own))))  # fmt: skip
            months = {c: len(series) for c, series in report["drift"].items()}
            print(f"{brand}: own posts, most divergent {report['most_divergent_channel']}; "
                  f"divergence {_divergences(report)}; months of drift per channel {months}")  # fmt: skip
            between = _pairs(report)
            # Baseline: the same channel cut in two, so a distance between channels can be read
            # against the distance between two samples of one channel.
            largest = max(split, key=lambda c: len(split[c][1]))
            halved = [dict(r, channel=f"{largest}/{i % 2}") for i, r in enumerate(split[largest][1])]
            within = json.loads(voicecheck("report", "--model", str(model), "--format", "json", "--quiet",
                                           str(write(work / "halves.csv", halved))))  # fmt: skip
            within_distance = within["distances"][f"{largest}/0"][f"{largest}/1"]
            print(f"  distances between channels: {', '.join(f'{a}~{b} {d:.2f}' for a, b, d in between)}; "
                  f"two halves of {largest}: {within_distance:.2f}")  # fmt: skip
            between_all.extend(d for _, _, d in between)
            within_all.append(within_distance)
            for channel in sorted(split):
                donor = next((b for b in brands[brands.index(brand) + 1 :] + brands if b != brand
                              and channel in posts[b]), None)  # fmt: skip
                if donor is None:
                    continue
                swapped = [r for c, (_, second) in split.items() if c != channel for r in second]
                swapped += halves(posts[donor][channel])[1]
                hijacked = json.loads(voicecheck("report", "--model", str(model), "--format", "json", "--quiet",
                                                 str(write(work / "swapped.csv", swapped))))  # fmt: skip
                hit = hijacked["most_divergent_channel"] == channel
                named += hit
                tried += 1
                print(f"  {channel} fed {donor}'s posts: most divergent {hijacked['most_divergent_channel']} "
                      f"({'named' if hit else 'missed'}); divergence {_divergences(hijacked)}")  # fmt: skip
    print(f"distance between a brand's channels: median {statistics.median(between_all):.2f} "
          f"(n={len(between_all)}); between two halves of one channel: median {statistics.median(within_all):.2f} "
          f"(n={len(within_all)})")  # fmt: skip
    print(f"hijacked channel named most divergent: {named}/{tried}")


def _pairs(report: dict) -> list[tuple[str, str, float]]:
    names = sorted(report["distances"])
    return [(a, b, report["distances"][a][b]) for i, a in enumerate(names) for b in names[i + 1 :]]


def _divergences(report: dict) -> str:
    return ", ".join(
        f"{c} {v['divergence']:.2f} (score {v['mean_score']:.0f})" for c, v in sorted(report["channels"].items())
    )


if __name__ == "__main__":
    main()
