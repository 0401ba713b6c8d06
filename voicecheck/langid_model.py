"""py3langid's character n-gram model, cut down to English and French and shipped ready to load.

py3langid ships one model for 97 languages, LZMA-compressed: reading it takes 0.5–0.75 s of
CPU, a large share of a check's start-up, whenever a post's words do not tell its language.
Detection reads only two of its columns (`set_languages(["en", "fr"])`), so the same arrays
with only those columns are shipped in `voicecheck/data/` (2 MB, zlib), which load about ten
times faster and classify exactly as py3langid's own model restricted to the two languages
(`tests/test_langid_model.py` compares them). py3langid is BSD-licensed; the arrays are its.
Rebuild the file after upgrading py3langid with:

    python -m voicecheck.langid_model
"""

from __future__ import annotations

from array import array
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

FILE = "langid-en-fr.npz"
#: The languages kept, as py3langid names them (the same codes as `nlp.LANGUAGES`).
KEPT = ("en", "fr")


def load_identifier() -> LanguageIdentifier:
    """The identifier py3langid builds from its own model with `norm_probs=True`, restricted to KEPT."""
    from py3langid.langid import LanguageIdentifier

    source = resources.files("voicecheck.data").joinpath(FILE)
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
        ptc, pc, classes = arrays["ptc"], arrays["pc"], arrays["classes"].tolist()
        nextmove, row = _as_array(arrays["nextmove"]), _as_array(arrays["nextmove_row"])
        output = arrays["out_feat"].tolist()
    identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    identifier.set_languages(list(KEPT))  # as detection sets them on py3langid's own model
    return identifier


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
    return {
        "ptc": np.ascontiguousarray(np.asarray(ptc)[:, kept]),
        "pc": np.asarray(pc)[kept],
        "classes": np.array([classes[i] for i in kept]),
        "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        "nextmove_row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
        "out_feat": np.asarray(output, dtype=np.int32),
        "py3langid": np.array(version("py3langid")),
    }


def main() -> None:
    path = resources.files("voicecheck.data").joinpath(FILE)
    arrays = build()
    np.savez_compressed(str(path), **arrays)  # type: ignore[arg-type]
    print(f"{path}: py3langid {arrays['py3langid']}, languages {', '.join(arrays['classes'].tolist())}")


if __name__ == "__main__":
    main()
