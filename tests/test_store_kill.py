"""A fit killed at any moment leaves the previous model whole, or the new one: never a mix.

Two ways in. The real command, killed with SIGKILL at random moments of its run over an
existing model. And a save in a forked process that dies (os._exit, no clean-up) at each of
its filesystem steps in turn: every fsync, rename and removal, so no moment is missed.
After each death, the model in the folder must load and be byte-identical to the previous
model or to the new one.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from voicecheck import api
from voicecheck.errors import ModelError
from voicecheck.profile import load_profile
from voicecheck.store import (
    MODEL_FILES,
    POINTER_FILE,
    STAGING_PREFIX,
    VERSION_NAME,
    SavedModel,
    load,
    model_folder,
    save,
)

from .conftest import ROOT, SAMPLES
from .test_store_fit_out import small_posts

#: Fixes model.json's creation time, so that fitting the same posts twice gives the same bytes.
FIXED_TIME = {"SOURCE_DATE_EPOCH": "1735689600"}
KILLS = 6


def model_bytes(directory: Path) -> dict[str, bytes]:
    """The bytes of every file of the live model in `directory`."""
    folder = model_folder(directory)
    return {name: (folder / name).read_bytes() for name in MODEL_FILES}


def assert_previous_or_new(
    directory: Path, previous: dict[str, bytes], new: dict[str, bytes], when: str, loads: bool = True
) -> None:
    live = model_bytes(directory)
    assert live in (previous, new), f"{when}: the model is a mix of the previous and new ones"
    if loads:
        load(directory)  # and it loads, every file checked
    for entry in directory.iterdir():  # nothing but the model and what a killed save may leave
        assert entry.name == POINTER_FILE or VERSION_NAME.fullmatch(entry.name) or entry.name.startswith(STAGING_PREFIX)


def fit_command(posts: Path, out: Path) -> list[str]:
    brand = SAMPLES / "brand.toml"
    return [sys.executable, "-m", "voicecheck", "fit", str(posts), "--brand", str(brand), "--out", str(out), "-q"]


def timed_fit(posts: Path, out: Path, env: dict[str, str]) -> float:
    start = time.monotonic()
    subprocess.run(fit_command(posts, out), cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    return time.monotonic() - start


def test_fit_killed_at_random_moments_leaves_a_whole_model(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONWARNINGS="ignore", **FIXED_TIME)
    old_posts = small_posts(tmp_path / "old.csv", first=18)
    new_posts = small_posts(tmp_path / "new.csv", first=0)
    previous_dir, new_dir = tmp_path / "previous", tmp_path / "new"
    timed_fit(old_posts, previous_dir, env)
    duration = timed_fit(new_posts, new_dir, env)
    previous, new = model_bytes(previous_dir), model_bytes(new_dir)
    assert previous != new
    seed = random.randrange(2**32)
    chance = random.Random(seed)
    out = tmp_path / "model"
    for run in range(KILLS):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(previous_dir, out)
        # Spread over the whole run: each kill in its own slice of it, at a random point in the slice.
        delay = duration * (run + chance.random()) / KILLS
        fit = subprocess.Popen(fit_command(new_posts, out), cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        fit.send_signal(signal.SIGKILL)
        fit.wait(timeout=60)
        assert_previous_or_new(out, previous, new, f"seed {seed}, run {run}, killed after {delay:.2f}s")


# -- every step of a save, one death at a time --------------------------------------------------
STEPS = ("fsync", "rename", "replace", "unlink", "rmdir", "mkdir")


def die_at(step: int) -> None:
    """Make this process die at its filesystem call number `step` (of STEPS), as SIGKILL would."""
    calls = 0
    for name in STEPS:
        real: Callable[..., Any] = getattr(os, name)

        def counted(*args: Any, _real: Callable[..., Any] = real, **kwargs: Any) -> Any:
            nonlocal calls
            calls += 1
            if calls == step:
                os._exit(17)  # no clean-up, no flush
            return _real(*args, **kwargs)

        setattr(os, name, counted)


def save_dying_at(step: int, saved: SavedModel, directory: Path) -> bool:
    """Save in a forked process that dies at `step`; whether it died before finishing."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            die_at(step)
            save(saved, directory)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 17


@pytest.fixture(scope="module")
def two_models(sample_posts: list, fitted: SavedModel) -> tuple[SavedModel, SavedModel]:
    other = api.fit(sample_posts[::3], load_profile(SAMPLES / "brand.toml"))
    fixed = {"created": "2025-01-01T00:00:00+00:00"}
    return (
        SavedModel(fitted.model, fitted.table, fitted.profile, dict(fitted.meta, **fixed)),
        SavedModel(other.model, other.table, other.profile, dict(other.meta, **fixed)),
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("previous_layout", ["model", "none"])
def test_a_save_that_dies_at_any_step_leaves_the_previous_model_or_the_new(
    tmp_path: Path, two_models: tuple[SavedModel, SavedModel], previous_layout: str
) -> None:
    old, new = two_models
    pristine, reference = tmp_path / "pristine", tmp_path / "reference"
    save(old, pristine)
    save(new, reference)
    previous, expected = model_bytes(pristine), model_bytes(reference)
    out = tmp_path / "model"
    loaded = set()  # the previous or the new model: each is loaded once, then compared byte for byte
    for step in range(1, 200):
        shutil.rmtree(out, ignore_errors=True)
        if previous_layout == "model":
            shutil.copytree(pristine, out)
        died = save_dying_at(step, new, out)
        if previous_layout == "none" and not (out / POINTER_FILE).exists():
            with pytest.raises(ModelError):  # died before the swap: no model, which is what there was
                load(out)
        else:
            state = "previous" if model_bytes(out) == previous else "new"
            assert_previous_or_new(out, previous, expected, f"died at step {step}", loads=state not in loaded)
            loaded.add(state)
        if not died:
            break
    else:
        pytest.fail("a save took more than 200 steps")
    assert step > 8, "the steps were not counted"
    if previous_layout == "model":
        assert loaded == {"previous", "new"}, "no death fell on each side of the swap"
    save(new, out)
    assert model_bytes(out) == expected
    assert sorted(p.name for p in out.iterdir()) == sorted([POINTER_FILE, model_folder(out).name])
