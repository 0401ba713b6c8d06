"""py3langid's character n-gram model, cut down to the languages voicecheck tells apart, ready to load.

py3langid ships one model for 142 languages, LZMA-compressed: reading it takes 0.5–0.9 s of
CPU, a large share of a check's start-up, whenever a post's words do not tell its language.
Detection reads only two of its columns (`set_languages(["en", "fr"])`), so the same arrays
with only those columns are shipped in `voicecheck/data/` (zlib), which load about ten times
faster and classify exactly as py3langid's own model restricted to the two languages
(`tests/test_langid_model.py` compares them). Beside them, in the same file and read only when
asked for, the columns of KEPT and OTHERS: the languages a flagged post written in neither
English nor French is named in (`voicecheck.foreign`). py3langid is BSD-licensed; the arrays are its.
Rebuild the file after upgrading py3langid with:

    python -m voicecheck.langid_model
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

FILE = "langid.npz"
#: The languages detection tells apart, as py3langid names them (the same codes as `nlp.LANGUAGES`).
KEPT = ("en", "fr")
#: The other languages a post can be named as written in: those brands most often publish in
#: beside English and French, and those of the largest communities of Canada, the US and Europe.
OTHERS = (
    *("es", "pt", "de", "it", "nl", "ca", "ro", "pl", "cs", "sk", "sv", "da", "no", "fi", "et", "lv"),
    *("lt", "hu", "hr", "sr", "sl", "bg", "el", "tr", "ru", "uk", "ar", "fa", "ur", "he", "hi", "bn"),
    *("pa", "ta", "zh", "ja", "ko", "th", "vi", "id", "ms", "tl", "ht", "sw", "ga"),
)


def load_identifier() -> LanguageIdentifier:
    """The identifier py3langid builds from its own model with `norm_probs=True`, restricted to KEPT."""
    from py3langid.langid import LanguageIdentifier

    with _arrays() as arrays:
        ptc, pc, classes = arrays["ptc"], arrays["pc"], arrays["classes"].tolist()
    nextmove, row, output = _automaton()
    identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    identifier.set_languages(list(KEPT))  # as detection sets them on py3langid's own model
    return identifier


def load_identifier_of_all() -> LanguageIdentifier:
    """The identifier py3langid builds from its own model with `norm_probs=True`, restricted to KEPT and OTHERS."""
    from py3langid.langid import LanguageIdentifier

    with _arrays() as arrays:
        ptc, pc, classes = arrays["ptc_all"], arrays["pc_all"], arrays["classes_all"].tolist()
    nextmove, row, output = _automaton()
    identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    identifier.set_languages([*KEPT, *OTHERS])  # which also pairs the model's aliases, as py3langid does
    return identifier


@contextmanager
def _arrays() -> Iterator[Any]:
    """The shipped file's arrays, each read when first asked for."""
    source = resources.files("voicecheck.data").joinpath(FILE)
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
        yield arrays


@cache
def _automaton() -> tuple[array[int], array[int], list[int]]:
    """The n-gram automaton py3langid walks a text with: the same for any choice of languages, so
    read once for both identifiers (it is most of their load time), which only ever read it."""
    with _arrays() as arrays:
        return _as_array(arrays["nextmove"]), _as_array(arrays["nextmove_row"]), arrays["out_feat"].tolist()


def _as_array(values: np.ndarray) -> array[int]:
    """The standard-library array py3langid walks its automaton with (indexing it is fast)."""
    typecode = {2: "H", 4: "I", 8: "L"}[values.dtype.itemsize]
    out = array(typecode)
    out.frombytes(np.ascontiguousarray(values).data.cast("B"))
    return out


def build() -> dict[str, np.ndarray]:
    """The shipped arrays, from the model of the installed py3langid."""
    from importlib.metadata import version

    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    kept = [i for i, name in enumerate(classes) if name in KEPT]  # in the model's order, as set_languages keeps them
    every = [i for i, name in enumerate(classes) if name in KEPT or name in OTHERS]  # Serbian has two columns
    return {
        "ptc": np.ascontiguousarray(np.asarray(ptc)[:, kept]),
        "pc": np.asarray(pc)[kept],
        "classes": np.array([classes[i] for i in kept]),
        "ptc_all": np.ascontiguousarray(np.asarray(ptc)[:, every]),
        "pc_all": np.asarray(pc)[every],
        "classes_all": np.array([classes[i] for i in every]),
        "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        "nextmove_row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
        "out_feat": np.asarray(output, dtype=np.int32),
        "py3langid": np.array(version("py3langid")),
    }


def main() -> None:
    path = resources.files("voicecheck.data").joinpath(FILE)
    arrays = build()
    np.savez_compressed(str(path), **arrays)  # type: ignore[arg-type]
    kept, others = ", ".join(arrays["classes"].tolist()), len(set(arrays["classes_all"].tolist())) - len(KEPT)
    print(f"{path}: py3langid {arrays['py3langid']}, languages {kept}, and {others} others to name")


if __name__ == "__main__":
    main()
