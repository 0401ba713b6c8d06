"""Save and load a fitted voice model as plain data: JSON, JSON Lines and a NumPy archive.

Nothing here unpickles: arrays load with `allow_pickle=False`, so a model file from anywhere
cannot run code. The metadata records the versions it was made with; a model in another
format version, or whose files do not add up, is refused with a message that says why.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from voicecheck import MODEL_FORMAT, __version__
from voicecheck.errors import ModelError
from voicecheck.features.hashing import N_FEATURES
from voicecheck.features.style import STYLE_FEATURES
from voicecheck.features.table import FeatureTable
from voicecheck.model import COMPONENTS, LEXICAL, Background, VoiceModel
from voicecheck.nlp import LANGUAGES
from voicecheck.profile import BrandProfile, parse_profile
from voicecheck.readers.base import Post

META_FILE = "model.json"
POSTS_FILE = "posts.jsonl"
ARRAYS_FILE = "arrays.npz"


@dataclass
class SavedModel:
    """A voice model with the brand's training posts and profile: everything `check` needs."""

    model: VoiceModel
    table: FeatureTable
    profile: BrandProfile
    meta: dict[str, Any] = field(default_factory=dict)
    #: What serving it needs and is costly to build (pipelines, explainer): built once, kept here.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def default_lang(self) -> str:
        """The language most of the brand's posts are in: the guess for posts too short to tell."""
        return Counter(self.table.langs).most_common(1)[0][0]

    @property
    def pipeline_mode(self) -> str:
        return str(self.meta.get("pipeline_mode", "auto"))


def training_hash(posts: list[Post]) -> str:
    """A digest of the training posts that does not depend on the order files were given in."""
    digest = hashlib.sha256()
    for post in sorted(posts, key=lambda p: (p.channel or "", p.id, p.text)):
        for part in (post.id, post.channel or "", post.text):
            digest.update(part.encode())
            digest.update(b"\0")
    return digest.hexdigest()


def save(saved: SavedModel, directory: str | Path) -> None:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    model, table = saved.model, saved.table
    arrays: dict[str, Any] = {
        "style": table.style,
        "tone": table.tone,
        "heldout_scores": model.heldout_scores_,
        "calibration": model.calibration_,
        "typical_value": model.typical_value_,
        "typical_size": model.typical_size_,
        "component_mean": model.component_mean_,
        "component_std": model.component_std_,
        "fold_of_row": model.fold_of_row_,
        "background_chars": model.background_.chars,
        "background_words": model.background_.words,
    }
    for name, matrix in (("chars", table.chars), ("words", table.words)):
        matrix = matrix.tocsr()
        arrays[f"{name}_data"] = matrix.data.astype(np.float32)
        arrays[f"{name}_indices"] = matrix.indices.astype(np.int32)
        arrays[f"{name}_indptr"] = matrix.indptr.astype(np.int64)
    np.savez_compressed(directory / ARRAYS_FILE, **arrays)
    with open(directory / POSTS_FILE, "w", encoding="utf-8") as handle:
        for post, lang in zip(table.posts, table.langs, strict=True):
            record = {"id": post.id, "text": post.text, "channel": post.channel, "lang": lang, "date": post.date}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    meta = dict(saved.meta)
    meta.update(
        format=MODEL_FORMAT,
        voicecheck=__version__,
        spacy=version("spacy"),
        scikit_learn=version("scikit-learn"),
        created=meta.get("created") or datetime.now(UTC).isoformat(timespec="seconds"),
        params={
            "false_flag_rate": model.false_flag_rate,
            "folds": model.folds,
            "smoothing": model.smoothing,
            "random_state": model.random_state,
        },
        threshold=model.threshold_,
        style_features=[f.name for f in STYLE_FEATURES],
        profile=saved.profile.as_dict(),
    )
    with open(directory / META_FILE, "w", encoding="utf-8") as handle:
        json.dump(meta, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def read_meta(directory: Path) -> dict[str, Any]:
    path = directory / META_FILE
    if not directory.is_dir():
        raise ModelError(f"{directory}: no such model directory (make one with `voicecheck fit`)")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{directory}: not a voicecheck model (no {META_FILE})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: corrupt model metadata ({exc})") from exc
    if not isinstance(meta, dict) or "format" not in meta:
        raise ModelError(f"{path}: not a voicecheck model (no format version)")
    if meta["format"] != MODEL_FORMAT:
        raise ModelError(
            f"{directory}: model format {meta['format']} (voicecheck {meta.get('voicecheck', '?')}); "
            f"this voicecheck {__version__} reads format {MODEL_FORMAT}: fit the model again"
        )
    if meta.get("style_features") != [f.name for f in STYLE_FEATURES]:
        raise ModelError(f"{directory}: the model's style features differ from this version's: fit it again")
    return meta


def load(directory: str | Path) -> SavedModel:
    directory = Path(directory)
    meta = read_meta(directory)
    try:
        posts, langs = _read_posts(directory / POSTS_FILE)
        with np.load(directory / ARRAYS_FILE, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        table = FeatureTable(
            posts=posts,
            langs=langs,
            tokens=[],
            chars=_csr(arrays, "chars", len(posts)),
            words=_csr(arrays, "words", len(posts)),
            style=arrays["style"],
            tone=arrays["tone"],
        )
        params = meta["params"]
        model = VoiceModel(**params)
        model.background_ = Background(arrays["background_chars"], arrays["background_words"])
        model.heldout_scores_ = arrays["heldout_scores"]
        model.calibration_ = arrays["calibration"]
        model.typical_value_ = arrays["typical_value"]
        model.typical_size_ = arrays["typical_size"]
        model.component_mean_ = arrays["component_mean"]
        model.component_std_ = arrays["component_std"]
        model.fold_of_row_ = arrays["fold_of_row"]
        model.threshold_ = float(meta["threshold"])
        _check_shapes(model, table)
        model.build_references(table)
        profile = parse_profile(meta["profile"], directory / META_FILE)
    except ModelError:
        raise
    except (OSError, KeyError, TypeError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelError(f"{directory}: corrupt or incomplete model ({type(exc).__name__}: {exc})") from exc
    return SavedModel(model, table, profile, meta)


def _read_posts(path: Path) -> tuple[list[Post], list[str]]:
    posts, langs = [], []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                record = json.loads(line)
                posts.append(
                    Post(
                        id=record["id"],
                        text=record["text"],
                        channel=record["channel"],
                        lang=record["lang"],
                        date=record["date"],
                        where=f"{path.name}:{number}",
                    )
                )
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ModelError(f"{path}:{number}: corrupt training post ({exc})") from exc
            if record["lang"] not in LANGUAGES:
                raise ModelError(f"{path}:{number}: unknown language {record['lang']!r}")
            langs.append(record["lang"])
    return posts, langs


def _csr(arrays: dict[str, np.ndarray], name: str, rows: int) -> sp.csr_matrix:
    matrix = sp.csr_matrix(
        (arrays[f"{name}_data"], arrays[f"{name}_indices"], arrays[f"{name}_indptr"]),
        shape=(rows, N_FEATURES),
    )
    matrix.check_format(full_check=True)
    return matrix


def _check_shapes(model: VoiceModel, table: FeatureTable) -> None:
    n = len(table)
    expected = {
        "style": (table.style.shape, (n, len(STYLE_FEATURES))),
        "tone": (table.tone.shape, (n, 4)),
        "heldout_scores": (model.heldout_scores_.shape, (n,)),
        "calibration": (model.calibration_.shape, (n,)),
        "fold_of_row": (model.fold_of_row_.shape, (n,)),
        "typical_value": (model.typical_value_.shape, (len(LANGUAGES), len(COMPONENTS))),
        "typical_size": (model.typical_size_.shape, (len(LANGUAGES), LEXICAL.stop)),
        "component_mean": (model.component_mean_.shape, (len(LANGUAGES), len(COMPONENTS))),
        "component_std": (model.component_std_.shape, (len(LANGUAGES), len(COMPONENTS))),
        "background": (model.background_.chars.shape, (len(LANGUAGES), N_FEATURES)),
    }
    for name, (got, want) in expected.items():
        if got != want:
            raise ModelError(f"corrupt model: {name} has shape {got}, expected {want}")
    folds_ok = model.fold_of_row_.min() >= 0 and model.fold_of_row_.max() < model.folds
    sizes_ok = np.all(model.typical_size_ >= 1.0)  # a post's length is weighed against them
    background_ok = np.all(model.background_.chars > 0)
    if not (folds_ok and sizes_ok and background_ok and np.all(np.isfinite(model.calibration_))):
        raise ModelError("corrupt model: calibration, length or background values out of range")
