"""The bar voicecheck's voice model is held to: a plain nearest-neighbour search, per corpus.

    python benchmarks/voice_reference.py CORPUS.csv [CORPUS.csv ...]

The same protocol as the evaluation's `voice_auc.py`, draw for draw (voices with at least 150
posts, each shuffled with seed 0; 100 posts to learn from, 100 held-out posts of the voice and
100 posts of other voices to score), but scored without voicecheck: each post's character
n-grams (2 to 5 within words, sublinear tf) weighed by an IDF taken from the brand's 100
posts alone, and its score the cosine similarity of its nearest brand post. Nothing but the
brand's own posts is used, as for voicecheck's one-class model, so the two are compared on
equal terms. Prints per corpus the mean and minimum ROC-AUC, in the form of `voice_auc.py`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from corpora import shuffled_voices
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score

TRAIN, TEST = 100, 100
#: A voice needs this many posts to be scored (as in `voice_auc.py`).
NEED = TRAIN + 50


def nearest_similarity(brand: list[str], posts: list[str]) -> np.ndarray:
    """Each post's cosine similarity to its nearest brand post, with IDF from the brand alone."""
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    known = vectorizer.fit_transform(brand)
    similarity = vectorizer.transform(posts) @ known.T
    return np.asarray(similarity.max(axis=1).todense()).ravel()


def corpus_auc(path: Path) -> list[float]:
    """ROC-AUC per voice, with the draws of `voice_auc.py` (its random generator, in its order)."""
    corpus, rng = shuffled_voices(path, NEED)  # as voice_auc.py shuffles, then draws
    aucs = []
    for voice, texts in corpus.items():
        train, own = texts[:TRAIN], texts[TRAIN : TRAIN + TEST]
        others = [other for other in corpus if other != voice]
        strangers = []
        while len(strangers) < len(own):
            other = rng.choice(others)
            strangers.append(rng.choice(corpus[other][TRAIN:] or corpus[other]))
        scores = nearest_similarity(train, own + strangers)
        aucs.append(float(roc_auc_score([1] * len(own) + [0] * len(strangers), scores)))
    return aucs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+", type=Path)
    for path in parser.parse_args().corpora:
        aucs = corpus_auc(path)
        print(
            f"{path.name}: reference nearest neighbour (char n-grams, IDF from the brand's posts) "
            f"voices {len(aucs)} AUC mean {np.mean(aucs):.3f} min {min(aucs):.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
