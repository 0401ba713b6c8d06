import gzip
import io
import tarfile
from pathlib import Path

import numpy as np
import pytest
import srsly

from tests.features import table_of
from voicecheck.features.lexical import word_counts
from voicecheck.features.register import build_register, load_register, post_register, read_cbpack
from voicecheck.nlp import LANGUAGES, Pipelines


def _register_of(words: list[str], lang: str) -> np.ndarray:
    counts = word_counts([[word] for word in words])
    return post_register(counts, np.full(len(words), LANGUAGES.index(lang)))


@pytest.mark.parametrize(
    ("lang", "written", "social"),
    [
        ("en", ["furthermore", "hence", "regarding"], ["lol", "u", "omg"]),
        ("fr", ["néanmoins", "afin"], ["mdr", "ptdr"]),
    ],
)
def test_shipped_register_puts_words_of_writing_above_words_of_tweets(
    lang: str, written: list[str], social: list[str]
) -> None:
    assert np.all(_register_of(written, lang) > 0.5)
    assert np.all(_register_of(social, lang) < -0.5)


def test_a_word_neither_list_knows_is_neutral_and_not_counted() -> None:
    unknown = "zqxjvkw"
    assert _register_of([unknown], "en")[0] == 0.0
    both = word_counts([["furthermore", unknown], ["furthermore"]])
    mixed, alone = post_register(both, np.zeros(2, dtype=np.int64))
    assert mixed == pytest.approx(alone)


def test_register_rows_follow_languages() -> None:
    registers, known = load_register()
    assert registers.shape == known.shape == (len(LANGUAGES), registers.shape[1])
    the = word_counts([["the"]]).indices[0]
    assert known[LANGUAGES.index("en"), the] == 1


def test_a_post_in_writing_s_words_reads_more_formal_than_the_same_shape_in_tweets(pipelines: Pipelines) -> None:
    """Same length, punctuation and classes of words; only the words' register differs."""
    written = table_of(pipelines, "We shall review the relevant documentation.", "en")
    social = table_of(pipelines, "We gonna check the dang pics.", "en")
    assert post_register(written.words, written.lang_index)[0] > post_register(social.words, social.lang_index)[0]
    assert written.tone[0, 0] > social.tone[0, 0]


def _cbpack(frequencies: dict[str, int], header: object = None) -> bytes:
    """A word list in wordfreq's format: words at index -centibels after the header."""
    buckets: list[list[str]] = [[] for _ in range(max(frequencies.values()) + 1)]
    for word, centibels in frequencies.items():
        buckets[centibels].append(word)
    return gzip.compress(srsly.msgpack_dumps([header or {"format": "cB", "version": 1}, *buckets]))


def _sdist(path: Path, lists: dict[str, bytes]) -> tarfile.TarFile:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in lists.items():
            info = tarfile.TarInfo(f"wordfreq-1.7.0/wordfreq/data/{name}.msgpack.gz")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return tarfile.open(path)


def test_build_register_from_a_wordfreq_sdist(tmp_path: Path) -> None:
    large = {"the": 130, "furthermore": 400, "lol": 550}
    twitter = {"the": 150, "lol": 300}  # "furthermore" too rare on Twitter to be listed
    with _sdist(tmp_path / "wordfreq.tar.gz", {"large_en": _cbpack(large), "twitter_en": _cbpack(twitter)}) as sdist:
        assert read_cbpack(sdist, "twitter_en") == pytest.approx({"the": 10**-1.5, "lol": 10**-3.0})
        arrays = build_register(sdist, "en")
    column = {word: word_counts([[word]]).indices[0] for word in large}
    register = arrays["register"]
    assert register[column["furthermore"]] == pytest.approx(np.log(1e-4 / 1e-6), rel=1e-5)  # floored at 1 per million
    assert register[column["lol"]] < 0 < register[column["the"]]
    assert arrays["known"].sum() == 3
    assert arrays["written_mean"] > arrays["social_mean"]


def test_a_file_that_is_not_a_word_list_is_refused(tmp_path: Path) -> None:
    lists = {"large_en": _cbpack({"the": 1}, header={"format": "other"})}
    with _sdist(tmp_path / "wordfreq.tar.gz", lists) as sdist, pytest.raises(ValueError, match="not a cBpack"):
        read_cbpack(sdist, "large_en")


def test_an_archive_without_the_word_list_is_refused(tmp_path: Path) -> None:
    with (
        _sdist(tmp_path / "wordfreq.tar.gz", {"large_en": _cbpack({"the": 1})}) as sdist,
        pytest.raises(ValueError, match="no twitter_en word list"),
    ):
        read_cbpack(sdist, "twitter_en")
