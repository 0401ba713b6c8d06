import subprocess
from pathlib import Path

import pytest

from voicecheck.changes import changed_since
from voicecheck.errors import VoicecheckError


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   check=True, capture_output=True)  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q")
    (tmp_path / "posts").mkdir()
    for name in ("old.md", "edited.md", "gone.md"):
        (tmp_path / "posts" / name).write_text("A post.\n")
    (tmp_path / "script.py").write_text("print(1)\n")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    (tmp_path / "posts" / "edited.md").write_text("An edited post.\n")
    (tmp_path / "posts" / "gone.md").unlink()
    (tmp_path / "posts" / "new.md").write_text("A new post.\n")
    (tmp_path / "script.py").write_text("print(2)\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_changed_post_files_since_a_revision(repo: Path) -> None:
    assert changed_since("HEAD") == ["posts/edited.md", "posts/new.md"]


def test_only_the_given_files_that_changed(repo: Path) -> None:
    assert changed_since("HEAD", ["posts/old.md", "posts/edited.md"]) == ["posts/edited.md"]


def test_folders_and_channel_tags_among_the_given(repo: Path) -> None:
    (repo / "site").mkdir()
    (repo / "site" / "about.html").write_text("<html><body><p>About us.</p></body></html>\n")
    (repo / "site" / "logo.svg").write_text("<svg/>\n")
    assert changed_since("HEAD", ["posts", "website=site"]) == [
        "posts/edited.md", "posts/new.md", "website=site/about.html",
    ]  # fmt: skip
    assert changed_since("HEAD", ["linkedin=posts/edited.md", "linkedin=posts/old.md"]) == ["linkedin=posts/edited.md"]


def test_unknown_revision_is_a_clear_error(repo: Path) -> None:
    with pytest.raises(VoicecheckError, match="git diff"):
        changed_since("no-such-branch")
