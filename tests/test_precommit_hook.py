"""The hook, installed by pre-commit from this checkout into a content repository, for real."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE_MODEL

ON_VOICE = """---
channel: instagram
lang: fr
---
Fin de journée, mission accomplie 🙌 Une maison propre à Rosemont et une famille qui respire. #MaisonClaire
"""
OFF_VOICE = """---
channel: linkedin
lang: en
---
BREAKING: Bitcoin just broke $120k. Institutional inflows are accelerating and the ETF bid is relentless. Position accordingly.
"""


def readme_recipe() -> str:
    """The `.pre-commit-config.yaml` the README gives, exactly as written there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## As a pre-commit hook", 1)[1]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def run(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=repo, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("pre-commit") is None, reason="needs git and pre-commit"
)
def test_hook_blocks_off_voice_posts_and_lets_on_voice_ones_through(tmp_path: Path) -> None:
    recipe = readme_recipe()
    rev = recipe.split("rev:")[1].split()[0]
    found = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"], capture_output=True)
    if found.returncode != 0:
        pytest.skip(f"this checkout has no {rev} (the README's rev) to install the hook from")
    repo = tmp_path / "content"
    repo.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")  # fmt: skip
    run(repo, "git", "init", "-q", env=env)
    shutil.copytree(SAMPLE_MODEL, repo / ".voicecheck" / "model")
    # The README's recipe as written, with this checkout standing for the repository's address.
    (repo / ".pre-commit-config.yaml").write_text(re.sub(r"repo: \S+", f"repo: {ROOT}", recipe), encoding="utf-8")
    run(repo, "git", "add", "-A", env=env)
    assert run(repo, "git", "commit", "-qm", "set up", "--no-verify", env=env).returncode == 0
    installed = run(repo, "pre-commit", "install", env=env)
    assert installed.returncode == 0, installed.stderr

    (repo / "ok.md").write_text(ON_VOICE, encoding="utf-8")
    run(repo, "git", "add", "ok.md", env=env)
    good = run(repo, "git", "commit", "-m", "an on-voice post", env=env)
    assert good.returncode == 0, good.stdout + good.stderr

    (repo / "off.md").write_text(OFF_VOICE, encoding="utf-8")
    run(repo, "git", "add", "off.md", env=env)
    bad = run(repo, "git", "commit", "-m", "an off-voice post", env=env)
    assert bad.returncode != 0
    output = bad.stdout + bad.stderr
    assert "drift" in output and "how the brand usually says it" in output
    log = run(repo, "git", "log", "--oneline", env=env).stdout
    assert "an on-voice post" in log and "an off-voice post" not in log
