"""A background model of ordinary English and French: how common each n-gram and word is.

It separates a brand's habits from the language's: "the" is everyone's, "ÉcoPropre" is the
brand's. It is derived from the word frequencies that `wordfreq` publishes (no corpus of our
own), tokenised and hashed exactly as posts are, and shipped precomputed in `voicecheck/data/`
so fitting does not redo it. Rebuild the files after changing tokenisation or hashing with:

    python -m voicecheck.features.background
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np

from voicecheck.features.lexical import char_counts, word_counts, word_tokens
from voicecheck.nlp import LANGUAGES, Pipelines

#: Words beyond this rank in wordfreq's list add little to the background.
BACKGROUND_WORDS = 60_000
#: Probability floor for n-grams and words the background has never seen.
BACKGROUND_FLOOR = 1e-7


def _file(lang: str) -> str:
    return f"background-{lang}.npz"


def load_background(lang: str) -> tuple[np.ndarray, np.ndarray]:
    """(character n-gram, word) probabilities in ordinary `lang`, over the hashed spaces."""
    source = resources.files("voicecheck.data").joinpath(_file(lang))
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
        return arrays["chars"], arrays["words"]


@cache
def load_word_background(lang: str) -> np.ndarray:
    """The word probabilities of `load_background` alone: the n-grams are left unread.

    Read once a process, read-only: language detection and `foreign` both read them.
    """
    source = resources.files("voicecheck.data").joinpath(_file(lang))
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
        words: np.ndarray = arrays["words"]
    words.setflags(write=False)
    return words


def build_background(lang: str) -> tuple[np.ndarray, np.ndarray]:
    """Compute the background from wordfreq (needs `pip install wordfreq`)."""
    from wordfreq import get_frequency_dict

    frequencies = get_frequency_dict(lang, wordlist="best")
    top = dict(sorted(frequencies.items(), key=lambda item: -item[1])[:BACKGROUND_WORDS])
    chars = np.asarray(char_counts(list(top)).tocsr().T @ np.array(list(top.values()))).ravel()
    return _floor(chars), _floor(hashed_word_frequencies(top, lang))


def hashed_word_frequencies(frequencies: dict[str, float], lang: str) -> np.ndarray:
    """A word list's frequencies summed over the hashed word features, its words tokenised as posts are."""
    words = list(frequencies)
    tokenizer = Pipelines("blank").get(lang).tokenizer
    counts = word_counts([word_tokens(tokenizer(word)) for word in words])
    return np.asarray(counts.tocsr().T @ np.array([frequencies[word] for word in words])).ravel()


def _floor(counts: np.ndarray) -> np.ndarray:
    probabilities = counts / counts.sum()
    return np.maximum(probabilities, BACKGROUND_FLOOR).astype(np.float32)


def main() -> None:
    from importlib.metadata import version

    import spacy

    target = resources.files("voicecheck.data")
    for lang in LANGUAGES:
        chars, words = build_background(lang)
        path = target.joinpath(_file(lang))
        np.savez_compressed(str(path), chars=chars, words=words)
        print(f"{path}: wordfreq {version('wordfreq')}, spaCy {spacy.__version__}")


if __name__ == "__main__":
    main()
