"""Commands import only what they use: a check of a post no SciPy (nor numpy.ma when it is on voice) and no YAML, neither check nor fit scikit-learn."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT, SAMPLE_MODEL

CHECK_ONE_POST = """
import sys
from voicecheck import api, store
from voicecheck.readers import Post
saved = store.load(sys.argv[1])
(result,) = api.check(saved, [Post("p", sys.argv[2], "facebook")])
tops = {name.split(".")[0] for name in sys.modules} | ({"numpy.ma"} & set(sys.modules))
print(result.verdict, *sorted(tops & {"scipy", "sklearn", "yaml", "frontmatter", "numpy.ma"}))
"""


def check_one(text: str) -> list[str]:
    """The verdict of a post checked in a fresh process, then which of SciPy, scikit-learn, YAML and numpy.ma it imported."""
    done = subprocess.run(
        [sys.executable, "-c", CHECK_ONE_POST, str(SAMPLE_MODEL), text],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=True,
    )  # fmt: skip
    return done.stdout.split()


def test_an_on_voice_post_is_checked_without_scipy_scikit_learn_or_numpy_ma() -> None:
    # numpy.ma, which np.unique and np.quantile import on first use, costs a cold check 20 ms.
    text = "Une question sur nos services? Écrivez-nous ici ou appelez-nous au 514 555-0199."
    assert check_one(text) == ["on-voice"]


def test_a_flagged_post_is_explained_with_its_nearest_examples_without_scipy_or_scikit_learn() -> None:
    text = "omg lol our crew literally CRUSHED it today!!! 🔥🔥🔥 dm us if u want the same"
    verdict, *imported = check_one(text)
    imported = [name for name in imported if name != "numpy.ma"]  # the brand's ranges are percentiles
    assert verdict == "drift" and imported == []


FIT = """
import sys
from voicecheck import api
from voicecheck.profile import load_profile
from voicecheck.readers import ReadStats, read_posts
posts = list(read_posts(sorted((api.Path(sys.argv[1]) / "posts").iterdir()), ReadStats()))
api.fit(posts, load_profile(api.Path(sys.argv[1]) / "brand.toml"))
print("sklearn" in sys.modules)
"""


def test_fitting_a_brand_without_peers_does_not_import_scikit_learn() -> None:
    done = subprocess.run(
        [sys.executable, "-c", FIT, str(ROOT / "samples")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    assert done.stdout.split() == ["False"]
