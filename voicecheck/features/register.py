"""How much a post's words belong to edited writing rather than to social media chatter.

A word's register is the log of how much more often it is written in ordinary text (books,
news, subtitles, the web) than on Twitter: "furthermore" and "hence" are far more common in
the first, "lol", "u" and "dm" in the second. A post's register is the mean over its words
that either list knows; it is one of the markers of formality (`tone.py`).

The two lists are wordfreq 1.7's `large` and `twitter` word frequencies (later wordfreq
versions no longer publish the Twitter list on its own). They are tokenised and hashed
exactly as word features are, and shipped precomputed in `voicecheck/data/`. Rebuild the
files after changing tokenisation or hashing with:

    pip download --no-deps --no-binary :all: wordfreq==1.7.0
    python -m voicecheck.features.register wordfreq-1.7.0.tar.gz
"""

from __future__ import annotations

import argparse
import gzip
import tarfile
from functools import cache
from importlib import resources

import numpy as np

from voicecheck.features.background import hashed_word_frequencies
from voicecheck.features.hashing import N_FEATURES, feature_indices
from voicecheck.features.lexical import mean_per_post
from voicecheck.features.sparse import Counts
from voicecheck.i18n import gettext
from voicecheck.nlp import LANGUAGES

#: Both lists hold the words used at least once per million words; rarer ones are unknown.
KNOWN_FREQUENCY = 1e-6


def _file(lang: str) -> str:
    return f"register-{lang}.npz"


@cache
def load_register() -> tuple[np.ndarray, np.ndarray]:
    """(register, known) over the hashed word space, per language (rows follow LANGUAGES).

    The register is rescaled so that the mean word of a tweet is at -1 and the mean word of
    ordinary writing at +1: 0 is halfway, and the two languages share one scale.
    """
    registers, known = np.zeros((len(LANGUAGES), N_FEATURES)), np.zeros((len(LANGUAGES), N_FEATURES))
    for row, lang in enumerate(LANGUAGES):
        source = resources.files("voicecheck.data").joinpath(_file(lang))
        with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
            written, social = float(arrays["written_mean"]), float(arrays["social_mean"])
            registers[row] = (arrays["register"] - (written + social) / 2) / ((written - social) / 2)
            known[row] = arrays["known"]
    return registers, known


def post_register(words: Counts, lang_rows: np.ndarray) -> np.ndarray:
    """Each post's mean word register, -1 like a tweet to +1 like ordinary writing (0 if no word is known)."""
    registers, known = load_register()
    return mean_per_post(words, lang_rows, registers, counted=known)


def word_registers(words: list[str], lang: str) -> dict[str, float]:
    """The register of each of `words` that the lists know, on `post_register`'s scale."""
    registers, known = load_register()
    row = LANGUAGES.index(lang)
    columns = feature_indices(words)
    return {
        word: float(registers[row, column]) for word, column in zip(words, columns, strict=True) if known[row, column]
    }


# -- building the shipped files -----------------------------------------------------------------


def read_cbpack(sdist: tarfile.TarFile, name: str) -> dict[str, float]:
    """A wordfreq word list: gzipped msgpack of a header, then the words at -1, -2, ... centibels."""
    import srsly  # spaCy's serialisation library, installed with it

    path = f"/wordfreq/data/{name}.msgpack.gz"
    member = next((m for m in sdist.getmembers() if m.name.endswith(path)), None)
    extracted = sdist.extractfile(member) if member else None
    if extracted is None:
        raise ValueError(
            gettext("no {name} word list in this archive: give wordfreq 1.7's source archive").format(name=name)
        )
    header, *buckets = srsly.msgpack_loads(gzip.decompress(extracted.read()))
    if header != {"format": "cB", "version": 1}:
        raise ValueError(gettext("{name}: not a cBpack word list ({header})").format(name=name, header=header))
    return {word: 10 ** (-centibels / 100) for centibels, bucket in enumerate(buckets) for word in bucket}


def build_register(sdist: tarfile.TarFile, lang: str) -> dict[str, np.ndarray]:
    """The arrays of `lang`'s file, from the `large` and `twitter` lists of a wordfreq 1.7 sdist."""
    written = hashed_word_frequencies(read_cbpack(sdist, f"large_{lang}"), lang)
    social = hashed_word_frequencies(read_cbpack(sdist, f"twitter_{lang}"), lang)
    known = np.maximum(written, social) >= KNOWN_FREQUENCY
    # Each list stops at one per million: a word missing from one is at most that common there.
    register = np.log(np.maximum(written, KNOWN_FREQUENCY)) - np.log(np.maximum(social, KNOWN_FREQUENCY))
    register = np.where(known, register, 0.0)

    def mean_register(frequencies: np.ndarray) -> np.ndarray:  # of a word drawn from that list
        return np.asarray(np.sum(frequencies[known] * register[known]) / np.sum(frequencies[known]))

    return {
        "register": register.astype(np.float32),
        "known": known,
        "written_mean": mean_register(written),
        "social_mean": mean_register(social),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sdist", help="wordfreq-1.7.0.tar.gz, from pip download")
    args = parser.parse_args()
    target = resources.files("voicecheck.data")
    with tarfile.open(args.sdist) as sdist:
        for lang in LANGUAGES:
            arrays = build_register(sdist, lang)
            path = target.joinpath(_file(lang))
            np.savez_compressed(
                str(path),
                register=arrays["register"],
                known=arrays["known"],
                written_mean=arrays["written_mean"],
                social_mean=arrays["social_mean"],
            )
            summary = gettext("{path}: {count} known words; mean register {written} written, {social} on Twitter")
            written, social = (f"{float(arrays[key]):.2f}" for key in ("written_mean", "social_mean"))
            print(summary.format(path=path, count=int(arrays["known"].sum()), written=written, social=social))


if __name__ == "__main__":
    main()
