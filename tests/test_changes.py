import json
import os
import subprocess
from pathlib import Path

import pytest

from voicecheck.changes import changed_since
from voicecheck.errors import InputError, VoicecheckError

from .conftest import SAMPLE_MODEL, run_cli
from .french import english_words, run_in_french, spaced

OFF_VOICE = "omg lol our crew literally CRUSHED it today!!! 🔥🔥🔥 dm us if u want ur place done\n"
#: Names git quotes in its plain output, or that a command line would take for something else.
HOSTILE_NAMES = ["été.md", "new\nline.md", 'say "hi".md', "back\\slash.md", "tab\there.md", "-rf.md",
                 "--output=x.md", " spaced .md", "\x1b[31mred.md"]  # fmt: skip
NOT_UTF8 = os.fsdecode(b"caf\xe9.md")  # a Latin-1 name, as Python spells its bytes


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                          check=True, capture_output=True)  # fmt: skip
    return done.stdout.decode().strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
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


def test_a_post_file_that_became_a_link_or_stopped_being_one_has_changed(repo: Path) -> None:
    # git calls these type changes: a gate that left them out passed a post it never read.
    (repo / "templates").mkdir()
    (repo / "templates" / "thanks.md").write_text("Thanks for having us!\n")
    (repo / "posts" / "linked.md").symlink_to("../templates/thanks.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "second")
    (repo / "posts" / "linked.md").unlink()
    (repo / "posts" / "linked.md").write_text(OFF_VOICE)
    (repo / "posts" / "old.md").unlink()
    (repo / "posts" / "old.md").symlink_to("edited.md")
    assert changed_since("HEAD", ["posts/linked.md", "posts/old.md"]) == ["posts/linked.md", "posts/old.md"]
    result = run_cli("check", "--model", str(SAMPLE_MODEL), "-q", "--since", "HEAD", "posts/linked.md", cwd=repo)
    assert result.returncode == 1, result.stderr


def test_every_name_counts_however_git_would_quote_it(repo: Path) -> None:
    for name in HOSTILE_NAMES[:4]:  # committed, then edited
        (repo / "posts" / name).write_text("A post.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "names")
    for name in HOSTILE_NAMES[:4]:
        (repo / "posts" / name).write_text("An edited post.\n")
    for name in [*HOSTILE_NAMES[4:], NOT_UTF8]:  # not yet tracked
        (repo / "posts" / name).write_text("A new post.\n")
    expected = sorted(f"posts/{name}" for name in [*HOSTILE_NAMES, NOT_UTF8])
    assert changed_since("HEAD") == expected
    assert changed_since("HEAD", ["posts"]) == expected
    assert changed_since("HEAD", ["posts/été.md", "posts/new\nline.md"]) == ["posts/été.md", "posts/new\nline.md"]


def test_a_name_that_would_read_as_a_channel_tag_stays_a_path(repo: Path) -> None:
    (repo / "linkedin=launch.md").write_text("A post.\n")
    assert changed_since("HEAD") == ["./linkedin=launch.md", "posts/edited.md", "posts/new.md"]
    assert changed_since("HEAD", ["."]) == ["./linkedin=launch.md", "posts/edited.md", "posts/new.md"]


def test_a_changed_file_that_cannot_be_read_is_kept_so_reading_it_fails(repo: Path) -> None:
    (repo / "posts" / "dangling.md").symlink_to(repo / "nowhere.md")
    assert "posts/dangling.md" in changed_since("HEAD")
    assert "posts/dangling.md" in changed_since("HEAD", ["posts"])
    with pytest.raises(InputError, match="posts/dangling.md: no such file"):
        changed_since("HEAD", ["posts/dangling.md"])


TWEETS = 'window.YTD.tweets.part0 = [ {"tweet": {"id_str": "1", "full_text": "A post."}} ]\n'
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><item><description>A post.</description></item></channel></rss>\n'
)


def test_every_changed_file_a_plain_read_would_take_counts_pages_feeds_and_x_archives(repo: Path) -> None:
    (repo / "archive" / "data").mkdir(parents=True)
    (repo / "archive" / "data" / "tweets.js").write_text(TWEETS)
    (repo / "site").mkdir()
    (repo / "site" / "about.html").write_text("<html><body><p>About us.</p></body></html>\n")
    (repo / "news.xml").write_text(FEED)
    (repo / "news.rss").write_text(FEED)
    (repo / "app.js").write_text("console.log(1)\n")  # code and configuration are no posts
    (repo / "pom.xml").write_text("<project><modelVersion>4.0.0</modelVersion></project>\n")
    assert changed_since("HEAD") == [
        "archive/data/tweets.js", "news.rss", "news.xml", "posts/edited.md", "posts/new.md", "site/about.html",
    ]  # fmt: skip
    assert changed_since("HEAD", ["archive"]) == ["archive/data/tweets.js"]
    assert changed_since("HEAD", ["x=archive/"]) == ["x=archive/data/tweets.js"]


def test_a_named_file_git_cannot_tell_about_is_read(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "draft.md"
    elsewhere.write_text("A post outside the repository.\n")
    (repo / ".gitignore").write_text("drafts/\n")
    (repo / "drafts").mkdir()
    (repo / "drafts" / "wip.md").write_text("An ignored draft.\n")
    assert changed_since("HEAD", [str(elsewhere)]) == [str(elsewhere)]
    assert changed_since("HEAD", ["drafts/wip.md"]) == ["drafts/wip.md"]
    assert changed_since("HEAD", ["drafts"]) == ["drafts/wip.md"]
    assert changed_since("HEAD", ["posts/old.md"]) == []  # tracked, and git says it did not change


def test_from_a_subfolder_every_change_in_the_repository_counts(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo, "config", "diff.relative", "true")  # would make git name files from the current folder
    (repo / "drafts").mkdir()
    (repo / "drafts" / "new.md").write_text("A new post.\n")
    monkeypatch.chdir(repo / "posts")
    assert changed_since("HEAD") == [str(repo / "drafts" / "new.md"), "edited.md", "new.md"]


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("--output=written.txt", "'--output=written.txt': not a commit"),
        ("-h", "'-h': not a commit"),
        ("", "not an empty one"),
        ("  ", "not an empty one"),
        ("HEAD~1..HEAD", "not a commit"),
        ("HEAD^{tree}", "not a commit"),
        ("HEAD:script.py", "not a commit"),
        ("tree-tag", "'tree-tag': not a commit"),
        ("no-such-branch", "'no-such-branch': not a commit in this repository"),
        ("\x1b[2J", "'\\\\x1b\\[2J': not a commit"),
    ],
)
def test_a_revision_that_is_no_commit_is_refused(repo: Path, revision: str, message: str) -> None:
    git(repo, "tag", "tree-tag", git(repo, "rev-parse", "HEAD^{tree}"))
    with pytest.raises(VoicecheckError, match=message):
        changed_since(revision)
    assert not (repo / "written.txt").exists()


def test_a_tag_of_a_commit_is_a_revision(repo: Path) -> None:
    git(repo, "tag", "-a", "-m", "release", "v1")
    assert changed_since("v1") == ["posts/edited.md", "posts/new.md"]


def test_a_repository_without_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(
        VoicecheckError, match="'HEAD': not a commit in this repository \\(the repository has no commits yet\\)"
    ):
        changed_since("HEAD")


def test_outside_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(VoicecheckError, match="--since needs a git work tree: .*not a git repository"):
        changed_since("HEAD")


def test_a_given_path_that_never_existed_is_an_error_one_deleted_since_is_not(repo: Path) -> None:
    assert changed_since("HEAD", ["posts/gone.md"]) == []
    with pytest.raises(InputError, match="posts/typo.md: no such file or folder, now or at --since"):
        changed_since("HEAD", ["posts/typo.md"])
    with pytest.raises(InputError, match="standard input"):
        changed_since("HEAD", ["-"])


# The gate itself, run as CI runs it.


def test_check_since_reads_changed_files_with_french_names_and_newlines(repo: Path) -> None:
    (repo / "posts" / "été.md").write_text(OFF_VOICE, encoding="utf-8")
    (repo / "posts" / "new\nline.md").write_text(OFF_VOICE, encoding="utf-8")
    (repo / "posts" / "new.md").unlink()
    (repo / "posts" / "edited.md").write_text("A post.\n")  # as committed: no change left
    result = run_cli("check", "--model", SAMPLE_MODEL, "--since", "HEAD", "--format", "github", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert "read 2 posts from 2 files" in result.stdout
    files = sorted(line.split(",")[0] for line in result.stdout.splitlines() if line.startswith("::error"))
    assert files == ["::error file=posts/new%0Aline.md", "::error file=posts/été.md"]


def test_check_since_fails_when_a_changed_post_file_cannot_be_read(repo: Path) -> None:
    (repo / "posts" / "edited.md").write_bytes(b"\x00\x01binary")
    (repo / "posts" / "dangling.md").symlink_to(repo / "nowhere.md")
    result = run_cli("check", "--model", SAMPLE_MODEL, "--since", "HEAD", "--fail-on", "never", cwd=repo)
    assert result.returncode == 2, result.stderr
    assert "2 files could not be read" in result.stderr
    assert "posts/edited.md" in result.stderr and "posts/dangling.md" in result.stderr


def test_check_since_reads_a_changed_x_archive_and_fails_on_its_drift(repo: Path) -> None:
    (repo / "archive" / "data").mkdir(parents=True)
    (repo / "archive" / "data" / "tweets.js").write_text(TWEETS.replace("A post.", OFF_VOICE.strip()))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "archive")
    (repo / "archive" / "data" / "tweets.js").write_text(TWEETS.replace("A post.", "So " + OFF_VOICE.strip()))
    result = run_cli("check", "--model", SAMPLE_MODEL, "--since", "HEAD", "archive/", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert "read 1 post from 1 file" in result.stdout


@pytest.mark.parametrize("since", ["--since=--output=written.txt", "--since="])
def test_check_since_refuses_an_option_or_nothing_as_revision(repo: Path, since: str) -> None:
    result = run_cli("check", "--model", SAMPLE_MODEL, since, cwd=repo)
    assert result.returncode == 2
    assert result.stderr.startswith("error: --since")
    assert "Traceback" not in result.stderr
    assert not (repo / "written.txt").exists()


def test_check_since_with_nothing_changed_still_replaces_the_output(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "second")
    stale = repo / "results.sarif"
    stale.write_text('{"results of": "an older run"}\n')
    result = run_cli("check", "--model", SAMPLE_MODEL, "--since", "HEAD", "--format", "sarif", "-o", stale, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "no post files changed since HEAD: nothing to check" in result.stderr
    document = json.loads(stale.read_text(encoding="utf-8"))
    assert document["version"] == "2.1.0" and document["runs"][0]["results"] == []


def test_a_revision_that_is_no_commit_is_refused_in_french(repo: Path) -> None:
    result = run_in_french("check", "--model", SAMPLE_MODEL, "--since", "no-such-branch", cwd=repo)
    said = spaced(result.stderr)
    assert result.returncode == 2, said
    assert "erreur : --since « no-such-branch » : ce n'est pas un commit de ce dépôt" in said
    assert not english_words(said.replace("no-such-branch", "")), said
