"""Shared fixtures: the sample brand, a model fitted on it once per session, real pipelines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from voicecheck import api
from voicecheck.nlp import Pipelines
from voicecheck.profile import load_profile
from voicecheck.readers import ReadStats, read_posts
from voicecheck.store import SavedModel, load

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_POSTS = sorted((SAMPLES / "posts").iterdir())
SAMPLE_MODEL = ROOT / "models" / "maison-claire"


@pytest.fixture(scope="session")
def pipelines() -> Pipelines:
    return Pipelines("auto")


@pytest.fixture(scope="session")
def sample_posts() -> list:
    return list(read_posts(SAMPLE_POSTS, ReadStats()))


@pytest.fixture(scope="session")
def fitted(sample_posts: list) -> SavedModel:
    """A model fitted in this session on the sample brand (the library path, no files)."""
    return api.fit(sample_posts, load_profile(SAMPLES / "brand.toml"))


@pytest.fixture(scope="session")
def sample_model() -> SavedModel:
    return load(SAMPLE_MODEL)


def run_cli(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `voicecheck` command in a subprocess, as a user would."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run(
        [sys.executable, "-m", "voicecheck", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT, env=env, input=input, timeout=600,
    )  # fmt: skip
