"""Where a cold check of one post spends its CPU time, stage by stage, in one fresh process.

    python benchmarks/cold_stages.py MODEL_DIR "the post's text" [--profile]

Run it as its own process (it times its own imports). The stages are those a cold
`voicecheck check` goes through, in order: voicecheck's imports, reading and checking the
model, spaCy's import and pipeline with one doc, the first check (features, the model's
derived arrays, the verdict) and the JSON output. With `--profile`, the first check is also
profiled with cProfile and its 25 costliest calls (cumulative) are printed. voicecheck's
imports hold NumPy and click, which spaCy imports anyway: `python -X importtime` details them,
and `speed.py` times whole processes beside a bare spaCy start-up.
"""

from __future__ import annotations

import time

started = time.process_time()

import argparse  # noqa: E402
import cProfile  # noqa: E402
import json  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402

import voicecheck.cli  # noqa: E402, F401  the command's own imports

imported = time.process_time()

from voicecheck import api  # noqa: E402
from voicecheck.formats.escape import to_json  # noqa: E402
from voicecheck.messages import result_dict  # noqa: E402
from voicecheck.readers import Post  # noqa: E402
from voicecheck.store import load  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model")
    parser.add_argument("text")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    marks = {"voicecheck's imports": imported}
    saved = load(args.model)
    marks["reading and checking the model"] = time.process_time()
    api.judging_pipelines(saved).get(saved.default_lang)("x")
    marks["spaCy: import, pipeline, one doc"] = time.process_time()
    posts = [Post("p0", args.text, "twitter")]
    profile = cProfile.Profile() if args.profile else None
    if profile is not None:
        profile.enable()
    (result,) = api.check(saved, posts)
    if profile is not None:
        profile.disable()
    marks["the first check"] = time.process_time()
    to_json(result_dict(result, "en"))
    marks["output"] = time.process_time()
    previous, stages = started, {}
    for stage, at in marks.items():
        stages[stage] = round(1000 * (at - previous))
        previous = at
    stages["total"] = round(1000 * (previous - started))
    print(json.dumps({"ms of CPU": stages, "scipy imported": "scipy" in sys.modules}, ensure_ascii=False))
    if profile is not None:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
